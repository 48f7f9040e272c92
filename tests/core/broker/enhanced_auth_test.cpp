// Enhanced authentication (AUTH) and re-authentication.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

// A two-step challenge: the client sends "hello", gets "challenge", answers "response".
class challenge_hooks : public hooks {
 public:
  int starts = 0;
  auth_step auth_start(const client_info&, std::string_view method, bytes_view data) override {
    ++starts;
    if (method != "CHALLENGE") return {auth_step::status::failure, {}, reason_code::bad_authentication_method};
    if (text(data) != "hello") return {auth_step::status::failure, {}, reason_code::not_authorized};
    return {auth_step::status::continue_auth, {'c', 'h', 'a', 'l', 'l', 'e', 'n', 'g', 'e'}, {}};
  }
  auth_step auth_continue(const client_info&, std::string_view, bytes_view data) override {
    if (text(data) == "response") return {auth_step::status::success, {'o', 'k'}, {}};
    return {auth_step::status::failure, {}, reason_code::not_authorized};
  }
};

connect_options auth_connect(std::string_view method, const std::string& data) {
  connect_options o;
  o.props.authentication_method = method;
  o.props.authentication_data = as_bytes(data);
  return o;
}

auth_packet auth(reason_code r, std::string_view method, const std::string& data) {
  auth_packet a;
  a.reason = r;
  a.props.authentication_method = method;
  a.props.authentication_data = as_bytes(data);
  return a;
}

TEST(EnhancedAuth, ContinueThenSuccess) {
  challenge_hooks h;
  world w({}, &h);
  const std::string hello = "hello";
  const auto c = w.connect("c", auth_connect("CHALLENGE", hello));
  auto challenge = w.next<auth_packet>(c);
  EXPECT_EQ(challenge.reason, reason_code::continue_authentication);
  EXPECT_EQ(challenge.props.authentication_method, std::optional<std::string_view>("CHALLENGE"));
  EXPECT_EQ(text(*challenge.props.authentication_data), "challenge");
  w.write(c, packet{auth(reason_code::continue_authentication, "CHALLENGE", "response")});
  auto ack = w.next<connack_packet>(c);
  EXPECT_EQ(ack.reason, reason_code::success);
  EXPECT_EQ(ack.props.authentication_method, std::optional<std::string_view>("CHALLENGE"));
  EXPECT_EQ(text(*ack.props.authentication_data), "ok");
}

TEST(EnhancedAuth, FailedResponseRefused) {
  challenge_hooks h;
  world w({}, &h);
  const auto c = w.connect("c", auth_connect("CHALLENGE", "hello"));
  w.next<auth_packet>(c);
  w.write(c, packet{auth(reason_code::continue_authentication, "CHALLENGE", "wrong")});
  EXPECT_EQ(w.next<connack_packet>(c).reason, reason_code::not_authorized);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(EnhancedAuth, UnknownMethodGets0x8C) {
  world w;  // default hooks know no method
  connack_packet a;
  const auto c = w.connect("c", auth_connect("SCRAM-SHA-1", "x"), &a);
  EXPECT_EQ(a.reason, reason_code::bad_authentication_method);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(EnhancedAuth, OtherPacketsDuringAuthAreProtocolErrors) {
  challenge_hooks h;
  world w({}, &h);
  const auto c = w.connect("c", auth_connect("CHALLENGE", "hello"));
  w.next<auth_packet>(c);
  w.write(c, packet{pingreq_packet{}});
  EXPECT_EQ(w.next<connack_packet>(c).reason, reason_code::protocol_error);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(EnhancedAuth, MQTT_3_15_2_1_MethodMismatchIsProtocolError) {
  challenge_hooks h;
  world w({}, &h);
  const auto c = w.connect("c", auth_connect("CHALLENGE", "hello"));
  w.next<auth_packet>(c);
  w.write(c, packet{auth(reason_code::continue_authentication, "OTHER", "response")});
  EXPECT_EQ(w.next<connack_packet>(c).reason, reason_code::protocol_error);
}

TEST(EnhancedAuth, ReAuthenticationWhileConnected) {
  challenge_hooks h;
  world w({}, &h);
  const auto c = w.connect("c", auth_connect("CHALLENGE", "hello"));
  w.next<auth_packet>(c);
  w.write(c, packet{auth(reason_code::continue_authentication, "CHALLENGE", "response")});
  w.next<connack_packet>(c);
  w.write(c, packet{auth(reason_code::re_authenticate, "CHALLENGE", "hello")});
  EXPECT_EQ(w.next<auth_packet>(c).reason, reason_code::continue_authentication);
  w.write(c, packet{auth(reason_code::continue_authentication, "CHALLENGE", "response")});
  EXPECT_EQ(w.next<auth_packet>(c).reason, reason_code::success);
  EXPECT_EQ(h.starts, 2);
  EXPECT_FALSE(w.is_closed(c));
}

TEST(EnhancedAuth, FailedReAuthenticationDisconnects) {
  challenge_hooks h;
  world w({}, &h);
  const auto c = w.connect("c", auth_connect("CHALLENGE", "hello"));
  w.next<auth_packet>(c);
  w.write(c, packet{auth(reason_code::continue_authentication, "CHALLENGE", "response")});
  w.next<connack_packet>(c);
  w.write(c, packet{auth(reason_code::re_authenticate, "CHALLENGE", "bad")});
  EXPECT_EQ(w.next<disconnect_packet>(c).reason, reason_code::not_authorized);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(EnhancedAuth, AuthWithoutEnhancedAuthIsProtocolError) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.write(c, packet{auth(reason_code::re_authenticate, "X", "")});
  EXPECT_EQ(w.next<disconnect_packet>(c).reason, reason_code::protocol_error);
}

}  // namespace
}  // namespace postcard::broker_test
