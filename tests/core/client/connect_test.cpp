// CONNECT / CONNACK, redirection, Assigned Client Identifier, connect timeout, enhanced authentication.
#include "client_test_util.hpp"

namespace postcard::client_test {
namespace {

TEST(ClientConnect, V311MinimalConnectBytes) {
  harness h{v311_options("c1")};
  const output& o = h.open();
  const bytes expected{0x10, 0x0E,                          // CONNECT, Remaining Length 14
                       0x00, 0x04, 'M', 'Q', 'T', 'T',      // protocol name
                       0x04,                                // level 4 (3.1.1)
                       0x02,                                // flags: Clean Session
                       0x00, 0x3C,                          // keepalive 60
                       0x00, 0x02, 'c', '1'};               // client identifier
  EXPECT_EQ(o.bytes, expected);
  EXPECT_FALSE(o.close);
  EXPECT_EQ(h.c.state(), connection_state::connecting);
  ASSERT_EQ(h.events<packet_sent_event>().size(), 1u);
  EXPECT_EQ(h.events<packet_sent_event>()[0].type, packet_type::connect);
  EXPECT_EQ(h.events<packet_sent_event>()[0].bytes, expected);
}

TEST(ClientConnect, V31ConnectUsesMQIsdp) {
  options o = v311_options("c1");
  o.protocol = protocol_version::v3_1;
  o.clean = false;
  o.keepalive = 10;
  harness h{o};
  const bytes expected{0x10, 0x10, 0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, 0x00, 0x00, 0x0A,
                       0x00, 0x02, 'c', '1'};
  EXPECT_EQ(h.open().bytes, expected);
}

TEST(ClientConnect, V311ConnectWithWillUsernamePasswordBytes) {
  options o = v311_options("c");
  o.keepalive = 10;
  o.username = "u";
  o.password = str_bytes("p");
  will_options w;
  w.topic = "w";
  w.payload = str_bytes("x");
  w.qos_level = qos::at_least_once;
  w.retain = true;
  o.will = w;
  harness h{o};
  const bytes expected{0x10, 0x19,                           // CONNECT, Remaining Length 25
                       0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04,  // protocol name, level 4
                       0xEE,        // user name, password, will retain, will QoS 1, will flag, clean
                       0x00, 0x0A,  // keepalive 10
                       0x00, 0x01, 'c', 0x00, 0x01, 'w', 0x00, 0x01, 'x', 0x00, 0x01, 'u', 0x00, 0x01, 'p'};
  EXPECT_EQ(h.open().bytes, expected);
}

TEST(ClientConnect, V5ConnectCarriesEveryOption) {
  options o = v5_options("dev-7");
  o.clean = false;
  o.keepalive = 30;
  o.username = "alice";
  o.password = str_bytes("secret");
  o.properties.session_expiry_interval = 3600;
  o.properties.receive_maximum = 20;
  o.properties.maximum_packet_size = 4096;
  o.properties.topic_alias_maximum = 8;
  o.properties.request_response_information = 1;
  o.properties.request_problem_information = 0;
  o.properties.user_properties = {{"k", "v"}};
  will_options w;
  w.topic = "dev/7/status";
  w.payload = str_bytes("offline");
  w.qos_level = qos::at_least_once;
  w.retain = true;
  w.properties.will_delay_interval = 15;
  w.properties.message_expiry_interval = 120;
  w.properties.content_type = "text/plain";
  o.will = w;
  harness h{o};
  const bytes sent = h.open().bytes;

  connect_packet expected;
  expected.version = protocol_version::v5;
  expected.clean_start = false;
  expected.keep_alive = 30;
  expected.client_id = "dev-7";
  expected.props.session_expiry_interval = 3600;
  expected.props.receive_maximum = 20;
  expected.props.maximum_packet_size = 4096;
  expected.props.topic_alias_maximum = 8;
  expected.props.request_response_information = 1;
  expected.props.request_problem_information = 0;
  expected.props.user_properties = {{"k", "v"}};
  will_message wm;
  wm.topic = "dev/7/status";
  wm.payload = as_bytes("offline");
  wm.qos_level = qos::at_least_once;
  wm.retain = true;
  wm.props.will_delay_interval = 15;
  wm.props.message_expiry_interval = 120;
  wm.props.content_type = "text/plain";
  expected.will = wm;
  expected.username = "alice";
  expected.password = as_bytes("secret");
  EXPECT_EQ(sent, wire(expected, protocol_version::v5));

  // Read back independently of the expected packet: the flags byte and a few fields.
  ASSERT_GT(sent.size(), 10u);
  EXPECT_EQ(sent[8], 5);     // protocol level (Remaining Length fits one byte)
  EXPECT_EQ(sent[9], 0xEC);  // user name, password, will retain, will QoS 1, will flag; Clean Start 0
  const auto ps = packets_in(sent, protocol_version::v5);
  ASSERT_EQ(ps.size(), 1u);
  const auto& c = std::get<connect_packet>(ps[0]);
  ASSERT_TRUE(c.will.has_value());
  EXPECT_EQ(c.will->props.will_delay_interval, 15u);
  EXPECT_EQ(c.props.topic_alias_maximum, 8);
}

TEST(ClientConnect, ConnackAcceptedGivesConnectedEventAndSettings) {
  harness h{v5_options()};
  connack_packet a = connack();
  a.props.receive_maximum = 3;
  a.props.topic_alias_maximum = 4;
  a.props.maximum_qos = 1;
  a.props.retain_available = 0;
  a.props.maximum_packet_size = 1000;
  h.connect(a);
  ASSERT_EQ(h.events<connected_event>().size(), 1u);
  EXPECT_FALSE(h.events<connected_event>()[0].session_present);
  EXPECT_EQ(h.events<connected_event>()[0].properties.receive_maximum, 3);
  EXPECT_EQ(h.events<packet_received_event>().size(), 1u);
  EXPECT_EQ(h.c.state(), connection_state::connected);
  EXPECT_EQ(h.c.negotiated().receive_maximum, 3);
  EXPECT_EQ(h.c.negotiated().topic_alias_maximum, 4);
  EXPECT_EQ(h.c.negotiated().maximum_qos, 1);
  EXPECT_FALSE(h.c.negotiated().retain_available);
  EXPECT_EQ(h.c.negotiated().maximum_packet_size, 1000u);
}

TEST(ClientConnect, V5RefusedConnackClosesAndSchedulesReconnect) {
  harness h{v5_options()};
  h.open(100);
  const output& o = h.server(connack(false, reason_code::bad_user_name_or_password), 100);
  EXPECT_TRUE(o.bytes.empty());
  EXPECT_TRUE(o.close);
  ASSERT_EQ(h.events<connect_failed_event>().size(), 1u);
  EXPECT_EQ(h.events<connect_failed_event>()[0].reason, reason_code::bad_user_name_or_password);
  ASSERT_EQ(h.events<offline_event>().size(), 1u);
  EXPECT_EQ(h.events<offline_event>()[0].cause, close_cause::connect_refused);
  EXPECT_EQ(h.events<offline_event>()[0].reconnect_at_ms, 1100u);
  EXPECT_EQ(h.c.state(), connection_state::offline);
}

TEST(ClientConnect, V311ReturnCodeIsReported) {
  harness h{v311_options()};
  h.open();
  const output& o = h.feed({0x20, 0x02, 0x00, 0x05});  // CONNACK: not authorized
  EXPECT_TRUE(o.close);
  ASSERT_EQ(h.events<connect_failed_event>().size(), 1u);
  EXPECT_EQ(static_cast<int>(h.events<connect_failed_event>()[0].reason), 5);
}

TEST(ClientConnect, RedirectionInConnackCarriesServerReference) {
  harness h{v5_options()};
  h.open();
  connack_packet a = connack(false, reason_code::use_another_server);
  a.props.server_reference = "other.example:1883";
  h.server(a);
  ASSERT_EQ(h.events<connect_failed_event>().size(), 1u);
  EXPECT_EQ(h.events<connect_failed_event>()[0].reason, reason_code::use_another_server);
  EXPECT_EQ(h.events<connect_failed_event>()[0].server_reference, "other.example:1883");
}

TEST(ClientConnect, RedirectionInDisconnectCarriesServerReference) {
  harness h{v5_options()};
  h.connect();
  disconnect_packet d;
  d.reason = reason_code::server_moved;
  d.props.server_reference = "new.example";
  const output& o = h.server(d);
  EXPECT_TRUE(o.close);
  ASSERT_EQ(h.events<server_disconnect_event>().size(), 1u);
  EXPECT_EQ(h.events<server_disconnect_event>()[0].reason, reason_code::server_moved);
  EXPECT_EQ(h.events<server_disconnect_event>()[0].server_reference, "new.example");
  EXPECT_EQ(h.events<offline_event>()[0].cause, close_cause::server_disconnect);
}

TEST(ClientConnect, AssignedClientIdentifierIsKeptForReconnect) {
  options o = v5_options("");
  o.clean = false;
  o.properties.session_expiry_interval = 60;
  harness h{o};
  connack_packet a = connack();
  a.props.assigned_client_identifier = "auto-42";
  h.connect(a);
  EXPECT_EQ(h.c.negotiated().client_id, "auto-42");
  h.c.connection_closed(10);
  h.drain();
  const auto ps = packets_in(h.open(2000).bytes, protocol_version::v5);
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(std::get<connect_packet>(ps[0]).client_id, "auto-42");
}

TEST(ClientConnect, ConnectTimeoutClosesTheTransport) {
  options o = v311_options();
  o.connect_timeout_ms = 5000;
  harness h{o};
  h.open(1000);
  EXPECT_EQ(h.c.next_deadline(), 6000u);
  EXPECT_FALSE(h.tick(5999).close);
  const output& out = h.tick(6000);
  EXPECT_TRUE(out.close);
  EXPECT_TRUE(h.has<connect_timeout_event>());
  EXPECT_EQ(h.events<offline_event>()[0].cause, close_cause::connect_timeout);
}

// [MQTT-3.2.0-1] The first packet from the server is CONNACK.
TEST(ClientConnect, MQTT_3_2_0_1_PacketBeforeConnackIsAProtocolError) {
  harness h{v5_options()};
  h.open();
  const output& o = h.server(pub("a", "x"));
  EXPECT_EQ(o.bytes, (bytes{0xE0, 0x01, 0x82}));  // DISCONNECT, Protocol Error
  EXPECT_TRUE(o.close);
  EXPECT_TRUE(h.has<protocol_error_event>());
  EXPECT_FALSE(h.has<message_event>());

  harness h3{v311_options()};
  h3.open();
  const output& o3 = h3.server(pub("a", "x"));
  EXPECT_TRUE(o3.bytes.empty());  // 3.x: a plain close
  EXPECT_TRUE(o3.close);
}

// [MQTT-3.2.2-4] A client without Session State that gets Session Present 1 closes the connection.
TEST(ClientConnect, MQTT_3_2_2_4_SessionPresentWithCleanStartIsRefused) {
  harness h{v5_options()};
  const output& o = h.connect(connack(true));
  EXPECT_TRUE(o.close);
  EXPECT_EQ(o.bytes, (bytes{0xE0, 0x01, 0x82}));
  EXPECT_FALSE(h.has<connected_event>());
}

TEST(ClientConnect, SecondConnackIsAProtocolError) {
  harness h{v5_options()};
  h.connect();
  const output& o = h.server(connack());
  EXPECT_TRUE(o.close);
  EXPECT_TRUE(h.has<protocol_error_event>());
}

TEST(ClientConnect, EnhancedAuthenticationExchange) {
  options o = v5_options();
  o.properties.authentication_method = "SCRAM-SHA-1";
  o.properties.authentication_data = str_bytes("client-first");
  harness h{o};
  h.open();
  auth_packet challenge;
  challenge.reason = reason_code::continue_authentication;
  challenge.props.authentication_method = "SCRAM-SHA-1";
  challenge.props.authentication_data = as_bytes("server-first");
  h.server(challenge);
  ASSERT_EQ(h.events<auth_challenge_event>().size(), 1u);
  EXPECT_EQ(h.events<auth_challenge_event>()[0].properties.authentication_data, str_bytes("server-first"));

  const bytes data = str_bytes("client-final");
  ASSERT_EQ(h.c.auth(data, 0), client_error::ok);
  auth_packet answer;
  answer.reason = reason_code::continue_authentication;
  answer.props.authentication_method = "SCRAM-SHA-1";
  answer.props.authentication_data = as_bytes("client-final");
  EXPECT_EQ(h.drain().bytes, wire(answer, protocol_version::v5));

  connack_packet a = connack();
  a.props.authentication_method = "SCRAM-SHA-1";
  h.server(a);
  EXPECT_TRUE(h.has<connected_event>());
  EXPECT_EQ(h.c.auth(data, 0), client_error::not_connected);  // no exchange in progress

  // Re-authentication: AUTH 0x19, then the server's AUTH 0x00 ends it.
  ASSERT_EQ(h.c.reauthenticate(str_bytes("again"), 5), client_error::ok);
  auth_packet re;
  re.reason = reason_code::re_authenticate;
  re.props.authentication_method = "SCRAM-SHA-1";
  re.props.authentication_data = as_bytes("again");
  EXPECT_EQ(h.drain().bytes, wire(re, protocol_version::v5));
  auth_packet done;
  done.reason = reason_code::success;
  done.props.authentication_method = "SCRAM-SHA-1";
  h.server(done);
  ASSERT_EQ(h.events<auth_challenge_event>().size(), 1u);
  EXPECT_EQ(h.events<auth_challenge_event>()[0].reason, reason_code::success);
  EXPECT_FALSE(h.out.close);
}

TEST(ClientConnect, AuthWithoutMethodIsAProtocolError) {
  harness h{v5_options()};
  h.open();
  auth_packet challenge;
  challenge.reason = reason_code::continue_authentication;
  challenge.props.authentication_method = "X";
  const output& o = h.server(challenge);
  EXPECT_TRUE(o.close);
  EXPECT_EQ(o.bytes, (bytes{0xE0, 0x01, 0x82}));
  EXPECT_EQ(h.c.reauthenticate({}, 0), client_error::invalid_argument);  // no method configured
}

TEST(ClientConnect, AuthIsRefusedOnV311) {
  harness h{v311_options()};
  h.connect();
  EXPECT_EQ(h.c.reauthenticate({}, 0), client_error::not_supported_by_version);
}

}  // namespace
}  // namespace postcard::client_test
