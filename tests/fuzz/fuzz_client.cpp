// libFuzzer target for the client engine: options from the input's first two bytes, then a program
// (client_program.hpp) of server bytes in any split, transport ups and downs, time and commands.
// Beyond "no crash, no leak, no undefined behaviour", after every input it checks the drained output:
//   - bytes only while a transport is up, and always whole packets that decode in the client's version;
//   - only packets a client may send [MQTT-2.1.2]: never CONNACK, SUBACK, UNSUBACK, PINGRESP;
//     CONNECT exactly once per transport, first;
//   - PUBLISH within the server's limits: Topic Alias <= its Topic Alias Maximum [MQTT-3.3.2-9],
//     size <= its Maximum Packet Size [MQTT-3.1.2-24], QoS <= its Maximum QoS [MQTT-3.2.2-11];
//   - at most Receive Maximum QoS 1/2 publishes awaiting acknowledgement [MQTT-4.9.0-2];
//   - after tick(now), next_deadline() (when set) lies in the future.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "client/engine.hpp"
#include "client_program.hpp"
#include "codec/codec.hpp"
#include "codec/framer.hpp"
#include "input_reader.hpp"

namespace {

using namespace postcard;
using namespace postcard::client;
using namespace postcard::fuzz;
namespace ops = postcard::fuzz::client_ops;

[[noreturn]] void fail(const char* what, unsigned detail = 0) {
  std::fprintf(stderr, "fuzz_client: %s (%u)\n", what, detail);
  std::abort();
}

options make_options(std::uint8_t o, std::uint8_t props) {
  namespace ob = ops::option_bits;
  namespace pb = ops::property_bits;
  options opts;
  opts.protocol = o % 3 == 0 ? protocol_version::v3_1 : o % 3 == 1 ? protocol_version::v3_1_1 : protocol_version::v5;
  opts.client_id = "fuzz";
  opts.clean = (o & ob::persistent) == 0;
  opts.keepalive = (o & ob::keepalive) ? 5 : 0;
  if (o & ob::will) opts.will = will_options{"w/1", {'x'}, qos::at_least_once, true, {}};
  opts.auto_use_topic_alias = opts.auto_assign_topic_alias = (o & ob::auto_alias) != 0;
  if (o & ob::no_reconnect) opts.reconnect.period_ms = 0;
  if (o & ob::tight_queue) {
    opts.offline_queue_limit = 3;
    opts.queue_qos_zero = false;
  }
  opts.packet_events = (props & 0x80) == 0;
  if (opts.protocol == protocol_version::v5) {
    if (props & pb::alias_max) opts.properties.topic_alias_maximum = 4;
    if (props & pb::receive_max) opts.properties.receive_maximum = 2;
    if (props & pb::packet_max) opts.properties.maximum_packet_size = 128;
    if (props & pb::expiry) opts.properties.session_expiry_interval = 60;
    if (props & pb::auth_method) opts.properties.authentication_method = "M";
  }
  if (props & pb::user) {
    opts.username = "u";
    opts.password = std::vector<std::uint8_t>{'p'};
  }
  return opts;
}

class harness {
 public:
  explicit harness(options opts) : engine_(std::move(opts)) {}

  void run(input_reader& in) {
    static const std::uint8_t payload[] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9'};
    while (!in.done()) {
      const std::uint8_t op = in.byte();
      if (op < ops::opened) {
        const bytes_view b = in.take(in.byte());
        engine_.receive(b, now_);
      } else if (op < ops::lost) {
        if (!transport_up_) {
          transport_up_ = true;
          connect_sent_ = false;
          engine_.connection_opened(now_);
        }
      } else if (op < ops::tick) {
        if (transport_up_) {
          transport_up_ = false;
          engine_.connection_closed(now_);
        }
      } else if (op < ops::publish) {
        now_ += 100u * in.byte();
        engine_.tick(now_);
        if (auto d = engine_.next_deadline(); d && *d <= now_) fail("next_deadline() not after tick(now)");
      } else if (op < ops::subscribe) {
        const std::uint8_t w = in.byte();
        publish_options po;
        po.qos_level = static_cast<qos>((w >> 2) % 3);
        po.retain = (w & 0x10) != 0;
        if (w & 0x20) po.properties.topic_alias = 1;
        const std::size_t n = (w >> 6) * 3u;
        (void)engine_.publish(ops::publish_topics[w % 4], bytes_view{payload, n}, po, now_);
      } else if (op < ops::unsubscribe) {
        const std::uint8_t w = in.byte();
        subscription s;
        s.filter = std::string(ops::subscribe_filters[w % 4]);
        s.max_qos = static_cast<qos>((w >> 2) % 3);
        s.no_local = (w & 0x10) != 0;
        s.handling = static_cast<retain_handling>((w >> 5) % 3);
        (void)engine_.subscribe(std::span<const subscription>{&s, 1}, {}, now_);
      } else if (op < ops::disconnect) {
        const std::string f{ops::subscribe_filters[in.byte() % 4]};
        (void)engine_.unsubscribe(std::span<const std::string>{&f, 1}, {}, now_);
      } else if (op < ops::auth) {
        (void)engine_.disconnect(reason_code::normal_disconnection, {}, now_);
      } else {
        const std::uint8_t w = in.byte();
        const bytes_view data{payload, w % 4u};
        (void)((w & 1) ? engine_.reauthenticate(data, now_) : engine_.auth(data, now_));
      }
      check_output();
    }
  }

 private:
  void check_output() {
    engine_.drain(out_);
    if (!out_.bytes.empty()) {
      if (!transport_up_) fail("bytes to write without a transport", static_cast<unsigned>(out_.bytes.size()));
      check_packets(bytes_view{out_.bytes.data(), out_.bytes.size()});
    }
    if (out_.close && transport_up_) {
      transport_up_ = false;
      engine_.connection_closed(now_);
      engine_.drain(out_);  // an offline event; never bytes
      if (!out_.bytes.empty()) fail("bytes after the engine closed the transport");
    }
    const auto& n = engine_.negotiated();
    if (engine_.state() == connection_state::connected && engine_.inflight() > n.receive_maximum)
      fail("more publishes in flight than the server's Receive Maximum", static_cast<unsigned>(engine_.inflight()));
  }

  void check_packets(bytes_view bytes) {
    const protocol_version v = engine_.config().protocol;
    const auto& n = engine_.negotiated();
    framer f;
    f.feed(bytes);
    frame fr;
    frame_status st;
    std::size_t total = 0;
    while ((st = f.next(fr)) == frame_status::frame) {
      total += fr.total_size;
      packet p;
      if (auto e = decode_packet(fr.first_byte, fr.body, v, p); e != codec_error::ok)
        fail("the client sent a packet that does not decode; first byte", fr.first_byte);
      const packet_type t = type_of(p);
      if (t == packet_type::connack || t == packet_type::suback || t == packet_type::unsuback ||
          t == packet_type::pingresp)
        fail("the client sent a server-only packet", static_cast<unsigned>(t));
      if ((t == packet_type::connect) != !connect_sent_) fail("CONNECT not exactly once, first, per transport");
      connect_sent_ = true;
      if (const auto* pub = std::get_if<publish_packet>(&p)) {
        if (pub->props.topic_alias && *pub->props.topic_alias > n.topic_alias_maximum)
          fail("Topic Alias above the server's maximum", *pub->props.topic_alias);
        if (n.maximum_packet_size != 0 && fr.total_size > n.maximum_packet_size)
          fail("PUBLISH above the server's Maximum Packet Size", static_cast<unsigned>(fr.total_size));
        if (static_cast<std::uint8_t>(pub->qos_level) > n.maximum_qos)
          fail("PUBLISH above the server's Maximum QoS", static_cast<unsigned>(pub->qos_level));
      }
    }
    if (st == frame_status::error) fail("the client wrote bytes the framer refuses", static_cast<unsigned>(f.error()));
    if (total != bytes.size()) fail("written bytes end inside a packet");
  }

  engine engine_;
  output out_;
  std::uint64_t now_ = 1'000'000;
  bool transport_up_ = false;
  bool connect_sent_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input_reader in{data, size};
  const std::uint8_t o = in.byte();
  harness h{make_options(o, in.byte())};
  h.run(in);
  return 0;
}
