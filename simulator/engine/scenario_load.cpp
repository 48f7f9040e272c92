// Scenario JSON -> scenario, checking types, ranges, references and unknown members as it goes.
#include "scenario_load.hpp"

#include <cmath>
#include <initializer_list>
#include <set>

#include "topic/topic.hpp"

namespace postcard::sim {

std::string to_string(const load_error& e) { return e.path + ": " + e.message; }

namespace {

std::string number_text(double d) {
  if (std::trunc(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

std::string got(const json& j) {
  switch (j.kind()) {
    case json::type::number: return "got " + number_text(j.as_number());
    case json::type::string: return "got \"" + j.as_string() + "\"";
    case json::type::boolean: return j.as_bool() ? "got true" : "got false";
    default: return "got " + std::string(type_name(j.kind()));
  }
}

class reader {
 public:
  std::vector<load_error> errors;

  void error(const std::string& path, std::string message) { errors.push_back({path, std::move(message)}); }

  // The object at `path`, with only the given members allowed. False (and an error) if not an object.
  bool object(const json& j, const std::string& path, std::initializer_list<std::string_view> allowed) {
    if (!j.is_object()) {
      error(path, "must be an object, " + got(j));
      return false;
    }
    for (const auto& [k, v] : j.members()) {
      bool ok = false;
      for (const auto a : allowed) ok = ok || a == k;
      if (!ok) error(path + "." + k, "unknown member");
    }
    return true;
  }
  const json* member(const json& j, std::string_view key, const std::string& path, bool required) {
    const json* m = j.find(key);
    if (m == nullptr && required) error(path, "missing required member \"" + std::string(key) + "\"");
    return m;
  }
  bool str(const json& j, std::string_view key, const std::string& path, std::string& out, bool required = false) {
    const json* m = member(j, key, path, required);
    if (m == nullptr) return false;
    if (!m->is_string()) {
      error(path + "." + std::string(key), "must be a string, " + got(*m));
      return false;
    }
    out = m->as_string();
    return true;
  }
  bool opt_str(const json& j, std::string_view key, const std::string& path, std::optional<std::string>& out) {
    std::string s;
    if (!str(j, key, path, s)) return false;
    out = std::move(s);
    return true;
  }
  bool boolean(const json& j, std::string_view key, const std::string& path, bool& out) {
    const json* m = member(j, key, path, false);
    if (m == nullptr) return false;
    if (!m->is_bool()) {
      error(path + "." + std::string(key), "must be true or false, " + got(*m));
      return false;
    }
    out = m->as_bool();
    return true;
  }
  bool number(const json& j, std::string_view key, const std::string& path, double& out, double lo, double hi) {
    const json* m = member(j, key, path, false);
    if (m == nullptr) return false;
    if (!m->is_number() || m->as_number() < lo || m->as_number() > hi) {
      error(path + "." + std::string(key), "must be a number from " + number_text(lo) + " to " + number_text(hi) + ", " + got(*m));
      return false;
    }
    out = m->as_number();
    return true;
  }
  template <class T>
  bool integer(const json& j, std::string_view key, const std::string& path, T& out, std::uint64_t hi,
               bool required = false) {
    const json* m = member(j, key, path, required);
    if (m == nullptr) return false;
    if (!m->is_integer() || m->as_number() < 0 || m->as_number() > static_cast<double>(hi)) {
      error(path + "." + std::string(key), "must be an integer from 0 to " + std::to_string(hi) + ", " + got(*m));
      return false;
    }
    out = static_cast<T>(m->as_int());
    return true;
  }
  template <class T>
  bool opt_integer(const json& j, std::string_view key, const std::string& path, std::optional<T>& out, std::uint64_t hi) {
    T v{};
    if (!integer(j, key, path, v, hi)) return false;
    out = v;
    return true;
  }
  bool qos_level(const json& j, std::string_view key, const std::string& path, qos& out) {
    std::uint8_t q = 0;
    if (!integer(j, key, path, q, 2)) return false;
    out = static_cast<qos>(q);
    return true;
  }
  void topic_name(const std::string& path, const std::string& t) {
    if (const auto e = topic::validate_name(t); e != topic::topic_error::ok) {
      error(path, "invalid topic name \"" + t + "\": " + std::string(topic::describe(e)));
    }
  }
  void topic_filter(const std::string& path, const std::string& t) {
    if (const auto e = topic::validate_filter(t); e != topic::topic_error::ok) {
      error(path, "invalid topic filter \"" + t + "\": " + std::string(topic::describe(e)));
    }
  }
  template <class T>
  bool choice(const json& j, std::string_view key, const std::string& path, T& out,
              std::initializer_list<std::pair<std::string_view, T>> names, bool required = false) {
    std::string s;
    if (!str(j, key, path, s, required)) return false;
    std::string list;
    for (const auto& [n, v] : names) {
      if (n == s) {
        out = v;
        return true;
      }
      list += (list.empty() ? "" : ", ") + std::string(n);
    }
    error(path + "." + std::string(key), "must be one of " + list + ", got \"" + s + "\"");
    return false;
  }

  // ---- composite values
  void link_dir(const json& j, const std::string& path, link_direction& d) {
    if (!object(j, path, {"latency_ms", "jitter_ms", "loss", "bandwidth_bps"})) return;
    integer(j, "latency_ms", path, d.latency_ms, 3'600'000);
    integer(j, "jitter_ms", path, d.jitter_ms, 3'600'000);
    number(j, "loss", path, d.loss, 0, 1);
    integer(j, "bandwidth_bps", path, d.bandwidth_bps, 1'000'000'000'000ull);
  }
  void link(const json& j, const std::string& path, link_config& l) {
    if (!object(j, path, {"latency_ms", "jitter_ms", "loss", "bandwidth_bps", "up", "down"})) return;
    link_direction both;
    integer(j, "latency_ms", path, both.latency_ms, 3'600'000);
    integer(j, "jitter_ms", path, both.jitter_ms, 3'600'000);
    number(j, "loss", path, both.loss, 0, 1);
    integer(j, "bandwidth_bps", path, both.bandwidth_bps, 1'000'000'000'000ull);
    l.up = both;
    l.down = both;
    if (const json* u = j.find("up")) link_dir(*u, path + ".up", l.up);
    if (const json* d = j.find("down")) link_dir(*d, path + ".down", l.down);
  }
  void props(const json& j, const std::string& path, client::property_set& p) {
    if (!object(j, path, {"message_expiry_s", "content_type", "response_topic", "correlation_data",
                          "payload_format", "user_properties", "topic_alias"})) return;
    opt_integer(j, "message_expiry_s", path, p.message_expiry_interval, 0xFFFFFFFFu);
    opt_str(j, "content_type", path, p.content_type);
    if (opt_str(j, "response_topic", path, p.response_topic)) topic_name(path + ".response_topic", *p.response_topic);
    std::string corr;
    if (str(j, "correlation_data", path, corr)) p.correlation_data = std::vector<std::uint8_t>(corr.begin(), corr.end());
    opt_integer(j, "payload_format", path, p.payload_format_indicator, 1);
    std::optional<std::uint16_t> alias;
    if (opt_integer(j, "topic_alias", path, alias, 65535)) p.topic_alias = alias;
    if (const json* u = j.find("user_properties")) {
      const std::string up = path + ".user_properties";
      if (!u->is_object()) {
        error(up, "must be an object of string values, " + got(*u));
      } else {
        for (const auto& [k, v] : u->members()) {
          if (!v.is_string()) error(up + "." + k, "must be a string, " + got(v));
          else p.user_properties.push_back({k, v.as_string()});
        }
      }
    }
  }
  void publish(const json& j, const std::string& path, publish_config& p, bool topic_required = true) {
    if (!object(j, path, {"topic", "payload", "qos", "retain", "properties"})) return;
    if (str(j, "topic", path, p.topic, topic_required)) topic_name(path + ".topic", p.topic);
    str(j, "payload", path, p.payload);
    qos_level(j, "qos", path, p.qos_level);
    boolean(j, "retain", path, p.retain);
    if (const json* pr = j.find("properties")) props(*pr, path + ".properties", p.properties);
  }
  void subscription(const json& j, const std::string& path, subscription_config& s) {
    if (j.is_string()) {
      s.filter = j.as_string();
      topic_filter(path, s.filter);
      return;
    }
    if (!object(j, path, {"filter", "qos", "no_local", "retain_as_published", "retain_handling", "identifier"})) return;
    if (str(j, "filter", path, s.filter, true)) topic_filter(path + ".filter", s.filter);
    qos_level(j, "qos", path, s.max_qos);
    boolean(j, "no_local", path, s.no_local);
    boolean(j, "retain_as_published", path, s.retain_as_published);
    integer(j, "retain_handling", path, s.retain_handling, 2);
    integer(j, "identifier", path, s.identifier, 268'435'455);
  }
  void generator(const json& j, const std::string& path, generator_config& g) {
    if (!object(j, path, {"kind", "value", "min", "max", "step", "period_ms", "values", "decimals"})) return;
    choice(j, "kind", path, g.kind,
           {{"constant", generator_kind::constant}, {"random_walk", generator_kind::random_walk},
            {"sine", generator_kind::sine}, {"ramp", generator_kind::ramp}, {"list", generator_kind::list}}, true);
    number(j, "value", path, g.value, -1e15, 1e15);
    number(j, "min", path, g.min, -1e15, 1e15);
    number(j, "max", path, g.max, -1e15, 1e15);
    number(j, "step", path, g.step, -1e15, 1e15);
    integer(j, "period_ms", path, g.period_ms, 0xFFFFFFFFu);
    if (g.period_ms == 0) error(path + ".period_ms", "must be greater than 0");
    integer(j, "decimals", path, g.decimals, 9);
    if (g.min > g.max) error(path, "min must not be greater than max");
    if (const json* v = j.find("values")) {
      if (!v->is_array()) {
        error(path + ".values", "must be an array, " + got(*v));
      } else {
        for (std::size_t i = 0; i < v->items().size(); ++i) {
          const json& x = v->items()[i];
          if (x.is_string()) g.values.push_back(x.as_string());
          else if (x.is_number()) g.values.push_back(number_text(x.as_number()));
          else error(path + ".values[" + std::to_string(i) + "]", "must be a string or a number, " + got(x));
        }
      }
    }
    if (g.kind == generator_kind::list && g.values.empty()) error(path, "a list generator needs \"values\"");
  }
};

}  // namespace

load_result load_scenario(std::string_view json_text) {
  const json_parse_result parsed = parse_json(json_text);
  if (!parsed.ok) {
    load_result r;
    r.errors.push_back({"$", "not valid JSON: " + parsed.error});
    return r;
  }
  return load_scenario(parsed.value);
}

// Devices, actions and steps: below.
void read_devices(const json& doc, scenario& sc, std::vector<load_error>& errors);
void read_actions_and_steps(const json& doc, scenario& sc, std::vector<load_error>& errors);

load_result load_scenario(const json& doc) {
  load_result res;
  reader r;
  scenario& sc = res.value;
  if (r.object(doc, "$", {"$schema", "title", "description", "seed", "duration_ms", "brokers", "devices", "actions",
                          "steps"})) {
    r.str(doc, "title", "$", sc.title);
    r.str(doc, "description", "$", sc.description);
    r.integer(doc, "seed", "$", sc.seed, 9'007'199'254'740'991ull);
    r.integer(doc, "duration_ms", "$", sc.duration_ms, 1'000'000'000'000ull);
    if (const json* bs = doc.find("brokers")) {
      if (!bs->is_array()) r.error("$.brokers", "must be an array, " + got(*bs));
      else {
        for (std::size_t i = 0; i < bs->items().size(); ++i) {
          const json& b = bs->items()[i];
          const std::string path = "$.brokers[" + std::to_string(i) + "]";
          broker_config bc;
          bc.config.sys_interval = 0;  // no $SYS traffic in a simulation unless asked for
          if (!r.object(b, path, {"name", "max_inflight_messages", "max_queued_messages", "queue_qos0_messages",
                                  "max_keepalive", "max_topic_alias", "retain_available", "max_qos",
                                  "persistent_client_expiration", "sys_interval", "connect_timeout_ms",
                                  "max_session_expiry_interval", "max_packet_size"})) continue;
          r.str(b, "name", path, bc.name, true);
          broker::config& c = bc.config;
          r.integer(b, "max_inflight_messages", path, c.max_inflight_messages, 65535);
          r.integer(b, "max_queued_messages", path, c.max_queued_messages, 0xFFFFFFFFu);
          r.boolean(b, "queue_qos0_messages", path, c.queue_qos0_messages);
          r.integer(b, "max_keepalive", path, c.max_keepalive, 65535);
          r.integer(b, "max_topic_alias", path, c.max_topic_alias, 65535);
          r.boolean(b, "retain_available", path, c.retain_available);
          r.integer(b, "max_qos", path, c.max_qos, 2);
          r.integer(b, "persistent_client_expiration", path, c.persistent_client_expiration, 0xFFFFFFFFu);
          r.integer(b, "sys_interval", path, c.sys_interval, 0xFFFFFFFFu);
          r.integer(b, "connect_timeout_ms", path, c.connect_timeout_ms, 0xFFFFFFFFu);
          r.integer(b, "max_session_expiry_interval", path, c.max_session_expiry_interval, 0xFFFFFFFFu);
          r.integer(b, "max_packet_size", path, c.max_packet_size, 268'435'460);
          for (const auto& other : sc.brokers) {
            if (other.name == bc.name) r.error(path + ".name", "duplicate broker name \"" + bc.name + "\"");
          }
          sc.brokers.push_back(std::move(bc));
        }
      }
    }
    if (sc.brokers.empty()) {
      broker_config bc;
      bc.config.sys_interval = 0;
      sc.brokers.push_back(std::move(bc));
    }
    read_devices(doc, sc, r.errors);
    read_actions_and_steps(doc, sc, r.errors);
  }
  res.errors = std::move(r.errors);
  res.ok = res.errors.empty();
  return res;
}

// ---- devices, actions, steps (kept here: they share the reader)

void read_devices(const json& doc, scenario& sc, std::vector<load_error>& errors) {
  reader r;
  const json* ds = r.member(doc, "devices", "$", true);
  if (ds != nullptr && !ds->is_array()) r.error("$.devices", "must be an array, " + got(*ds));
  std::set<std::string> ids;
  for (std::size_t i = 0; ds != nullptr && ds->is_array() && i < ds->items().size(); ++i) {
    const json& d = ds->items()[i];
    const std::string path = "$.devices[" + std::to_string(i) + "]";
    device_config dc;
    if (!r.object(d, path, {"id", "kind", "broker", "protocol", "clean_start", "session_expiry_s", "keepalive_s",
                            "username", "password", "will", "reconnect_ms", "connect_timeout_ms",
                            "topic_alias_maximum", "start_ms", "count", "ramp_up_ms", "link", "subscriptions", "sensor",
                            "actuator", "rules"})) continue;
    r.str(d, "id", path, dc.id, true);
    if (!dc.id.empty() && !ids.insert(dc.id).second) r.error(path + ".id", "duplicate device id \"" + dc.id + "\"");
    r.choice(d, "kind", path, dc.kind,
             {{"sensor", device_kind::sensor}, {"actuator", device_kind::actuator},
              {"subscriber", device_kind::subscriber}, {"rule", device_kind::rule}, {"client", device_kind::client}});
    if (r.str(d, "broker", path, dc.broker)) {
      bool known = false;
      for (const auto& b : sc.brokers) known = known || b.name == dc.broker;
      if (!known) r.error(path + ".broker", "no broker named \"" + dc.broker + "\"");
    }
    r.choice(d, "protocol", path, dc.protocol,
             {{"3.1", protocol_version::v3_1}, {"3.1.1", protocol_version::v3_1_1}, {"5", protocol_version::v5},
              {"5.0", protocol_version::v5}});
    r.boolean(d, "clean_start", path, dc.clean_start);
    r.integer(d, "session_expiry_s", path, dc.session_expiry_s, 0xFFFFFFFFu);
    r.integer(d, "keepalive_s", path, dc.keepalive_s, 65535);
    r.opt_str(d, "username", path, dc.username);
    r.opt_str(d, "password", path, dc.password);
    r.integer(d, "reconnect_ms", path, dc.reconnect_ms, 0xFFFFFFFFu);
    r.integer(d, "connect_timeout_ms", path, dc.connect_timeout_ms, 0xFFFFFFFFu);
    r.integer(d, "topic_alias_maximum", path, dc.topic_alias_maximum, 65535);
    r.integer(d, "start_ms", path, dc.start_ms, 0xFFFFFFFFu);
    r.integer(d, "count", path, dc.count, 1'000'000);
    if (dc.count == 0) r.error(path + ".count", "must be at least 1");
    r.integer(d, "ramp_up_ms", path, dc.ramp_up_ms, 0xFFFFFFFFu);
    if (const json* l = d.find("link")) r.link(*l, path + ".link", dc.link);
    if (const json* w = d.find("will")) {
      const std::string wp = path + ".will";
      if (r.object(*w, wp, {"topic", "payload", "qos", "retain", "delay_s", "message_expiry_s"})) {
        will_config wc;
        if (r.str(*w, "topic", wp, wc.topic, true)) r.topic_name(wp + ".topic", wc.topic);
        r.str(*w, "payload", wp, wc.payload);
        r.qos_level(*w, "qos", wp, wc.qos_level);
        r.boolean(*w, "retain", wp, wc.retain);
        r.integer(*w, "delay_s", wp, wc.delay_s, 0xFFFFFFFFu);
        r.opt_integer(*w, "message_expiry_s", wp, wc.message_expiry_s, 0xFFFFFFFFu);
        dc.will = std::move(wc);
      }
    }
    if (const json* ss = d.find("subscriptions")) {
      if (!ss->is_array()) r.error(path + ".subscriptions", "must be an array, " + got(*ss));
      for (std::size_t k = 0; ss->is_array() && k < ss->items().size(); ++k) {
        subscription_config s;
        r.subscription(ss->items()[k], path + ".subscriptions[" + std::to_string(k) + "]", s);
        dc.subscriptions.push_back(std::move(s));
      }
    }
    if (const json* s = d.find("sensor")) {
      const std::string sp = path + ".sensor";
      if (r.object(*s, sp, {"topic", "payload", "qos", "retain", "properties", "generator", "every_ms", "jitter_ms",
                            "start_ms", "count"})) {
        sensor_config sc2;
        if (r.str(*s, "topic", sp, sc2.publish.topic, true)) r.topic_name(sp + ".topic", sc2.publish.topic);
        r.str(*s, "payload", sp, sc2.publish.payload);
        r.qos_level(*s, "qos", sp, sc2.publish.qos_level);
        r.boolean(*s, "retain", sp, sc2.publish.retain);
        if (const json* pr = s->find("properties")) r.props(*pr, sp + ".properties", sc2.publish.properties);
        if (const json* g = s->find("generator")) r.generator(*g, sp + ".generator", sc2.generator);
        r.integer(*s, "every_ms", sp, sc2.every_ms, 0xFFFFFFFFu);
        if (sc2.every_ms == 0) r.error(sp + ".every_ms", "must be greater than 0");
        r.integer(*s, "jitter_ms", sp, sc2.jitter_ms, 0xFFFFFFFFu);
        r.integer(*s, "start_ms", sp, sc2.start_ms, 0xFFFFFFFFu);
        r.integer(*s, "count", sp, sc2.count, 0xFFFFFFFFu);
        dc.sensor = std::move(sc2);
      }
    }
    if (const json* a = d.find("actuator")) {
      const std::string ap = path + ".actuator";
      if (r.object(*a, ap, {"command_topic", "state_topic", "initial", "qos"})) {
        actuator_config ac;
        if (r.str(*a, "command_topic", ap, ac.command_topic, true)) r.topic_filter(ap + ".command_topic", ac.command_topic);
        if (r.str(*a, "state_topic", ap, ac.state_topic, true)) r.topic_name(ap + ".state_topic", ac.state_topic);
        r.str(*a, "initial", ap, ac.initial);
        r.qos_level(*a, "qos", ap, ac.qos_level);
        dc.actuator = std::move(ac);
      }
    }
    if (const json* rs = d.find("rules")) {
      if (!rs->is_array()) r.error(path + ".rules", "must be an array, " + got(*rs));
      for (std::size_t k = 0; rs->is_array() && k < rs->items().size(); ++k) {
        const json& ru = rs->items()[k];
        const std::string rp = path + ".rules[" + std::to_string(k) + "]";
        if (!r.object(ru, rp, {"on", "qos", "above", "below", "equals", "respond", "publish"})) continue;
        rule_config rc;
        if (r.str(ru, "on", rp, rc.on, true)) r.topic_filter(rp + ".on", rc.on);
        r.qos_level(ru, "qos", rp, rc.on_qos);
        double v = 0;
        if (r.number(ru, "above", rp, v, -1e15, 1e15)) rc.above = v;
        if (r.number(ru, "below", rp, v, -1e15, 1e15)) rc.below = v;
        r.opt_str(ru, "equals", rp, rc.equals);
        r.boolean(ru, "respond", rp, rc.respond);
        if (const json* p = r.member(ru, "publish", rp, true)) r.publish(*p, rp + ".publish", rc.publish, !rc.respond);
        dc.rules.push_back(std::move(rc));
      }
    }
    if (dc.kind == device_kind::sensor && !dc.sensor) r.error(path, "a sensor needs a \"sensor\" member");
    if (dc.kind == device_kind::actuator && !dc.actuator) r.error(path, "an actuator needs an \"actuator\" member");
    if (dc.kind == device_kind::rule && dc.rules.empty()) r.error(path, "a rule device needs \"rules\"");
    if (dc.kind == device_kind::subscriber && dc.subscriptions.empty()) {
      r.error(path, "a subscriber needs \"subscriptions\"");
    }
    sc.devices.push_back(std::move(dc));
  }
  for (auto& e : r.errors) errors.push_back(std::move(e));
}

void read_actions_and_steps(const json& doc, scenario& sc, std::vector<load_error>& errors) {
  reader r;
  auto device_known = [&](const std::string& id, bool broker_ok) {
    for (const auto& d : sc.devices) {
      if (d.id == id) return true;
      if (d.count > 1 && id.rfind(d.id + "-", 0) == 0) return true;  // a copy of a scaled device
      if (d.count > 1 && d.id.find("{i}") != std::string::npos) return true;
    }
    if (broker_ok) {
      for (const auto& b : sc.brokers) {
        if (b.name == id) return true;
      }
    }
    return false;
  };
  if (const json* as = doc.find("actions")) {
    if (!as->is_array()) r.error("$.actions", "must be an array, " + got(*as));
    for (std::size_t i = 0; as->is_array() && i < as->items().size(); ++i) {
      const json& a = as->items()[i];
      const std::string path = "$.actions[" + std::to_string(i) + "]";
      if (!r.object(a, path, {"at_ms", "do", "device", "publish", "subscription", "link", "note"})) continue;
      action_config ac;
      r.integer(a, "at_ms", path, ac.at_ms, 1'000'000'000'000ull, true);
      r.choice(a, "do", path, ac.kind,
               {{"crash", action_kind::crash}, {"reconnect", action_kind::reconnect},
                {"disconnect", action_kind::disconnect}, {"disconnect_with_will", action_kind::disconnect_with_will},
                {"publish", action_kind::publish}, {"subscribe", action_kind::subscribe},
                {"unsubscribe", action_kind::unsubscribe}, {"half_open", action_kind::half_open},
                {"close", action_kind::close_link}, {"partition", action_kind::partition},
                {"heal", action_kind::heal}, {"set_link", action_kind::set_link}}, true);
      const bool group = ac.kind == action_kind::partition || ac.kind == action_kind::heal;
      if (r.str(a, "device", path, ac.device, !group) && !device_known(ac.device, group)) {
        r.error(path + ".device", "no device" + std::string(group ? " or broker" : "") + " named \"" + ac.device + "\"");
      }
      if (const json* p = a.find("publish")) {
        publish_config pc;
        r.publish(*p, path + ".publish", pc);
        ac.publish = std::move(pc);
      } else if (ac.kind == action_kind::publish) {
        r.error(path, "a publish action needs a \"publish\" member");
      }
      if (const json* s = a.find("subscription")) {
        subscription_config s2;
        r.subscription(*s, path + ".subscription", s2);
        ac.subscription = std::move(s2);
      } else if (ac.kind == action_kind::subscribe || ac.kind == action_kind::unsubscribe) {
        r.error(path, "a subscribe or unsubscribe action needs a \"subscription\" member");
      }
      if (const json* l = a.find("link")) {
        link_config lc;
        r.link(*l, path + ".link", lc);
        ac.link = lc;
      } else if (ac.kind == action_kind::set_link) {
        r.error(path, "a set_link action needs a \"link\" member");
      }
      sc.actions.push_back(std::move(ac));
    }
  }
  if (const json* ss = doc.find("steps")) {
    if (!ss->is_array()) r.error("$.steps", "must be an array, " + got(*ss));
    for (std::size_t i = 0; ss->is_array() && i < ss->items().size(); ++i) {
      const json& s = ss->items()[i];
      const std::string path = "$.steps[" + std::to_string(i) + "]";
      if (!r.object(s, path, {"at_ms", "title", "text", "expect"})) continue;
      step_config st;
      r.integer(s, "at_ms", path, st.at_ms, 1'000'000'000'000ull, true);
      r.str(s, "title", path, st.title, true);
      r.str(s, "text", path, st.text, true);
      if (const json* es = s.find("expect")) {
        if (!es->is_array()) r.error(path + ".expect", "must be an array, " + got(*es));
        for (std::size_t k = 0; es->is_array() && k < es->items().size(); ++k) {
          const json& e = es->items()[k];
          const std::string ep = path + ".expect[" + std::to_string(k) + "]";
          if (!r.object(e, ep, {"kind", "device", "topic", "payload", "min", "max", "count", "after_ms", "before_ms",
                                "remote_slack_ms", "value"})) continue;
          expect_config ec;
          r.choice(e, "kind", ep, ec.kind,
                   {{"received", expect_kind::received}, {"will_fired", expect_kind::will_fired},
                    {"connected", expect_kind::connected}, {"retained", expect_kind::retained},
                    {"delivered_once", expect_kind::delivered_once}, {"delivered", expect_kind::delivered}}, true);
          const bool needs_device = ec.kind != expect_kind::retained;
          if (r.str(e, "device", ep, ec.device, needs_device) && !device_known(ec.device, false)) {
            r.error(ep + ".device", "no device named \"" + ec.device + "\"");
          }
          const bool needs_topic = ec.kind == expect_kind::received || ec.kind == expect_kind::retained ||
                                   ec.kind == expect_kind::delivered_once || ec.kind == expect_kind::delivered;
          if (r.str(e, "topic", ep, ec.topic, needs_topic)) r.topic_filter(ep + ".topic", ec.topic);
          r.opt_str(e, "payload", ep, ec.payload);
          r.integer(e, "min", ep, ec.min, 1'000'000'000);
          r.opt_integer(e, "max", ep, ec.max, 1'000'000'000);
          std::uint64_t count = 0;
          if (r.integer(e, "count", ep, count, 1'000'000'000)) {
            ec.min = count;
            ec.max = count;
          }
          r.opt_integer(e, "after_ms", ep, ec.after_ms, 1'000'000'000'000ull);
          r.opt_integer(e, "before_ms", ep, ec.before_ms, 1'000'000'000'000ull);
          r.integer(e, "remote_slack_ms", ep, ec.remote_slack_ms, 3'600'000);
          r.boolean(e, "value", ep, ec.value);
          if (ec.max && *ec.max < ec.min) r.error(ep, "max is smaller than min");
          st.expect.push_back(std::move(ec));
        }
      }
      sc.steps.push_back(std::move(st));
    }
  }
  for (auto& e : r.errors) errors.push_back(std::move(e));
}

}  // namespace postcard::sim
