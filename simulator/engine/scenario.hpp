#pragma once
// A scenario as plain data: brokers, devices with their links, scripted actions and lesson steps.
// scenario_load.cpp reads it from JSON (simulator/scenario.schema.json describes the format); a UI can
// also build one directly. Times are virtual milliseconds from the start of the run.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/config.hpp"
#include "client/property_set.hpp"
#include "codec/types.hpp"

namespace postcard::sim {

// One direction of a virtual link.
struct link_direction {
  std::uint32_t latency_ms = 0;
  std::uint32_t jitter_ms = 0;   // uniform extra delay in [0, jitter]; order is kept (one TCP stream)
  double loss = 0;               // probability that a whole MQTT packet vanishes
  std::uint64_t bandwidth_bps = 0;  // 0: unlimited; else serialization delay = bits / bandwidth
  friend bool operator==(const link_direction&, const link_direction&) = default;
};

struct link_config {
  link_direction up;    // device -> broker
  link_direction down;  // broker -> device
  friend bool operator==(const link_config&, const link_config&) = default;
};

enum class generator_kind : std::uint8_t { constant, random_walk, sine, ramp, list };

struct generator_config {
  generator_kind kind = generator_kind::constant;
  double value = 0;        // constant; start of random_walk and ramp
  double min = 0;          // sine / random_walk / ramp bounds (ramp wraps from max to min)
  double max = 100;
  double step = 1;         // random_walk maximum step, ramp increment per sample
  std::uint32_t period_ms = 60'000;  // sine period
  std::vector<std::string> values;   // list: replayed in order, cycling
  int decimals = 2;        // digits after the decimal point in {value}
};

struct publish_config {
  std::string topic;       // may use {id}, {i}
  std::string payload = "{value}";  // template: {value} {seq} {time} {id} {i} {payload} {topic}
  qos qos_level = qos::at_most_once;
  bool retain = false;
  client::property_set properties;  // v5 only
};

struct sensor_config {
  publish_config publish;
  generator_config generator;
  std::uint32_t every_ms = 1000;
  std::uint32_t jitter_ms = 0;   // each interval is every_ms + uniform [0, jitter_ms]
  std::uint32_t start_ms = 0;    // first sample (after connecting)
  std::uint32_t count = 0;       // samples to send; 0: unlimited
};

struct actuator_config {
  std::string command_topic;     // subscribed; the payload becomes the state
  std::string state_topic;       // the state is published here (retained) on connect and on change
  std::string initial = "off";
  qos qos_level = qos::at_least_once;
};

struct subscription_config {
  std::string filter;
  qos max_qos = qos::at_most_once;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;
  std::uint32_t identifier = 0;  // v5 Subscription Identifier; 0: none
};

// On a message matching `on` (the device subscribes to it), publish `publish` (templated with {payload},
// {topic}, {id}). Optional numeric conditions on the payload.
struct rule_config {
  std::string on;
  qos on_qos = qos::at_most_once;
  std::optional<double> above;
  std::optional<double> below;
  std::optional<std::string> equals;
  bool respond = false;  // request/response: publish to the message's Response Topic with its Correlation Data
  publish_config publish;
};

struct will_config {
  std::string topic;
  std::string payload;
  qos qos_level = qos::at_most_once;
  bool retain = false;
  std::uint32_t delay_s = 0;     // v5 Will Delay Interval
  std::optional<std::uint32_t> message_expiry_s;
};

enum class device_kind : std::uint8_t { sensor, actuator, subscriber, rule, client };

struct device_config {
  std::string id;                // client id (templated by {i} when count > 1)
  device_kind kind = device_kind::client;
  std::string broker;            // broker name; empty: the first broker
  protocol_version protocol = protocol_version::v3_1_1;
  bool clean_start = true;
  std::uint32_t session_expiry_s = 0;   // v5
  std::uint16_t keepalive_s = 60;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<will_config> will;
  std::uint32_t reconnect_ms = 1000;    // 0: no automatic reconnect
  std::uint32_t connect_timeout_ms = 10'000;
  std::uint16_t topic_alias_maximum = 0;  // v5: aliases we accept; and auto-assign outbound aliases when > 0
  std::uint32_t start_ms = 0;    // when the device first connects
  std::uint32_t count = 1;       // copies of this device (load); ids get {i} = 0..count-1
  std::uint32_t ramp_up_ms = 0;  // copies start spread evenly over this window (no connect storm)
  link_config link;
  std::vector<subscription_config> subscriptions;
  std::optional<sensor_config> sensor;
  std::optional<actuator_config> actuator;
  std::vector<rule_config> rules;
};

enum class action_kind : std::uint8_t {
  crash,        // the device's transport vanishes, no DISCONNECT (the broker learns it later or never)
  reconnect,    // open a new transport now (after crash / disconnect)
  disconnect,   // DISCONNECT cleanly
  disconnect_with_will,  // v5 DISCONNECT 0x04: the broker publishes the will
  publish,      // publish once
  subscribe,
  unsubscribe,
  half_open,    // the link silently drops everything, both ways; neither side is told
  close_link,   // the link closes: both sides learn it at once
  partition,    // like half_open for every device of a broker
  heal,         // undo half_open / partition
  set_link,     // change the link model
};

struct action_config {
  std::uint64_t at_ms = 0;
  action_kind kind = action_kind::crash;
  std::string device;            // device id (or a broker name for partition / heal)
  std::optional<publish_config> publish;
  std::optional<subscription_config> subscription;
  std::optional<link_config> link;
};

// An expected outcome, checked at a step's time (or at the end).
enum class expect_kind : std::uint8_t {
  received,       // `device` received messages matching `topic` (a filter) [and `payload`]: min..max
  will_fired,     // the broker published `device`'s will: min..max times, first within [after, before]
  connected,      // `device` is connected (value) or not
  retained,       // the broker retains `topic` [with `payload`]; value false: nothing retained
  delivered_once, // every distinct payload `device` got on `topic` arrived exactly once, and at least min
  delivered,      // at least `min` distinct payloads arrived on `topic` (duplicates allowed: QoS 1)
};

struct expect_config {
  expect_kind kind = expect_kind::received;
  std::string device;
  std::string topic;
  std::optional<std::string> payload;
  std::uint64_t min = 1;
  std::optional<std::uint64_t> max;
  std::optional<std::uint64_t> after_ms;
  std::optional<std::uint64_t> before_ms;
  // Remote mode widens [after_ms, before_ms] by this much on each side: a real broker's timers and a
  // loaded machine shift times by more than the virtual clock ever does. In-tab checks stay exact.
  std::uint64_t remote_slack_ms = 0;
  bool value = true;
  std::string describe;          // text for reports
};

struct step_config {
  std::uint64_t at_ms = 0;       // the step is shown (and its expectations checked) at this time
  std::string title;
  std::string text;
  std::vector<expect_config> expect;
};

struct broker_config {
  std::string name = "broker";
  broker::config config;
};

struct scenario {
  std::string title;
  std::string description;
  std::uint64_t seed = 1;
  std::uint64_t duration_ms = 60'000;
  std::vector<broker_config> brokers;   // at least one after loading
  std::vector<device_config> devices;
  std::vector<action_config> actions;
  std::vector<step_config> steps;
};

}  // namespace postcard::sim
