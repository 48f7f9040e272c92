// Writes fuzz_broker's seed corpus (tests/fuzz/corpus/broker): scenarios of the broker world tests
// (connect in every version, subscribe/publish at every QoS with the acks, retained messages, persistent
// sessions resumed, wills, keep alive, shared subscriptions, topic aliases, expiry, admin commands) as
// programs in broker_program.hpp's language, so the fuzzer starts past CONNECT on several connections.
// Usage: gen_broker_corpus OUTPUT_DIR
#include <cstdio>
#include <string>
#include <vector>

#include "broker_program.hpp"
#include "codec/codec.hpp"

using namespace postcard;
using namespace postcard::fuzz;

namespace {

const std::uint8_t blob[] = {'h', 'i'};

class program {
 public:
  explicit program(std::uint8_t setup, std::size_t split = 255) : split_(split) { b_.push_back(setup); }
  program& send(unsigned slot, const packet& p, protocol_version v) {
    std::vector<std::uint8_t> out;
    if (encode(p, v, out) != codec_error::ok) std::fprintf(stderr, "seed packet does not encode\n");
    return raw(slot, out);
  }
  program& raw(unsigned slot, const std::vector<std::uint8_t>& bytes) {
    for (std::size_t pos = 0; pos < bytes.size(); pos += split_) {
      const std::size_t n = std::min(split_, bytes.size() - pos);
      b_.push_back(static_cast<std::uint8_t>(op_receive | slot));
      b_.push_back(static_cast<std::uint8_t>(n));
      b_.insert(b_.end(), bytes.begin() + static_cast<std::ptrdiff_t>(pos), bytes.begin() + static_cast<std::ptrdiff_t>(pos + n));
    }
    return *this;
  }
  program& open(unsigned slot) { return op(static_cast<std::uint8_t>(op_open | slot)); }
  program& closed(unsigned slot) { return op(static_cast<std::uint8_t>(op_closed | slot)); }
  program& tick(std::uint8_t d) { return op(op_tick).op(d); }
  program& admin(std::uint8_t what) { return op(op_admin).op(what); }
  const std::vector<std::uint8_t>& bytes() const { return b_; }

 private:
  program& op(std::uint8_t b) {
    b_.push_back(b);
    return *this;
  }
  std::vector<std::uint8_t> b_;
  std::size_t split_;
};

connect_packet conn(protocol_version v, std::string_view id, bool clean = true, std::uint16_t keep_alive = 0) {
  connect_packet c;
  c.version = v;
  c.client_id = id;
  c.clean_start = clean;
  c.keep_alive = keep_alive;
  return c;
}

subscribe_packet sub(std::string_view filter, qos q, std::uint16_t id = 1) { return {id, {}, {{filter, q}}}; }

publish_packet pub(std::string_view topic, qos q, std::uint16_t id = 0, bool retain = false) {
  return {false, q, retain, topic, id, {}, bytes_view{blob}};
}

ack_packet ack(packet_type t, std::uint16_t id) { return {t, id, reason_code::success, {}}; }

int written = 0;

void write(const std::string& dir, const std::string& name, const program& p) {
  const std::string path = dir + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return;
  std::fwrite(p.bytes().data(), 1, p.bytes().size(), f);
  std::fclose(f);
  ++written;
}

// Subscriber on slot 0, publisher on slot 1: QoS 0, 1 and 2 through, with every acknowledgement.
program qos_flows(protocol_version v, std::uint8_t setup, std::size_t split = 255) {
  program p{setup, split};
  p.send(0, conn(v, "c0"), v).send(0, sub("a/#", qos::exactly_once), v);
  p.send(1, conn(v, "c1"), v);
  p.send(1, pub("a/b", qos::at_most_once), v);
  p.send(1, pub("a/b", qos::at_least_once, 1), v);
  p.send(1, pub("a/c", qos::exactly_once, 2), v).send(1, ack(packet_type::pubrel, 2), v);
  p.send(0, ack(packet_type::puback, 1), v).send(0, ack(packet_type::pubrec, 2), v);
  p.send(0, ack(packet_type::pubcomp, 2), v);
  p.send(0, unsubscribe_packet{3, {}, {"a/#"}}, v).send(1, pingreq_packet{}, v);
  p.send(0, disconnect_packet{}, v).send(1, disconnect_packet{}, v);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string dir = argv[1];
  const auto v31 = protocol_version::v3_1, v311 = protocol_version::v3_1_1, v5 = protocol_version::v5;

  write(dir, "qos_v31", qos_flows(v31, 0));
  write(dir, "qos_v311", qos_flows(v311, 0));
  write(dir, "qos_v5", qos_flows(v5, 0));
  write(dir, "qos_v5_bytewise", qos_flows(v5, 0, 1));
  write(dir, "qos_v5_split7", qos_flows(v5, 0, 7));
  write(dir, "qos_v311_small_queues", qos_flows(v311, setup_bits::small_queues));
  write(dir, "qos_v5_max_qos_1", qos_flows(v5, setup_bits::max_qos_1 | setup_bits::no_sys));
  write(dir, "qos_v5_small_packets", qos_flows(v5, setup_bits::small_packets | setup_bits::no_durable));

  {  // Mixed versions on one topic; a 3.1 subscriber gets the v5 publisher's messages.
    program p{0};
    p.send(0, conn(v31, "c0"), v31).send(0, sub("x/+", qos::at_least_once), v31);
    p.send(1, conn(v311, "c1"), v311).send(1, sub("x/#", qos::exactly_once), v311);
    p.send(2, conn(v5, "c2"), v5).send(2, pub("x/y", qos::exactly_once, 9), v5).send(2, ack(packet_type::pubrel, 9), v5);
    write(dir, "mixed_versions", p);
  }
  for (auto v : {v311, v5}) {  // Persistent session: offline queue, then resumed with acks.
    program p{setup_bits::queue_qos0};
    connect_packet c = conn(v, "c0", false);
    if (v == v5) c.props.session_expiry_interval = 100;
    p.send(0, c, v).send(0, sub("q/#", qos::exactly_once), v).closed(0);
    p.send(1, conn(v, "c1"), v);
    for (std::uint16_t i = 1; i <= 4; ++i) p.send(1, pub("q/1", static_cast<qos>(i % 3), i % 3 ? i : 0), v);
    p.send(1, ack(packet_type::pubrel, 2), v).tick(20).open(0).send(0, c, v);
    p.send(0, ack(packet_type::puback, 1), v).send(0, ack(packet_type::pubrec, 2), v).send(0, ack(packet_type::pubcomp, 2), v);
    p.admin(static_cast<std::uint8_t>(admin_op::save_restore)).tick(200).tick(200);
    write(dir, v == v5 ? "session_resume_v5" : "session_resume_v311", p);
  }
  {  // Retained messages: set, delivered on subscribe, cleared; broker publish too.
    program p{0};
    p.send(0, conn(v5, "c0"), v5).send(0, pub("r/1", qos::at_least_once, 1, true), v5);
    p.send(0, pub("r/2", qos::at_most_once, 0, true), v5);
    p.admin(static_cast<std::uint8_t>(admin_op::publish) | 0x40 | 0x08);
    p.send(1, conn(v311, "c1"), v311).send(1, sub("#", qos::exactly_once), v311).send(1, sub("r/+", qos::at_least_once, 2), v311);
    p.send(0, publish_packet{false, qos::at_most_once, true, "r/1", 0, {}, {}}, v5);
    p.admin(static_cast<std::uint8_t>(admin_op::publish_empty)).admin(static_cast<std::uint8_t>(admin_op::stats));
    write(dir, "retained", p);
  }
  {  // Wills: keep alive timeout, will delay, a clean DISCONNECT that drops the will.
    program p{0};
    connect_packet c = conn(v5, "c0", true, 2);
    c.will = will_message{"w/0", bytes_view{blob}, qos::at_least_once, true, {}};
    c.will->props.will_delay_interval = 3;
    c.props.session_expiry_interval = 10;
    p.send(1, conn(v5, "c1"), v5).send(1, sub("w/#", qos::at_least_once), v5);
    p.send(0, c, v5).tick(100).tick(100).tick(129).tick(60);
    connect_packet c3 = conn(v311, "c3", true, 1);
    c3.will = will_message{"w/3", bytes_view{blob}, qos::at_most_once, false, {}};
    p.send(2, c3, v311).closed(2).send(3, c3, v311).send(3, disconnect_packet{}, v311).tick(200);
    write(dir, "wills", p);
  }
  {  // Shared subscriptions: two members, one leaves with messages in flight.
    program p{setup_bits::small_queues};
    p.send(0, conn(v5, "c0"), v5).send(0, sub("$share/g/s/#", qos::at_least_once), v5);
    p.send(1, conn(v5, "c1"), v5).send(1, sub("$share/g/s/#", qos::exactly_once), v5);
    p.send(2, conn(v5, "c2"), v5);
    for (std::uint16_t i = 1; i <= 5; ++i) p.send(2, pub("s/x", qos::at_least_once, i), v5);
    p.closed(0).send(1, ack(packet_type::pubrec, 1), v5);
    write(dir, "shared", p);
  }
  {  // Topic aliases both ways, subscription identifiers, message expiry, user properties.
    program p{0};
    connect_packet c = conn(v5, "c0");
    c.props.topic_alias_maximum = 4;
    c.props.receive_maximum = 2;
    c.props.maximum_packet_size = 200;
    p.send(0, c, v5);
    subscribe_packet s = sub("t/#", qos::exactly_once);
    s.props.subscription_identifiers = {7};
    s.topics[0].no_local = true;
    p.send(0, s, v5);
    p.send(1, conn(v5, "c1"), v5);
    publish_packet a = pub("t/alias", qos::at_least_once, 1);
    a.props.topic_alias = 1;
    a.props.message_expiry_interval = 2;
    a.props.user_properties = {{"k", "v"}};
    p.send(1, a, v5);
    publish_packet b = pub("", qos::at_least_once, 2);
    b.props.topic_alias = 1;
    p.send(1, b, v5).tick(255).send(0, ack(packet_type::puback, 1), v5);
    write(dir, "v5_properties", p);
  }
  {  // Session expiry and a takeover of a live session.
    program p{setup_bits::strict_ids};
    connect_packet c = conn(v5, "c0", false, 30);
    c.props.session_expiry_interval = 5;
    p.send(0, c, v5).send(0, sub("e/1", qos::at_least_once), v5).send(1, c, v5);
    p.send(1, disconnect_packet{}, v5).tick(140).tick(140);
    p.send(2, conn(v5, ""), v5);  // refused: zero-length client id
    write(dir, "expiry_takeover", p);
  }
  {  // Enhanced authentication without a hook, bad credentials and a connect timeout.
    program p{0};
    connect_packet c = conn(v5, "c0");
    c.props.authentication_method = "SCRAM-SHA-256";
    c.props.authentication_data = bytes_view{blob};
    p.send(0, c, v5);
    connect_packet u = conn(v311, "c1");
    u.username = "user";
    u.password = bytes_view{blob};
    p.send(1, u, v311).open(2).tick(127).tick(127).tick(127);
    write(dir, "auth_timeouts", p);
  }
  {  // Protocol errors after CONNECT: a second CONNECT, a reserved type, a truncated length.
    program p{0};
    p.send(0, conn(v5, "c0"), v5).send(0, conn(v5, "c0"), v5);
    p.send(1, conn(v311, "c1"), v311).raw(1, {0xF0, 0x00});
    p.send(2, conn(v5, "c2"), v5).raw(2, {0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F});
    p.raw(3, {0x10, 0x04, 0x00, 0x02, 'M', 'Q'});
    write(dir, "malformed", p);
  }
  {  // Admin commands on live and offline sessions, events off, shutdown.
    program p{0};
    p.send(0, conn(v5, "c0"), v5).send(1, conn(v311, "c1", false), v311).send(1, sub("a/b", qos::at_least_once), v311);
    p.closed(1).admin(static_cast<std::uint8_t>(admin_op::events_off)).admin(0x10);  // publish QoS 2
    p.admin(static_cast<std::uint8_t>(admin_op::disconnect));                        // c0
    p.admin(static_cast<std::uint8_t>(admin_op::remove_session) | 0x08);             // c1
    p.admin(static_cast<std::uint8_t>(admin_op::stats)).send(2, conn(v5, "c2"), v5).admin(0xFF);
    write(dir, "admin", p);
  }
  std::printf("%d files\n", written);
  return 0;
}
