// Scenario validation: every problem reported, each with its JSON path.
#include "sim_test_util.hpp"
#include "topic/topic.hpp"

namespace postcard::sim {
namespace {

std::vector<std::string> errors_of(std::string_view text) {
  std::vector<std::string> r;
  for (const auto& e : load_scenario(text).errors) r.push_back(to_string(e));
  return r;
}

TEST(SimScenario, MinimalScenarioGetsDefaults) {
  const load_result r = load_scenario(R"({"devices": [{"id": "a"}]})");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.value.brokers.size(), 1u);
  EXPECT_EQ(r.value.brokers[0].name, "broker");
  EXPECT_EQ(r.value.seed, 1u);
  EXPECT_EQ(r.value.duration_ms, 60'000u);
  const device_config& d = r.value.devices[0];
  EXPECT_EQ(d.protocol, protocol_version::v3_1_1);
  EXPECT_TRUE(d.clean_start);
  EXPECT_EQ(d.keepalive_s, 60);
  EXPECT_EQ(d.count, 1u);
}

TEST(SimScenario, ReadsEveryPart) {
  const load_result r = load_scenario(R"({"seed": 9, "duration_ms": 5000,
    "brokers": [{"name": "b1", "max_inflight_messages": 5, "retain_available": false}],
    "devices": [{"id": "s", "kind": "sensor", "broker": "b1", "protocol": "5", "clean_start": false, "session_expiry_s": 30,
                 "keepalive_s": 10, "username": "u", "password": "p",
                 "will": {"topic": "w", "payload": "bye", "qos": 1, "retain": true, "delay_s": 5, "message_expiry_s": 60},
                 "link": {"latency_ms": 5, "jitter_ms": 2, "loss": 0.1, "bandwidth_bps": 64000, "down": {"latency_ms": 50}},
                 "sensor": {"topic": "t", "qos": 2, "retain": true, "every_ms": 250, "jitter_ms": 10, "count": 4,
                            "properties": {"message_expiry_s": 9, "user_properties": {"k": "v"}},
                            "generator": {"kind": "sine", "min": 1, "max": 2, "period_ms": 100}}}],
    "actions": [{"at_ms": 100, "do": "set_link", "device": "s", "link": {"loss": 0.5}}],
    "steps": [{"at_ms": 10, "title": "T", "text": "x", "expect": [{"kind": "received", "device": "s", "topic": "#", "count": 2}]}]})");
  ASSERT_TRUE(r.ok) << to_string(r.errors.front());
  const scenario& sc = r.value;
  EXPECT_EQ(sc.seed, 9u);
  EXPECT_EQ(sc.brokers[0].config.max_inflight_messages, 5);
  EXPECT_FALSE(sc.brokers[0].config.retain_available);
  const device_config& d = sc.devices[0];
  EXPECT_EQ(d.protocol, protocol_version::v5);
  EXPECT_EQ(d.will->delay_s, 5u);
  EXPECT_EQ(d.will->message_expiry_s, 60u);
  EXPECT_EQ(d.link.up.latency_ms, 5u);
  EXPECT_EQ(d.link.down.latency_ms, 50u);
  EXPECT_EQ(d.link.down.jitter_ms, 2u);  // a direction object overrides only what it names
  EXPECT_DOUBLE_EQ(d.link.up.loss, 0.1);
  EXPECT_EQ(d.link.up.bandwidth_bps, 64000u);
  EXPECT_EQ(d.sensor->publish.qos_level, qos::exactly_once);
  EXPECT_EQ(d.sensor->publish.properties.message_expiry_interval, 9u);
  ASSERT_EQ(d.sensor->publish.properties.user_properties.size(), 1u);
  EXPECT_EQ(d.sensor->generator.kind, generator_kind::sine);
  EXPECT_EQ(sc.actions[0].kind, action_kind::set_link);
  EXPECT_DOUBLE_EQ(sc.actions[0].link->up.loss, 0.5);
  EXPECT_EQ(sc.steps[0].expect[0].min, 2u);
  EXPECT_EQ(sc.steps[0].expect[0].max, 2u);
}

TEST(SimScenario, ErrorsNameTheirPlace) {
  const auto e = errors_of(R"({"devices": [
      {"id": "a", "link": {"loss": 1.5}, "keepalive_s": "60"},
      {"id": "a", "kind": "sensor"},
      {"id": "b", "protocol": "4", "colour": "red", "subscriptions": ["a/#/b"]}],
    "actions": [{"at_ms": 5, "do": "explode", "device": "a"}, {"at_ms": 5, "do": "crash", "device": "zed"}],
    "steps": [{"at_ms": 1, "title": "t", "text": "x", "expect": [{"kind": "received", "device": "a"}]}]})");
  const std::vector<std::string> want = {
      "$.devices[0].keepalive_s: must be an integer from 0 to 65535, got \"60\"",
      "$.devices[0].link.loss: must be a number from 0 to 1, got 1.5",
      "$.devices[1].id: duplicate device id \"a\"",
      "$.devices[1]: a sensor needs a \"sensor\" member",
      "$.devices[2].colour: unknown member",
      "$.devices[2].protocol: must be one of 3.1, 3.1.1, 5, 5.0, got \"4\"",
      "$.devices[2].subscriptions[0]: invalid topic filter \"a/#/b\": " +
          std::string(topic::describe(topic::topic_error::hash_not_last)),
      "$.actions[0].do: must be one of crash, reconnect, disconnect, disconnect_with_will, publish, subscribe, "
      "unsubscribe, half_open, close, partition, heal, set_link, got \"explode\"",
      "$.actions[1].device: no device named \"zed\"",
      "$.steps[0].expect[0]: missing required member \"topic\"",
  };
  EXPECT_EQ(e, want);
}

TEST(SimScenario, SyntaxErrorsGiveLineAndColumn) {
  EXPECT_EQ(errors_of("{\"devices\": [\n  {\"id\": \"a\",}\n]}"),
            (std::vector<std::string>{"$: not valid JSON: line 2, column 14: expected a member name in double quotes"}));
}

TEST(SimScenario, MissingAndMistypedTopLevel) {
  EXPECT_EQ(errors_of(R"({"devices": {}, "seed": -1})"),
            (std::vector<std::string>{"$.seed: must be an integer from 0 to 9007199254740991, got -1",
                                      "$.devices: must be an array, got object"}));
  EXPECT_EQ(errors_of(R"({})"), (std::vector<std::string>{"$: missing required member \"devices\""}));
  EXPECT_EQ(errors_of(R"([1])"), (std::vector<std::string>{"$: must be an object, got array"}));
}

TEST(SimScenario, KindSpecificRequirements) {
  EXPECT_EQ(errors_of(R"({"devices": [{"id": "r", "kind": "rule"}, {"id": "s", "kind": "subscriber"},
      {"id": "g", "kind": "sensor", "sensor": {"topic": "t", "every_ms": 0, "generator": {"kind": "list"}}},
      {"id": "x", "broker": "nope"}],
    "actions": [{"at_ms": 1, "do": "publish", "device": "r"}]})"),
            (std::vector<std::string>{"$.devices[0]: a rule device needs \"rules\"",
                                      "$.devices[1]: a subscriber needs \"subscriptions\"",
                                      "$.devices[2].sensor.generator: a list generator needs \"values\"",
                                      "$.devices[2].sensor.every_ms: must be greater than 0",
                                      "$.devices[3].broker: no broker named \"nope\"",
                                      "$.actions[0]: a publish action needs a \"publish\" member"}));
}

}  // namespace
}  // namespace postcard::sim
