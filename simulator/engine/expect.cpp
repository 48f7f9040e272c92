// Lesson expectations: checked against what the devices received and what the broker did, at a step's
// time. Each result says what was expected and what was seen.
#include <algorithm>
#include <map>

#include "topic/topic.hpp"
#include "world_impl.hpp"

namespace postcard::sim {
namespace {

// [after_ms, before_ms], each side widened by `slack` (remote_slack_ms in remote mode, else 0).
bool in_window(const expect_config& e, std::uint64_t t, std::uint64_t slack) {
  const std::uint64_t after = e.after_ms ? *e.after_ms - std::min(*e.after_ms, slack) : 0;
  return (!e.after_ms || t >= after) && (!e.before_ms || t <= *e.before_ms + slack);
}

std::string window_text(const expect_config& e, std::uint64_t slack) {
  if (!e.after_ms && !e.before_ms) return {};
  std::string s = " between " + std::to_string(e.after_ms.value_or(0)) + " and " +
                  (e.before_ms ? std::to_string(*e.before_ms) : std::string("the end")) + " ms";
  if (slack > 0) s += " (+/- " + std::to_string(slack) + " ms remote slack)";
  return s;
}

std::string range_text(const expect_config& e) {
  std::string s = std::to_string(e.min);
  if (!e.max) return "at least " + s;
  if (*e.max == e.min) return "exactly " + s;
  return s + ".." + std::to_string(*e.max);
}

bool in_range(const expect_config& e, std::uint64_t n) { return n >= e.min && (!e.max || n <= *e.max); }

}  // namespace

expect_result world_impl::check(const expect_config& e) const {
  expect_result r;
  const auto found = device_by_id.find(e.device);
  const device_rt* dv = found == device_by_id.end() ? nullptr : &devices[found->second];
  const std::uint64_t slack = remote != nullptr ? e.remote_slack_ms : 0;
  switch (e.kind) {
    case expect_kind::received: {
      if (dv == nullptr) return {false, true, "no device \"" + e.device + "\""};
      std::uint64_t n = 0;
      for (const auto& m : dv->messages) {
        if (!in_window(e, m.time_ms, slack) || !topic::matches(e.topic, m.topic)) continue;
        if (e.payload && m.payload != *e.payload) continue;
        ++n;
      }
      r.met = in_range(e, n);
      r.message = e.device + " received " + range_text(e) + " on " + e.topic +
                  (e.payload ? " with payload \"" + *e.payload + "\"" : std::string()) + window_text(e, slack) +
                  ": got " + std::to_string(n);
      return r;
    }
    case expect_kind::delivered:
    case expect_kind::delivered_once: {
      if (dv == nullptr) return {false, true, "no device \"" + e.device + "\""};
      std::map<std::string, std::uint64_t> seen;
      for (const auto& m : dv->messages) {
        if (topic::matches(e.topic, m.topic)) ++seen[m.payload];
      }
      std::uint64_t twice = 0;
      for (const auto& [payload, n] : seen) twice += n > 1 ? 1 : 0;
      const bool once = e.kind == expect_kind::delivered_once;
      r.met = (!once || twice == 0) && seen.size() >= e.min;
      r.message = e.device + " got every message on " + e.topic + (once ? " exactly once" : " at least once") +
                  " (at least " + std::to_string(e.min) + " distinct): " + std::to_string(seen.size()) +
                  " distinct, " + std::to_string(twice) + " duplicated";
      return r;
    }
    case expect_kind::will_fired: {
      if (remote != nullptr) return {false, false, "will of " + e.device + ": broker events are not visible remotely"};
      std::uint64_t n = 0;
      std::optional<std::uint64_t> first;
      for (const auto& [t, id] : wills) {
        if (id != e.device || !in_window(e, t, 0)) continue;
        ++n;
        if (!first) first = t;
      }
      r.met = in_range(e, n);
      r.message = "will of " + e.device + " fired " + range_text(e) + " times" + window_text(e, 0);
      r.message += ": got " + std::to_string(n) + (first ? " (first at " + std::to_string(*first) + " ms)" : "");
      return r;
    }
    case expect_kind::connected: {
      if (dv == nullptr) return {false, true, "no device \"" + e.device + "\""};
      const bool up = dv->client && dv->client->state() == client::connection_state::connected;
      r.met = up == e.value;
      r.message = e.device + (e.value ? " connected" : " not connected") + ": it is " +
                  (up ? "connected" : "not connected");
      return r;
    }
    case expect_kind::retained: {
      if (remote != nullptr) return {false, false, "retained " + e.topic + ": broker state is not visible remotely"};
      const std::size_t b = dv != nullptr ? dv->broker : 0;
      const auto state = brokers[b]->engine->save(now);
      const broker::message_data* m = nullptr;
      for (const auto& msg : state.retained) {
        if (msg.topic == e.topic) m = &msg;
      }
      const std::string got = m ? std::string(m->payload.begin(), m->payload.end()) : std::string();
      if (!e.value) {
        r.met = m == nullptr;
      } else {
        r.met = m != nullptr && (!e.payload || got == *e.payload);
      }
      r.message = std::string(e.value ? "retained message" : "no retained message") + " on " + e.topic +
                  (e.payload ? " \"" + *e.payload + "\"" : std::string()) + ": " +
                  (m ? "retained \"" + got + "\"" : std::string("none"));
      return r;
    }
  }
  return r;
}

}  // namespace postcard::sim
