// Global directives: limits, persistence, $SYS, logging, process options.
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "config/config_state.hpp"
#include "config/config_values.hpp"

namespace postcard::native::detail {
namespace {

template <auto member, std::uint64_t min, std::uint64_t max>
status set_unsigned(parse_state& s, const directive& d) {
  result<std::uint64_t> v = unsigned_value(d, min, max);
  if (!v) return error{v.error_message()};
  using field = std::remove_reference_t<decltype(s.cfg.*member)>;
  s.cfg.*member = static_cast<field>(v.value());
  return ok;
}

template <auto member>
status set_bool(parse_state& s, const directive& d) {
  result<bool> v = bool_value(d);
  if (!v) return error{v.error_message()};
  s.cfg.*member = v.value();
  return ok;
}

template <auto member>
status set_log_bool(parse_state& s, const directive& d) {
  result<bool> v = bool_value(d);
  if (!v) return error{v.error_message()};
  s.cfg.log.*member = v.value();
  return ok;
}

template <auto member, bool is_path>
status set_string(parse_state& s, const directive& d) {
  result<std::string> v = is_path ? path_value(d) : text_value(d);
  if (!v) return error{v.error_message()};
  return s.set_once(d, "global", s.cfg.*member, std::move(v.value()));
}

constexpr std::uint64_t u16_max = 65535;
constexpr std::uint64_t u32_max = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t max_payload = 268'435'455;  // the largest Remaining Length [MQTT-1.5.5]

status max_packet_size(parse_state& s, const directive& d) {
  // 0 = no limit; Mosquitto refuses below 20 bytes. The largest packet is 268,435,455 + 5 header bytes.
  result<std::uint64_t> v = unsigned_value(d, 0, max_payload + 5);
  if (!v) return error{v.error_message()};
  if (v.value() != 0 && v.value() < 20) {
    return directive_error(d, "invalid max_packet_size value " + d.args[0] + " (0 for no limit, or at least 20)");
  }
  s.cfg.max_packet_size = static_cast<std::uint32_t>(v.value());
  return ok;
}

status persistent_client_expiration(parse_state& s, const directive& d) {
  result<std::uint64_t> v = duration_value(d);
  if (!v) return error{v.error_message()};
  s.cfg.persistent_client_expiration = v.value();
  return ok;
}

status log_dest(parse_state& s, const directive& d) {
  if (d.args.empty()) return directive_error(d, "log_dest needs a destination");
  if (!s.log_dest_set) s.cfg.log.destinations = log_to_none;  // the first one replaces the default
  s.log_dest_set = true;
  const std::string& what = d.args[0];
  std::uint8_t bit = log_to_none;
  if (what == "file") {
    std::string_view path = std::string_view(d.rest).substr(4);
    while (!path.empty() && (path.front() == ' ' || path.front() == '\t')) path.remove_prefix(1);
    if (path.empty()) return directive_error(d, "log_dest file needs a file name");
    directive as_path = d;
    as_path.rest = std::string(path);
    result<std::string> p = path_value(as_path);
    if (!p) return error{p.error_message()};
    if (!s.cfg.log.file.empty()) {
      return directive_error(d, "only one log_dest file is allowed (already " + s.cfg.log.file + ")");
    }
    s.cfg.log.file = p.value();
    s.cfg.log.destinations |= log_to_file;
    return ok;
  }
  if (d.args.size() > 1) return directive_error(d, "log_dest " + what + " takes no further value");
  if (what == "none") {
    s.cfg.log.destinations = log_to_none;
    return ok;
  }
  if (what == "stdout") bit = log_to_stdout;
  else if (what == "stderr") bit = log_to_stderr;
  else if (what == "syslog") bit = log_to_syslog;
  else if (what == "topic") bit = log_to_topic;
  else if (what == "dlt") bit = log_to_dlt;
  else return directive_error(d, "invalid log_dest value '" + what + "' (stdout, stderr, syslog, topic, file, dlt or none)");
  s.cfg.log.destinations |= bit;
  return ok;
}

status log_type(parse_state& s, const directive& d) {
  if (d.args.empty()) return directive_error(d, "log_type needs a type");
  if (!s.log_type_set) s.cfg.log.types = log_none;  // the first one replaces the default
  s.log_type_set = true;
  static const std::unordered_map<std::string_view, std::uint16_t> types = {
      {"debug", log_debug}, {"error", log_error}, {"warning", log_warning}, {"notice", log_notice},
      {"information", log_information}, {"subscribe", log_subscribe}, {"unsubscribe", log_unsubscribe},
      {"websockets", log_websockets}, {"all", log_all}, {"none", log_none}};
  for (const std::string& word : d.args) {  // Postcard also accepts several types on one line
    auto it = types.find(word);
    if (it == types.end()) {
      return directive_error(d, "invalid log_type value '" + word +
                                    "' (debug, error, warning, notice, information, subscribe, "
                                    "unsubscribe, websockets, all or none)");
    }
    if (it->second == log_none) s.cfg.log.types = log_none;
    else s.cfg.log.types = static_cast<std::uint16_t>(s.cfg.log.types | it->second);
  }
  return ok;
}

status log_facility(parse_state& s, const directive& d) {
  result<std::uint64_t> v = unsigned_value(d, 0, 7);
  if (!v) return error{v.error_message()};
  s.cfg.log.syslog_facility = static_cast<std::uint8_t>(v.value());
  s.cfg.log.facility_set = true;
  return ok;
}

status log_timestamp_format(parse_state& s, const directive& d) {
  result<std::string> v = text_value(d);
  if (!v) return error{v.error_message()};
  return s.set_once(d, "global", s.cfg.log.timestamp_format, std::move(v.value()));
}

status websockets_log_level(parse_state& s, const directive& d) {
  result<std::uint64_t> v = unsigned_value(d, 0, u32_max);
  if (!v) return error{v.error_message()};
  s.cfg.log.websockets_log_level = static_cast<std::uint32_t>(v.value());
  return ok;
}

status per_listener_settings(parse_state& s, const directive& d) {
  result<bool> v = bool_value(d);  // already applied by the pre-scan; this validates the value
  if (!v) return error{v.error_message()};
  s.cfg.per_listener_settings = v.value();
  return ok;
}

status deprecated_bool(parse_state&, const directive& d) {
  result<bool> v = bool_value(d);  // allow_duplicate_messages: Mosquitto 2 always behaves as true
  if (!v) return error{v.error_message()};
  return ok;
}

const std::unordered_map<std::string_view, handler>& global_table() {
  static const std::unordered_map<std::string_view, handler> table = {
      {"max_inflight_messages", set_unsigned<&broker_config::max_inflight_messages, 0, u16_max>},
      {"max_inflight_bytes", set_unsigned<&broker_config::max_inflight_bytes, 0, u64_max>},
      {"max_queued_messages", set_unsigned<&broker_config::max_queued_messages, 0, u32_max>},
      {"max_queued_bytes", set_unsigned<&broker_config::max_queued_bytes, 0, u64_max>},
      {"message_size_limit", set_unsigned<&broker_config::message_size_limit, 0, max_payload>},
      {"max_packet_size", max_packet_size},
      {"max_keepalive", set_unsigned<&broker_config::max_keepalive, 0, u16_max>},
      {"memory_limit", set_unsigned<&broker_config::memory_limit, 0, u64_max>},
      {"websockets_headers_size", set_unsigned<&broker_config::websockets_headers_size, 0, u16_max>},
      {"max_outgoing_bytes", set_unsigned<&broker_config::max_outgoing_bytes, 0, u64_max>},
      {"connect_timeout", set_unsigned<&broker_config::connect_timeout, 1, 3600>},
      {"retain_available", set_bool<&broker_config::retain_available>},
      {"check_retain_source", set_bool<&broker_config::check_retain_source>},
      {"upgrade_outgoing_qos", set_bool<&broker_config::upgrade_outgoing_qos>},
      {"queue_qos0_messages", set_bool<&broker_config::queue_qos0_messages>},
      {"set_tcp_nodelay", set_bool<&broker_config::set_tcp_nodelay>},
      {"persistent_client_expiration", persistent_client_expiration},
      {"clientid_prefixes", set_string<&broker_config::clientid_prefixes, false>},
      {"persistence", set_bool<&broker_config::persistence>},
      {"persistence_location", set_string<&broker_config::persistence_location, true>},
      {"persistence_file", set_string<&broker_config::persistence_file, false>},
      {"autosave_interval", set_unsigned<&broker_config::autosave_interval, 0, u32_max>},
      {"autosave_on_changes", set_bool<&broker_config::autosave_on_changes>},
      {"sys_interval", set_unsigned<&broker_config::sys_interval, 0, u32_max>},
      {"log_dest", log_dest},
      {"log_type", log_type},
      {"log_facility", log_facility},
      {"log_timestamp", set_log_bool<&logging_options::timestamp>},
      {"log_timestamp_format", log_timestamp_format},
      {"connection_messages", set_log_bool<&logging_options::connection_messages>},
      {"websockets_log_level", websockets_log_level},
      {"pid_file", set_string<&broker_config::pid_file, true>},
      {"user", set_string<&broker_config::user, false>},
      {"io_threads", set_unsigned<&broker_config::io_threads, 1, 64>},
      {"per_listener_settings", per_listener_settings},
      {"allow_duplicate_messages", deprecated_bool},
  };
  return table;
}

}  // namespace

handler find_global_handler(std::string_view name) {
  auto it = global_table().find(name);
  return it == global_table().end() ? nullptr : it->second;
}

}  // namespace postcard::native::detail
