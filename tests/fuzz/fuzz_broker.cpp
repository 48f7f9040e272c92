// libFuzzer target for the broker engine: one engine, four connection slots and a virtual clock, driven
// by the little program in broker_program.hpp (bytes on any slot in any split, opens, transport losses,
// time, admin commands). Beyond "no crash, no leak, no undefined behaviour", every input checks:
//   - send() and close() name only live connections, and send() comes at most once per connection per
//     input (the engine's one-write-per-input contract);
//   - every send() holds whole packets that decode with the codec, in the version of the CONNECT that
//     connection sent (a first CONNACK may use any version: refusals of unknown versions use 3.1.1);
//   - after tick(now), next_deadline() lies in the future;
//   - the durable-change records, replayed, give exactly what save() returns; and an engine restored
//     from save() saves the same state again (save_restore command and end of input).
// Any disagreement prints what differs and aborts.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "broker/engine.hpp"
#include "broker_program.hpp"
#include "codec/codec.hpp"
#include "codec/framer.hpp"
#include "durable_compare.hpp"
#include "input_reader.hpp"

namespace {

using namespace postcard;
using namespace postcard::broker;
using namespace postcard::fuzz;

[[noreturn]] void fail(const char* what, unsigned detail = 0) {
  std::fprintf(stderr, "fuzz_broker: %s (%u)\n", what, detail);
  std::abort();
}

struct slot {
  connection_id id = 0;
  bool live = false;       // opened and not closed by either side
  bool first_in_seen = false;
  bool first_out_seen = false;
  std::optional<protocol_version> version;  // from the CONNECT this connection sent
  framer in{framer::protocol_maximum};
  unsigned sends = 0;      // send() calls during the current input
};

class harness : public output_sink {
 public:
  explicit harness(std::uint8_t setup) : durable_on_((setup & setup_bits::no_durable) == 0) {
    cfg_ = make_config(setup);
    engine_ = std::make_unique<engine>(cfg_, *this);
  }

  static config make_config(std::uint8_t setup) {
    config c;
    if (setup & setup_bits::small_packets) c.max_packet_size = 300;
    if (setup & setup_bits::small_queues) {
      c.max_inflight_messages = 2;
      c.max_queued_messages = 3;
      c.max_queued_bytes = 200;
    }
    if (setup & setup_bits::no_aliases) c.max_topic_alias = 0;
    if (setup & setup_bits::queue_qos0) c.queue_qos0_messages = true;
    if (setup & setup_bits::strict_ids) {
      c.allow_zero_length_clientid = false;
      c.max_keepalive = 60;
      c.persistent_client_expiration = 300;
    }
    if (setup & setup_bits::max_qos_1) {
      c.max_qos = 1;
      c.retain_available = false;
      c.wildcard_subscription_available = false;
    }
    if (setup & setup_bits::no_sys) c.sys_interval = 0;
    return c;
  }

  void run(input_reader& in) {
    while (!in.done()) {
      const std::uint8_t op = in.byte();
      const unsigned s = op & 3u;
      begin_input();
      switch (kind_of(op)) {
        case op_kind::receive: {
          const bytes_view b = in.take(in.byte());
          if (!slots_[s].live) open(s);
          if (!slots_[s].live) break;  // refused at once
          note_inbound(slots_[s], b);
          engine_->receive(slots_[s].id, b, now_);
          break;
        }
        case op_kind::open:
          if (!slots_[s].live) open(s);
          break;
        case op_kind::closed:
          if (slots_[s].live) {
            slots_[s].live = false;
            engine_->closed(slots_[s].id, now_);
          }
          break;
        case op_kind::tick:
          now_ += delta_ms(in.byte());
          engine_->tick(now_);
          if (engine_->next_deadline() <= now_) fail("next_deadline() not after tick(now)");
          break;
        case op_kind::admin:
          admin(in.byte());
          break;
      }
    }
    begin_input();
    check_durable();
  }

  // output_sink
  void send(connection_id conn, bytes_view bytes) override {
    slot& s = live_slot(conn, "send() to a connection that is not open");
    if (++s.sends > 1) fail("more than one send() for a connection in one input", conn);
    check_packets(s, bytes);
  }
  void close(connection_id conn, disconnect_cause) override { live_slot(conn, "close() of a connection that is not open").live = false; }
  void event(const broker::event&) override { ++events_; }
  void durable(const durable_change& ch) override { log_.apply(ch); }
  std::uint32_t event_mask() const override { return mask_; }
  bool wants_durable_changes() const override { return durable_on_; }

 private:
  void begin_input() {
    for (auto& s : slots_) s.sends = 0;
  }

  void open(unsigned s) {
    slots_[s] = slot{};
    slots_[s].id = next_id_++;
    slots_[s].live = true;
    connection_info info;
    info.remote_address = "fuzz:" + std::to_string(s);
    info.listener = "tcp";
    engine_->open(slots_[s].id, info, now_);
  }

  slot& live_slot(connection_id conn, const char* what) {
    for (auto& s : slots_)
      if (s.id == conn && s.live) return s;
    fail(what, conn);
  }

  // The first packet a connection sends fixes the version its output must decode in.
  static void note_inbound(slot& s, bytes_view b) {
    if (s.first_in_seen) return;
    s.in.feed(b);
    frame fr;
    const frame_status st = s.in.next(fr);
    if (st == frame_status::need_more) return;
    s.first_in_seen = true;
    connect_packet c;
    if (st == frame_status::frame && (fr.first_byte >> 4) == 1 && decode_connect(fr.first_byte, fr.body, c) == codec_error::ok)
      s.version = c.version;
  }

  static void check_packets(slot& s, bytes_view bytes) {
    framer f;  // a send() holds whole packets: a fresh framer must consume it exactly
    f.feed(bytes);
    frame fr;
    frame_status st;
    std::size_t total = 0;
    while ((st = f.next(fr)) == frame_status::frame) {
      total += fr.total_size;
      const bool any = !s.version || (!s.first_out_seen && (fr.first_byte >> 4) == 2);
      s.first_out_seen = true;
      packet p;
      bool ok = false;
      for (auto v : {protocol_version::v5, protocol_version::v3_1_1, protocol_version::v3_1}) {
        if ((any || v == *s.version) && decode_packet(fr.first_byte, fr.body, v, p) == codec_error::ok) ok = true;
      }
      if (!ok) fail("the engine sent a packet that does not decode; first byte", fr.first_byte);
    }
    if (st == frame_status::error) fail("the engine sent bytes the framer refuses", static_cast<unsigned>(f.error()));
    if (total != bytes.size()) fail("a send() ends inside a packet", static_cast<unsigned>(bytes.size() - total));
  }

  void admin(std::uint8_t what) {
    const std::string client = "c" + std::to_string((what >> 3) % 4);
    static const std::uint8_t payload[] = {'p'};
    switch (static_cast<admin_op>(what % 8)) {
      case admin_op::publish:
        engine_->publish("a/b", bytes_view{payload}, static_cast<std::uint8_t>((what >> 3) % 3), (what & 0x40) != 0, {}, now_);
        break;
      case admin_op::publish_empty:
        engine_->publish("a/b", {}, 0, true, {}, now_);
        break;
      case admin_op::disconnect:
        engine_->disconnect(client, reason_code::administrative_action, now_);
        break;
      case admin_op::remove_session:
        engine_->remove_session(client, now_);
        break;
      case admin_op::save_restore:
        check_durable();
        break;
      case admin_op::events_off:
        mask_ = mask_ == 0 ? all_events : 0;
        break;
      case admin_op::shutdown:
        if (what == 0xFF) {
          engine_->shutdown(now_);
          break;
        }
        [[fallthrough]];
      case admin_op::stats: {
        const counters c = engine_->stats(now_);
        const auto sessions = engine_->sessions();
        if (c.clients_total != sessions.size()) fail("stats().clients_total differs from sessions().size()");
        std::size_t connected = 0;
        for (const auto& s : sessions) connected += s.connected ? 1 : 0;
        if (c.clients_connected != connected) fail("stats().clients_connected differs from sessions()");
        (void)engine_->subscriptions();
        (void)engine_->retained();
        break;
      }
    }
  }

  void check_durable() {
    const durable_state saved = engine_->save(now_);
    if (durable_on_) {
      if (auto diff = compare(log_.state(), saved, true)) {
        std::fprintf(stderr, "durable records replayed != save(): %s\n", diff->c_str());
        std::abort();
      }
      if (log_.unmatched() != 0) fail("a delivery record named an unknown session or delivery", static_cast<unsigned>(log_.unmatched()));
    }
    // A fresh engine restored from the snapshot saves it again (connection state aside).
    struct quiet : output_sink {
      void send(connection_id, bytes_view) override {}
      void close(connection_id, disconnect_cause) override {}
    } sink;
    engine other{cfg_, sink};
    if (other.restore(saved, now_) != admin_result::ok) fail("restore() of a fresh engine failed");
    if (auto diff = compare(saved, other.save(now_), false)) {
      std::fprintf(stderr, "save() after restore(save()) differs: %s\n", diff->c_str());
      std::abort();
    }
  }

  config cfg_;
  std::unique_ptr<engine> engine_;
  slot slots_[4];
  connection_id next_id_ = 1;
  time_ms now_ = 1'000'000;
  std::uint32_t mask_ = all_events;
  bool durable_on_;
  std::size_t events_ = 0;
  durable_log log_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input_reader in{data, size};
  harness h{in.byte()};
  h.run(in);
  return 0;
}
