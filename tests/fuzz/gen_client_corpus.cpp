// Writes fuzz_client's seed corpus (tests/fuzz/corpus/client): sessions in every version as programs in
// client_program.hpp's language (a transport opens, the server's CONNACK, subscribe/publish at every
// QoS with the server's acks in the ids the client engine allocates, inbound QoS 1/2, keep alive,
// reconnect with and without a session, v5 aliases, limits, AUTH and DISCONNECT from the server).
// Usage: gen_client_corpus OUTPUT_DIR
#include <cstdio>
#include <string>
#include <vector>

#include "client_program.hpp"
#include "codec/codec.hpp"

using namespace postcard;
namespace ops = postcard::fuzz::client_ops;
namespace ob = ops::option_bits;
namespace pb = ops::property_bits;

namespace {

const std::uint8_t blob[] = {'h', 'i'};

class program {
 public:
  program(std::uint8_t options, std::uint8_t props) : v_(version_of(options)) { b_ = {options, props}; }
  static protocol_version version_of(std::uint8_t o) {
    return o % 3 == 0 ? protocol_version::v3_1 : o % 3 == 1 ? protocol_version::v3_1_1 : protocol_version::v5;
  }
  program& server(const packet& p, std::size_t split = 255) {
    std::vector<std::uint8_t> out;
    if (encode(p, v_, out) != codec_error::ok) std::fprintf(stderr, "seed packet does not encode\n");
    for (std::size_t pos = 0; pos < out.size(); pos += split) {
      const std::size_t n = std::min(split, out.size() - pos);
      b_.push_back(ops::server);
      b_.push_back(static_cast<std::uint8_t>(n));
      b_.insert(b_.end(), out.begin() + static_cast<std::ptrdiff_t>(pos), out.begin() + static_cast<std::ptrdiff_t>(pos + n));
    }
    return *this;
  }
  program& op(std::uint8_t code) {
    b_.push_back(code);
    return *this;
  }
  program& op(std::uint8_t code, std::uint8_t arg) { return op(code).op(arg); }
  program& ack(packet_type t, std::uint16_t id) { return server(ack_packet{t, id, reason_code::success, {}}); }
  program& connack(bool session_present = false, properties props = {}) {
    return server(connack_packet{session_present, reason_code::success, std::move(props)});
  }
  bool v5() const { return v_ == protocol_version::v5; }
  const std::vector<std::uint8_t>& bytes() const { return b_; }

 private:
  protocol_version v_;
  std::vector<std::uint8_t> b_;
};

// publish() argument byte: topic index, QoS, retain, explicit alias.
constexpr std::uint8_t pub_arg(unsigned topic, unsigned q, bool retain = false, bool alias = false, unsigned size = 1) {
  return static_cast<std::uint8_t>(topic | q << 2 | (retain ? 0x10 : 0) | (alias ? 0x20 : 0) | size << 6);
}

int written = 0;

void write(const std::string& dir, const std::string& name, const program& p) {
  const std::string path = dir + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return;
  std::fwrite(p.bytes().data(), 1, p.bytes().size(), f);
  std::fclose(f);
  ++written;
}

// A whole session: subscribe (id 1), publish QoS 0/1 (id 2)/2 (id 3) with acks, inbound QoS 1 and 2,
// a ping, the connection lost and resumed, then the end.
program session(std::uint8_t options, std::uint8_t props, std::size_t split = 255) {
  program p{options, props};
  p.op(ops::opened).connack().op(ops::subscribe, 0 | 2 << 2);
  suback_packet sa{1, {}, {reason_code::granted_qos_2}};
  p.server(sa, split);
  p.op(ops::publish, pub_arg(0, 0)).op(ops::publish, pub_arg(1, 1)).op(ops::publish, pub_arg(0, 2, true));
  p.ack(packet_type::puback, 2).ack(packet_type::pubrec, 3).ack(packet_type::pubcomp, 3);
  p.server(publish_packet{false, qos::at_least_once, false, "a/b", 5, {}, bytes_view{blob}}, split);
  p.server(publish_packet{false, qos::exactly_once, true, "a/c", 6, {}, bytes_view{blob}}, split);
  p.ack(packet_type::pubrel, 6).op(ops::tick, 60).server(pingresp_packet{});
  p.op(ops::publish, pub_arg(2, 1)).op(ops::lost).op(ops::tick, 20).op(ops::opened).connack(true);
  p.ack(packet_type::puback, 4).op(ops::unsubscribe, 0).server(unsuback_packet{7, {}, {}});
  p.op(ops::disconnect);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string dir = argv[1];
  write(dir, "session_v31", session(0, 0));
  write(dir, "session_v311", session(1 | ob::keepalive, 0));
  write(dir, "session_v311_persistent_will", session(1 | ob::persistent | ob::will, pb::user));
  write(dir, "session_v5", session(2 | ob::keepalive, pb::expiry));
  write(dir, "session_v5_bytewise", session(2, 0, 1));
  write(dir, "session_v5_limits", session(2 | ob::tight_queue, pb::receive_max | pb::packet_max | pb::alias_max));
  write(dir, "session_v5_auto_alias", session(2 | ob::auto_alias, pb::alias_max | 0x80));

  {  // The server's limits in CONNACK: aliases, Receive Maximum 1, Maximum QoS 1, no retain, small packets.
    program p{2 | ob::auto_alias, pb::alias_max};
    properties props;
    props.topic_alias_maximum = 2;
    props.receive_maximum = 1;
    props.maximum_qos = 1;
    props.retain_available = 0;
    props.maximum_packet_size = 40;
    props.assigned_client_identifier = "assigned";
    props.server_keep_alive = 3;
    p.op(ops::opened).connack(false, props);
    for (unsigned i = 0; i < 4; ++i) p.op(ops::publish, pub_arg(i, 1, false, i == 3, 3));
    p.ack(packet_type::puback, 1).op(ops::tick, 40);
    publish_packet in{false, qos::at_most_once, false, "a/b", 0, {}, bytes_view{blob}};
    in.props.topic_alias = 1;
    p.server(in);
    in.topic = "";
    p.server(in).op(ops::tick, 200);
    write(dir, "v5_server_limits", p);
  }
  {  // Enhanced authentication: AUTH continue from the server, our answer, success; re-authentication.
    program p{2, pb::auth_method};
    auth_packet au{reason_code::continue_authentication, {}};
    au.props.authentication_method = "M";
    au.props.authentication_data = bytes_view{blob};
    p.op(ops::opened).server(au).op(ops::auth, 2).connack().op(ops::auth, 1);
    au.reason = reason_code::success;
    p.server(au);
    write(dir, "v5_auth", p);
  }
  {  // Refusals and server-side ends: CONNACK failure, reconnect, DISCONNECT with a reason.
    program p{2, 0};
    p.op(ops::opened).server(connack_packet{false, reason_code::not_authorized, {}}).op(ops::lost).op(ops::tick, 11);
    p.op(ops::opened).connack().op(ops::publish, pub_arg(0, 2));
    disconnect_packet d{reason_code::server_moved, {}};
    d.props.server_reference = "other";
    p.server(d).op(ops::tick, 30).op(ops::opened).connack().op(ops::tick, 255).op(ops::tick, 255);
    write(dir, "v5_refused_disconnect", p);
  }
  {  // 3.1.1: offline queue, a CONNACK refusal code, a connect timeout, garbage from the server.
    program p{1 | ob::tight_queue, 0};
    p.op(ops::publish, pub_arg(0, 1)).op(ops::publish, pub_arg(1, 2)).op(ops::subscribe, 1 << 2);
    p.op(ops::opened).server(connack_packet{false, static_cast<reason_code>(4), {}});  // 3.x return code 4
    p.op(ops::lost).op(ops::tick, 20).op(ops::opened).op(ops::tick, 255).op(ops::opened).connack();
    p.op(ops::server, 4).op(0x20).op(0x02).op(0x00).op(0x00);  // a second CONNACK: a protocol error
    write(dir, "v311_offline_errors", p);
  }
  std::printf("%d files\n", written);
  return 0;
}
