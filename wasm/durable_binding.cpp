// The broker's durable state across the wasm boundary, in the native broker's record format
// (native/persistence/record_codec.hpp: u32 length | u32 CRC-32 | type | fields):
//   save(now)                -> Uint8Array: one retained_set / session_set record per item, then snapshot_end
//   restore(bytes, sizes, now) -> { result, retained, sessions, records, errors: [{ part, offset, reason }] }
//       `bytes` is parts laid end to end, `sizes` their lengths; part 0 is a snapshot (may be empty), the
//       rest are log entries replayed in order over it by the engine's rule (broker/durable_replay.hpp:
//       last record per topic; sessions whole or without their deliveries; deliveries added, updated,
//       removed one by one). Format 1's whole-session records (type 3) are still read.
//       A damaged record is skipped and reported; a length that runs past its part ends that part.
//   setDurableChanges(on)    -> while on, every input's batch starts with one DURABLE record holding the
//       framed change records of that input (batch.hpp), before anything the input sends.
#include <cstring>

#include "broker/durable_replay.hpp"
#include "broker_binding.hpp"
#include "from_js.hpp"
#include "persistence/record_codec.hpp"

namespace postcard::wasm {
namespace {

namespace pr = native::persistence;

std::uint32_t read_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

val owning_bytes(std::string_view data) {
  return val(emscripten::typed_memory_view(data.size(), reinterpret_cast<const std::uint8_t*>(data.data())))
      .call<val>("slice");
}

// Replays records by the engine's rule (durable_replay); reports damage instead of trusting it.
struct replay {
  broker::durable_replay state;
  std::size_t records = 0;
  val errors = val::array();

  void error(std::size_t part, std::size_t offset, const char* reason) {
    val e = val::object();
    e.set("part", static_cast<double>(part));
    e.set("offset", static_cast<double>(offset));
    e.set("reason", std::string{reason});
    errors.call<void>("push", e);
  }

  // One record body; false when its fields do not decode. A delivery record naming no known session
  // or delivery is reported by the caller too.
  bool apply(std::string_view body, bool& matched) {
    const auto type = static_cast<pr::record_type>(static_cast<unsigned char>(body[0]));
    const pr::record_view record{type, body.substr(1)};
    matched = true;
    switch (type) {
      case pr::record_type::retained_set: {
        broker::message_data m;
        if (!pr::decode_message(record.fields, m)) return false;
        broker::durable_change ch;
        ch.what = broker::durable_change::kind::retained_set;
        ch.key = m.topic;
        ch.retained = &m;
        state.apply(ch);
        return true;
      }
      case pr::record_type::retained_erased: {
        broker::durable_change ch;
        ch.what = broker::durable_change::kind::retained_erased;
        if (!pr::decode_key(record.fields, ch.key)) return false;
        state.apply(ch);
        return true;
      }
      case pr::record_type::snapshot_end:
        return false;  // handled by the caller
      default: {
        pr::decoded_change d;
        if (!pr::decode_session_change(record, d)) return false;
        matched = state.apply(d.change);
        return true;
      }
    }
  }

  void part(std::size_t index, std::string_view bytes) {
    const bool snapshot = index == 0;
    std::size_t at = 0, in_part = 0;
    bool ended = false;
    while (at < bytes.size()) {
      if (bytes.size() - at < pr::record_header_size) {
        error(index, at, "truncated record header");
        return;
      }
      const auto length = read_u32(bytes.data() + at);
      const auto crc = read_u32(bytes.data() + at + 4);
      if (length == 0 || length > pr::max_record_body || length > bytes.size() - at - pr::record_header_size) {
        error(index, at, "record length past the end");
        return;
      }
      const auto body = bytes.substr(at + pr::record_header_size, length);
      const auto here = at;
      at += pr::record_header_size + length;
      if (pr::crc32(body.data(), body.size()) != crc) {
        error(index, here, "CRC mismatch");
        continue;
      }
      std::uint64_t count = 0;
      if (static_cast<pr::record_type>(static_cast<unsigned char>(body[0])) == pr::record_type::snapshot_end) {
        if (!snapshot || !pr::decode_count(body.substr(1), count) || count != in_part)
          error(index, here, "unexpected snapshot end");
        ended = true;
        continue;
      }
      bool matched = true;
      if (!apply(body, matched)) {
        error(index, here, "record fields do not decode");
        continue;
      }
      if (!matched) error(index, here, "delivery record of no saved session or delivery");
      ++records;
      ++in_part;
    }
    if (snapshot && !bytes.empty() && !ended) error(index, bytes.size(), "snapshot has no end record");
  }
};

}  // namespace

void broker_host::durable(const broker::durable_change& change) { pr::append_change(durable_, change); }

val broker_host::take_with_durable() {
  std::vector<std::uint8_t> all;
  all.reserve(5 + durable_.size() + batch_.data().size());
  batch_writer head;
  head.tag(record_tag::durable);
  head.blob(std::string_view{durable_});
  all = head.data();
  all.insert(all.end(), batch_.data().begin(), batch_.data().end());
  durable_.clear();
  batch_.clear();
  return val(emscripten::typed_memory_view(all.size(), all.data())).call<val>("slice");
}

val broker_host::save(double now) const {
  const auto state = engine_->save(to_time(now));
  std::string out;
  for (const auto& m : state.retained) pr::append_retained(out, m);
  for (const auto& s : state.sessions) pr::append_session(out, s);
  pr::append_snapshot_end(out, state.retained.size() + state.sessions.size());
  return owning_bytes(out);
}

val broker_host::restore(const std::string& bytes, val sizes, double now) {
  replay rp;
  const auto parts = sizes["length"].as<std::size_t>();
  std::size_t at = 0;
  for (std::size_t i = 0; i < parts; ++i) {
    const auto n = sizes[i].as<std::size_t>();
    if (n > bytes.size() - at) {
      rp.error(i, 0, "part size past the end");
      break;
    }
    rp.part(i, std::string_view{bytes}.substr(at, n));
    at += n;
  }
  const broker::durable_state state = rp.state.take();
  const auto result = engine_->restore(state, to_time(now));
  val out = val::object();
  out.set("result", static_cast<int>(result));
  out.set("retained", static_cast<double>(state.retained.size()));
  out.set("sessions", static_cast<double>(state.sessions.size()));
  out.set("records", static_cast<double>(rp.records));
  out.set("errors", rp.errors);
  return out;
}

}  // namespace postcard::wasm
