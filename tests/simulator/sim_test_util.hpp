#pragma once
// Helpers for the simulator tests: scenarios from JSON text, events of one kind.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "scenario_load.hpp"
#include "world.hpp"

namespace postcard::sim::test {

inline scenario parse(std::string_view text) {
  load_result r = load_scenario(text);
  EXPECT_TRUE(r.ok) << (r.errors.empty() ? std::string() : to_string(r.errors.front()));
  return std::move(r.value);
}

inline world_options recording(std::uint32_t mask = all_sim_events) {
  world_options o;
  o.event_mask = mask;
  return o;
}

inline std::vector<sim_event> of_kind(const std::vector<sim_event>& all, sim_event_kind k) {
  std::vector<sim_event> r;
  for (const auto& e : all) {
    if (e.kind == k) r.push_back(e);
  }
  return r;
}

inline std::size_t index_of(const world& w, std::string_view id) {
  const auto i = w.find_device(id);
  EXPECT_TRUE(i.has_value()) << id;
  return i.value_or(0);
}

}  // namespace postcard::sim::test
