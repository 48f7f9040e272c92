#pragma once
// durable_replay: durable-change records applied to a durable state, by the replay rule documented in
// durable.hpp. Hosts use it to rebuild their state at start-up (native log, IndexedDB); the engine tests
// and the fuzz target compare what it rebuilds with engine::save().
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "broker/durable.hpp"

namespace postcard::broker {

class durable_replay {
 public:
  durable_replay() = default;
  // Starts from a snapshot (restored state). Deliveries numbered 0 are numbered as restore() does.
  explicit durable_replay(durable_state base);

  // Applies one record; false when it names an unknown session or delivery (ignored).
  bool apply(const durable_change& change);
  // The state so far: retained by topic, sessions by client id, each session's outgoing in engine order.
  durable_state state() const;
  durable_state take();  // the same, moved out (the replay is empty afterwards)
  std::size_t session_count() const { return sessions_.size(); }
  std::size_t retained_count() const { return retained_.size(); }

 private:
  struct session_entry {
    session_data header;                            // outgoing always empty
    std::map<std::uint64_t, delivery_data> outgoing;  // by seq
  };
  void set_session(const session_data& s, bool with_outgoing);

  std::map<std::string, message_data, std::less<>> retained_;
  std::map<std::string, session_entry, std::less<>> sessions_;
};

// Numbers the deliveries of `outgoing` that carry seq 0 (or a seq not above the one before): each takes
// the previous seq + 1. restore() and durable_replay both use it, so old data numbers the same way.
void number_deliveries(std::vector<delivery_data>& outgoing);

}  // namespace postcard::broker
