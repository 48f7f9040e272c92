// Every shipped lesson loads, runs, and meets every expected outcome; traces are deterministic.
#include "lessons.hpp"
#include "sim_test_util.hpp"
#include "trace.hpp"

namespace postcard::sim {
namespace {

std::string run_trace(std::string_view json_text, std::optional<std::uint64_t> seed) {
  world_options o;
  o.event_mask = all_sim_events;
  o.seed = seed;
  world w(test::parse(json_text), o);
  std::string trace;
  while (!w.finished()) {
    w.run_until(w.now() + 1000);
    for (const auto& e : w.drain_events()) trace += trace_line(e, w) + "\n";
  }
  return trace;
}

TEST(SimLessons, SevenLessonsShip) {
  const auto lessons = builtin_lessons();
  ASSERT_EQ(lessons.size(), 7u);
  std::vector<std::string> names;
  for (const auto& l : lessons) names.emplace_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"01-publish-subscribe", "02-qos-under-loss", "03-retained-messages",
                                             "04-last-will", "05-persistent-sessions", "06-keepalive-half-open",
                                             "07-mqtt5-features"}));
}

class SimLesson : public ::testing::TestWithParam<std::size_t> {};

TEST_P(SimLesson, MeetsEveryExpectation) {
  const lesson_file& l = builtin_lessons()[GetParam()];
  SCOPED_TRACE(std::string(l.name));
  const load_result r = load_scenario(l.json);
  ASSERT_TRUE(r.ok) << to_string(r.errors.front());
  EXPECT_FALSE(r.value.title.empty());
  ASSERT_FALSE(r.value.steps.empty());
  std::size_t expectations = 0;
  for (const auto& s : r.value.steps) {
    EXPECT_FALSE(s.text.empty());
    expectations += s.expect.size();
  }
  EXPECT_GT(expectations, 0u);
  world w(r.value);
  w.run();
  ASSERT_EQ(w.step_results().size(), r.value.steps.size());
  std::size_t checked = 0;
  for (const auto& s : w.step_results()) {
    EXPECT_EQ(s.time_ms, r.value.steps[s.step].at_ms);
    for (const auto& e : s.results) {
      EXPECT_TRUE(e.checked);
      EXPECT_TRUE(e.met) << r.value.steps[s.step].title << ": " << e.message;
      ++checked;
    }
  }
  EXPECT_EQ(checked, expectations);
}

INSTANTIATE_TEST_SUITE_P(All, SimLesson, ::testing::Range<std::size_t>(0, 7));

TEST(SimDeterminism, SameSeedSameTraceDifferentSeedDifferentTrace) {
  const lesson_file& l = builtin_lessons()[1];  // QoS under loss: every packet's fate is drawn
  const std::string a = run_trace(l.json, std::nullopt);
  const std::string b = run_trace(l.json, std::nullopt);
  EXPECT_GT(a.size(), 10'000u);
  EXPECT_EQ(a, b);
  const std::string c = run_trace(l.json, 8);
  EXPECT_NE(a, c);
  EXPECT_EQ(c, run_trace(l.json, 8));
}

TEST(SimDeterminism, EveryLessonTraceIsReproducible) {
  for (const auto& l : builtin_lessons()) {
    EXPECT_EQ(run_trace(l.json, std::nullopt), run_trace(l.json, std::nullopt)) << l.name;
  }
}

TEST(SimTrace, PacketLinesCarryDecodedFieldsAndBytes) {
  const std::string t = run_trace(builtin_lessons()[6].json, std::nullopt);  // MQTT 5 features
  // The meter's second PUBLISH uses the topic alias with an empty topic.
  EXPECT_NE(t.find("\"type\":\"PUBLISH\",\"size\":"), std::string::npos);
  EXPECT_NE(t.find("\"topic\":\"\",\"qos\":0,\"retain\":false,\"dup\":false,\"payload\":\"1000.5\",\"topic_alias\":1"),
            std::string::npos);
  EXPECT_NE(t.find("\"user_properties\":[[\"site\",\"berlin\"],[\"unit\",\"kWh\"]]"), std::string::npos);
  EXPECT_NE(t.find("\"correlation_data\":\"req-1\""), std::string::npos);
  EXPECT_NE(t.find("\"event\":\"step\""), std::string::npos);
  EXPECT_NE(t.find("\"hex\":\"10"), std::string::npos);  // a CONNECT's bytes
}

}  // namespace
}  // namespace postcard::sim
