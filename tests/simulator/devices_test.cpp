// Device kinds: sensors and their generators, actuators, subscribers, rules, request/response, wills.
#include <cstdlib>
#include <map>
#include <set>

#include "sim_test_util.hpp"

namespace postcard::sim {
namespace {

using test::index_of;
using test::parse;

TEST(SimDevices, GeneratorsProduceTheirSeries) {
  const char* base = R"({"devices": [
      {"id": "d", "kind": "subscriber", "subscriptions": ["g/#"]},
      {"id": "const", "kind": "sensor", "sensor": {"topic": "g/const", "start_ms": 100, "count": 3, "generator": {"kind": "constant", "value": 7.25}}},
      {"id": "ramp", "kind": "sensor", "sensor": {"topic": "g/ramp", "start_ms": 100, "count": 5, "generator": {"kind": "ramp", "value": 8, "step": 1, "min": 0, "max": 10, "decimals": 0}}},
      {"id": "list", "kind": "sensor", "sensor": {"topic": "g/list", "start_ms": 100, "count": 5, "generator": {"kind": "list", "values": ["on", "off", 3]}}},
      {"id": "sine", "kind": "sensor", "sensor": {"topic": "g/sine", "start_ms": 100, "every_ms": 250, "count": 4, "generator": {"kind": "sine", "min": 0, "max": 10, "period_ms": 1000, "decimals": 3}}},
      {"id": "walk", "kind": "sensor", "sensor": {"topic": "g/walk", "start_ms": 100, "every_ms": 10, "count": 500, "generator": {"kind": "random_walk", "value": 5, "min": 0, "max": 10, "step": 3}}}]})";
  world w(parse(base));
  w.run_until(20'000);
  std::map<std::string, std::vector<std::string>> by_topic;
  for (const auto& m : w.messages(0)) by_topic[m.topic].push_back(m.payload);
  EXPECT_EQ(by_topic["g/const"], (std::vector<std::string>{"7.25", "7.25", "7.25"}));
  EXPECT_EQ(by_topic["g/ramp"], (std::vector<std::string>{"8", "9", "10", "0", "1"}));  // wraps from max to min
  EXPECT_EQ(by_topic["g/list"], (std::vector<std::string>{"on", "off", "3", "on", "off"}));
  // sine at t = 100, 350, 600, 850 ms of a 1 s period between 0 and 10.
  ASSERT_EQ(by_topic["g/sine"].size(), 4u);
  EXPECT_EQ(by_topic["g/sine"][0], "7.939");  // 5 + 5 sin(0.2 pi)
  EXPECT_EQ(by_topic["g/sine"][1], "9.045");  // 5 + 5 sin(0.7 pi)
  EXPECT_EQ(by_topic["g/sine"][2], "2.061");  // 5 + 5 sin(1.2 pi)
  EXPECT_EQ(by_topic["g/sine"][3], "0.955");  // 5 + 5 sin(1.7 pi)
  const auto& walk = by_topic["g/walk"];
  ASSERT_EQ(walk.size(), 500u);
  double prev = 5;
  bool moved = false;
  for (const auto& s : walk) {
    const double v = std::strtod(s.c_str(), nullptr);
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 10);
    EXPECT_LE(std::abs(v - prev), 3.01);
    moved = moved || v != prev;
    prev = v;
  }
  EXPECT_TRUE(moved);
}

TEST(SimDevices, ScheduleJitterStaysInItsWindow) {
  world w(parse(R"({"devices": [
      {"id": "d", "kind": "subscriber", "subscriptions": ["t"]},
      {"id": "s", "kind": "sensor", "sensor": {"topic": "t", "payload": "{time}", "start_ms": 100, "every_ms": 100, "jitter_ms": 50, "count": 50}}]})"));
  w.run_until(20'000);
  const auto& got = w.messages(0);
  ASSERT_EQ(got.size(), 50u);
  std::set<std::uint64_t> gaps;
  for (std::size_t i = 1; i < got.size(); ++i) {
    const auto gap = std::stoull(got[i].payload) - std::stoull(got[i - 1].payload);
    EXPECT_GE(gap, 100u);
    EXPECT_LE(gap, 150u);
    gaps.insert(gap);
  }
  EXPECT_GT(gaps.size(), 5u);
}

TEST(SimDevices, ActuatorFollowsCommandsAndReportsItsState) {
  world w(parse(R"({"devices": [
      {"id": "lamp", "kind": "actuator", "actuator": {"command_topic": "home/{id}/set", "state_topic": "home/{id}/state", "initial": "off"}},
      {"id": "app", "kind": "subscriber", "subscriptions": [{"filter": "home/+/state", "qos": 1}]}],
    "actions": [
      {"at_ms": 1000, "do": "publish", "device": "app", "publish": {"topic": "home/lamp/set", "payload": "on", "qos": 1}},
      {"at_ms": 2000, "do": "publish", "device": "app", "publish": {"topic": "home/lamp/set", "payload": "on", "qos": 1}},
      {"at_ms": 3000, "do": "publish", "device": "app", "publish": {"topic": "home/lamp/set", "payload": "dim", "qos": 1}}]})"));
  w.run_until(5000);
  const std::size_t lamp = index_of(w, "lamp");
  EXPECT_EQ(w.device(lamp).state, "dim");
  std::vector<std::string> states;
  for (const auto& m : w.messages(index_of(w, "app"))) states.push_back(m.payload);
  EXPECT_EQ(states, (std::vector<std::string>{"off", "on", "dim"}));  // a repeated command changes nothing
  const auto retained = w.broker_engine(0)->save(w.now()).retained;
  ASSERT_EQ(retained.size(), 1u);
  EXPECT_EQ(retained[0].topic, "home/lamp/state");
  EXPECT_EQ(std::string(retained[0].payload.begin(), retained[0].payload.end()), "dim");
}

TEST(SimDevices, RulesPublishOnMatchingMessagesWithConditions) {
  world w(parse(R"({"devices": [
      {"id": "alarm", "kind": "rule", "rules": [
        {"on": "sensors/+/temp", "above": 30, "publish": {"topic": "alerts/hot", "payload": "{topic} is {payload}"}},
        {"on": "sensors/+/temp", "below": 0, "publish": {"topic": "alerts/cold", "payload": "{payload}"}},
        {"on": "sensors/door", "equals": "open", "publish": {"topic": "alerts/door", "payload": "door {payload}"}}]},
      {"id": "ops", "kind": "subscriber", "subscriptions": ["alerts/#"]},
      {"id": "t1", "kind": "sensor", "sensor": {"topic": "sensors/t1/temp", "start_ms": 100, "count": 4, "generator": {"kind": "list", "values": [25, 31, -2, 30]}}},
      {"id": "door", "kind": "sensor", "sensor": {"topic": "sensors/door", "start_ms": 100, "count": 2, "generator": {"kind": "list", "values": ["closed", "open"]}}}]})"));
  w.run_until(10'000);
  std::multiset<std::string> got;
  for (const auto& m : w.messages(index_of(w, "ops"))) got.insert(m.topic + "=" + m.payload);
  EXPECT_EQ(got, (std::multiset<std::string>{"alerts/door=door open", "alerts/hot=sensors/t1/temp is 31", "alerts/cold=-2"}));
}

TEST(SimDevices, RequestResponseCarriesCorrelationData) {
  world w(parse(R"({"devices": [
      {"id": "svc", "kind": "rule", "protocol": "5", "rules": [{"on": "svc/req", "respond": true, "publish": {"payload": "re: {payload}"}}]},
      {"id": "app", "kind": "subscriber", "protocol": "5", "subscriptions": ["svc/resp/app"]}],
    "actions": [{"at_ms": 1000, "do": "publish", "device": "app", "publish": {"topic": "svc/req", "payload": "ping",
      "properties": {"response_topic": "svc/resp/app", "correlation_data": "42"}}}]})"), test::recording());
  w.run_until(3000);
  const auto& got = w.messages(index_of(w, "app"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, "re: ping");
  // The response PUBLISH on the wire carries the correlation data back.
  bool seen = false;
  for (const auto& e : w.drain_events()) {
    if (e.kind != sim_event_kind::packet_sent || e.type != packet_type::publish || e.dir != direction::down) continue;
    const std::string bytes(e.bytes.begin(), e.bytes.end());
    if (bytes.find("svc/resp/app") != std::string::npos) {
      seen = true;
      EXPECT_NE(bytes.find("42"), std::string::npos);
    }
  }
  EXPECT_TRUE(seen);
}

TEST(SimDevices, ScaledDevicesGetTheirOwnIdsAndTopics) {
  world w(parse(R"({"devices": [
      {"id": "s", "kind": "sensor", "count": 3, "sensor": {"topic": "fleet/{id}/v", "payload": "{i}", "start_ms": 100, "count": 1}},
      {"id": "d", "kind": "subscriber", "subscriptions": ["fleet/#"]}]})"));
  w.run_until(1000);
  ASSERT_EQ(w.device_count(), 4u);
  EXPECT_EQ(w.device(0).id, "s-0");
  EXPECT_EQ(w.device(2).id, "s-2");
  std::set<std::string> got;
  for (const auto& m : w.messages(3)) got.insert(m.topic + "=" + m.payload);
  EXPECT_EQ(got, (std::set<std::string>{"fleet/s-0/v=0", "fleet/s-1/v=1", "fleet/s-2/v=2"}));
}

TEST(SimDevices, RampUpSpreadsTheCopiesStarts) {
  world w(parse(R"({"devices": [{"id": "c", "count": 4, "ramp_up_ms": 1000, "link": {"latency_ms": 1}}]})"));
  w.run_until(2);
  EXPECT_EQ(w.stats().connects, 1u);  // copy 0 at 0 ms
  w.run_until(252);
  EXPECT_EQ(w.stats().connects, 2u);  // copy 1 at 250 ms
  w.run_until(752);
  EXPECT_EQ(w.stats().connects, 4u);  // copies 2 and 3 at 500 and 750 ms
}

TEST(SimDevices, CredentialsReachTheBroker) {
  world w(parse(R"({"devices": [{"id": "a", "username": "alice", "password": "secret", "protocol": "5", "session_expiry_s": 300, "clean_start": false}]})"),
          test::recording());
  w.run_until(100);
  const auto sent = test::of_kind(w.drain_events(), sim_event_kind::packet_sent);
  ASSERT_FALSE(sent.empty());
  const std::string connect(sent[0].bytes.begin(), sent[0].bytes.end());
  EXPECT_NE(connect.find("alice"), std::string::npos);
  EXPECT_NE(connect.find("secret"), std::string::npos);
  const auto sessions = w.broker_engine(0)->sessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].version, protocol_version::v5);
  EXPECT_EQ(sessions[0].expiry_interval, 300u);
}

}  // namespace
}  // namespace postcard::sim
