// Listener directives (network, TLS) and security directives, and the scoping rules of parse_state.
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "config/config_state.hpp"
#include "config/config_values.hpp"

namespace postcard::native::detail {

listener_config& parse_state::listener_for(const directive& d) {
  return current ? cfg.listeners[*current] : default_listener_for(d);
}

listener_config& parse_state::default_listener_for(const directive& d) {
  if (!default_listener) {
    default_listener.emplace();
    default_listener->source = "default listener (created by " + d.name + " at " + d.where() + ")";
    default_listener_where = d.where();
  }
  return *default_listener;
}

security_options* parse_state::security_for() {
  if (!cfg.per_listener_settings) return &cfg.security;
  if (current) return &cfg.listeners[*current].security;
  return default_listener ? &default_listener->security : nullptr;
}

std::string parse_state::listener_scope() const {
  return current ? "listener" + std::to_string(*current) : "default-listener";
}

std::string parse_state::security_scope() const {
  return cfg.per_listener_settings ? listener_scope() : "global";
}

status parse_state::set_once(const directive& d, const std::string& scope, std::string& target,
                             std::string value) {
  auto [it, inserted] = set_at.emplace(scope + "/" + d.name, d.where());
  if (!inserted) return directive_error(d, "duplicate " + d.name + " (already set at " + it->second + ")");
  target = std::move(value);
  return ok;
}

namespace {

// --- listener scope

status listener(parse_state& s, const directive& d) {
  if (d.args.empty()) return directive_error(d, "listener needs a port");
  if (d.args.size() > 2) return directive_error(d, "listener takes a port and an optional bind address");
  std::int64_t port = 0;
  if (!parse_integer(d.args[0], port)) return directive_error(d, "invalid port value '" + d.args[0] + "'");
  if (port == 0) return directive_error(d, "port 0 (a Unix socket in Mosquitto) is not supported");
  if (port < 0 || port > 65535) return directive_error(d, "invalid port value " + d.args[0] + " (1 to 65535)");
  listener_config l;
  l.port = static_cast<std::uint16_t>(port);
  if (d.args.size() == 2) l.bind_address = d.args[1];
  l.source = d.where();
  s.cfg.listeners.push_back(std::move(l));
  s.current = s.cfg.listeners.size() - 1;
  return ok;
}

status port(parse_state& s, const directive& d) {
  result<std::uint64_t> v = unsigned_value(d, 1, 65535);
  if (!v) return error{v.error_message()};
  s.default_listener_for(d).port = static_cast<std::uint16_t>(v.value());  // never a `listener`'s
  return ok;
}

status bind_address(parse_state& s, const directive& d) {
  result<std::string> v = one_word(d);
  if (!v) return error{v.error_message()};
  s.default_listener_for(d).bind_address = v.value();  // only ever the default listener's
  return ok;
}

status protocol(parse_state& s, const directive& d) {
  result<std::string> v = one_word(d);
  if (!v) return error{v.error_message()};
  listener_config& l = s.listener_for(d);
  if (v.value() == "mqtt") l.protocol = listener_protocol::mqtt;
  else if (v.value() == "websockets") l.protocol = listener_protocol::websockets;
  else return directive_error(d, "invalid protocol value '" + v.value() + "' (mqtt or websockets)");
  return ok;
}

status socket_domain_value(parse_state& s, const directive& d) {
  result<std::string> v = one_word(d);
  if (!v) return error{v.error_message()};
  listener_config& l = s.listener_for(d);
  if (v.value() == "ipv4") l.domain = socket_domain::ipv4;
  else if (v.value() == "ipv6") l.domain = socket_domain::ipv6;
  else return directive_error(d, "invalid socket_domain value '" + v.value() + "' (ipv4 or ipv6)");
  return ok;
}

status max_connections(parse_state& s, const directive& d) {
  result<std::int64_t> v = signed_value(d, -2147483648LL, 2147483647LL);
  if (!v) return error{v.error_message()};
  s.listener_for(d).max_connections = v.value() < 0 ? -1 : static_cast<std::int32_t>(v.value());
  return ok;
}

status max_qos(parse_state& s, const directive& d) {
  result<std::uint64_t> v = unsigned_value(d, 0, 2);
  if (!v) return error{v.error_message()};
  s.listener_for(d).max_qos = static_cast<std::uint8_t>(v.value());
  return ok;
}

status max_topic_alias(parse_state& s, const directive& d) {
  result<std::uint64_t> v = unsigned_value(d, 0, 65535);
  if (!v) return error{v.error_message()};
  s.listener_for(d).max_topic_alias = static_cast<std::uint16_t>(v.value());
  return ok;
}

status mount_point(parse_state& s, const directive& d) {
  if (!s.current) return directive_error(d, "mount_point must follow a listener");  // as Mosquitto 2.0
  result<std::string> v = one_word(d);
  if (!v) return error{v.error_message()};
  if (v.value().find_first_of("+#") != std::string::npos) {
    return directive_error(d, "invalid mount_point '" + v.value() + "' (no wildcards allowed)");
  }
  return s.set_once(d, s.listener_scope(), s.listener_for(d).mount_point, v.value());
}

template <auto member>
status listener_bool(parse_state& s, const directive& d) {
  result<bool> v = bool_value(d);
  if (!v) return error{v.error_message()};
  s.listener_for(d).*member = v.value();
  return ok;
}

template <auto member, bool is_path>
status listener_string(parse_state& s, const directive& d) {
  result<std::string> v = is_path ? path_value(d) : text_value(d);
  if (!v) return error{v.error_message()};
  return s.set_once(d, s.listener_scope(), s.listener_for(d).*member, std::move(v.value()));
}

// --- TLS (per listener)

template <auto member>
status tls_bool(parse_state& s, const directive& d) {
  result<bool> v = bool_value(d);
  if (!v) return error{v.error_message()};
  s.listener_for(d).tls.*member = v.value();
  return ok;
}

template <auto member, bool is_path>
status tls_string(parse_state& s, const directive& d) {
  result<std::string> v = is_path ? path_value(d) : text_value(d);
  if (!v) return error{v.error_message()};
  return s.set_once(d, s.listener_scope(), s.listener_for(d).tls.*member, std::move(v.value()));
}

status tls_version(parse_state& s, const directive& d) {
  result<std::string> v = one_word(d);
  if (!v) return error{v.error_message()};
  listener_config& l = s.listener_for(d);
  if (v.value() == "tlsv1.3") l.tls.min_version = tls_min_version::tls1_3;
  else if (v.value() == "tlsv1.2") l.tls.min_version = tls_min_version::tls1_2;
  else if (v.value() == "tlsv1.1" || v.value() == "tlsv1") {
    return directive_error(d, "tls_version " + v.value() + " is not supported: Postcard accepts TLS 1.2 or newer only");
  } else {
    return directive_error(d, "invalid tls_version value '" + v.value() + "' (tlsv1.2 or tlsv1.3)");
  }
  return ok;
}

status tls_keyform(parse_state& s, const directive& d) {
  result<std::string> v = one_word(d);
  if (!v) return error{v.error_message()};
  s.listener_for(d);
  if (v.value() == "pem") return ok;
  if (v.value() == "engine") return directive_error(d, "tls_keyform engine is not supported by Postcard");
  return directive_error(d, "invalid tls_keyform value '" + v.value() + "' (pem)");
}

// --- security options (global, or per listener with per_listener_settings true)

result<security_options*> security_target(parse_state& s, const directive& d) {
  if (security_options* target = s.security_for()) return target;
  return directive_error(d, d.name + " must follow a listener when per_listener_settings is true");
}

status allow_anonymous(parse_state& s, const directive& d) {
  result<bool> v = bool_value(d);
  if (!v) return error{v.error_message()};
  result<security_options*> sec = security_target(s, d);
  if (!sec) return error{sec.error_message()};
  sec.value()->allow_anonymous = v.value();
  sec.value()->allow_anonymous_set = true;
  return ok;
}

template <auto member>
status security_bool(parse_state& s, const directive& d) {
  result<bool> v = bool_value(d);
  if (!v) return error{v.error_message()};
  result<security_options*> sec = security_target(s, d);
  if (!sec) return error{sec.error_message()};
  sec.value()->*member = v.value();
  return ok;
}

template <auto member, bool is_path>
status security_string(parse_state& s, const directive& d) {
  result<std::string> v = is_path ? path_value(d) : text_value(d);
  if (!v) return error{v.error_message()};
  result<security_options*> sec = security_target(s, d);
  if (!sec) return error{sec.error_message()};
  return s.set_once(d, s.security_scope(), sec.value()->*member, std::move(v.value()));
}

const std::unordered_map<std::string_view, handler>& listener_table() {
  static const std::unordered_map<std::string_view, handler> table = {
      {"listener", listener},
      {"port", port},
      {"bind_address", bind_address},
      {"bind_interface", listener_string<&listener_config::bind_interface, false>},
      {"protocol", protocol},
      {"socket_domain", socket_domain_value},
      {"max_connections", max_connections},
      {"max_qos", max_qos},
      {"max_topic_alias", max_topic_alias},
      {"mount_point", mount_point},
      {"use_username_as_clientid", listener_bool<&listener_config::use_username_as_clientid>},
      {"http_dir", listener_string<&listener_config::http_dir, true>},
      {"metrics", listener_bool<&listener_config::metrics>},
      {"cafile", tls_string<&tls_options::cafile, true>},
      {"capath", tls_string<&tls_options::capath, true>},
      {"certfile", tls_string<&tls_options::certfile, true>},
      {"keyfile", tls_string<&tls_options::keyfile, true>},
      {"crlfile", tls_string<&tls_options::crlfile, true>},
      {"dhparamfile", tls_string<&tls_options::dhparamfile, true>},
      {"ciphers", tls_string<&tls_options::ciphers, false>},
      {"ciphers_tls1.3", tls_string<&tls_options::ciphers_tls13, false>},
      {"tls_version", tls_version},
      {"tls_keyform", tls_keyform},
      {"require_certificate", tls_bool<&tls_options::require_certificate>},
      {"use_identity_as_username", tls_bool<&tls_options::use_identity_as_username>},
      {"use_subject_as_username", tls_bool<&tls_options::use_subject_as_username>},
      {"allow_anonymous", allow_anonymous},
      {"allow_zero_length_clientid", security_bool<&security_options::allow_zero_length_clientid>},
      {"acl_subscribe_check", security_bool<&security_options::acl_subscribe_check>},
      {"auto_id_prefix", security_string<&security_options::auto_id_prefix, false>},
      {"password_file", security_string<&security_options::password_file, true>},
      {"acl_file", security_string<&security_options::acl_file, true>},
      {"scram_file", security_string<&security_options::scram_file, true>},
  };
  return table;
}

}  // namespace

handler find_listener_handler(std::string_view name) {
  auto it = listener_table().find(name);
  return it == listener_table().end() ? nullptr : it->second;
}

const char* unsupported_reason(std::string_view name) {
  static const std::unordered_map<std::string_view, const char*> reasons = {
      {"connection", "bridges are not supported by Postcard"},
      {"address", "bridges are not supported by Postcard"},
      {"addresses", "bridges are not supported by Postcard"},
      {"topic", "bridges are not supported by Postcard (ACL topics belong in an acl_file)"},
      {"cleansession", "bridges are not supported by Postcard"},
      {"local_cleansession", "bridges are not supported by Postcard"},
      {"keepalive_interval", "bridges are not supported by Postcard"},
      {"idle_timeout", "bridges are not supported by Postcard"},
      {"local_clientid", "bridges are not supported by Postcard"},
      {"local_password", "bridges are not supported by Postcard"},
      {"local_username", "bridges are not supported by Postcard"},
      {"notifications", "bridges are not supported by Postcard"},
      {"notifications_local_only", "bridges are not supported by Postcard"},
      {"notification_topic", "bridges are not supported by Postcard"},
      {"remote_clientid", "bridges are not supported by Postcard"},
      {"remote_password", "bridges are not supported by Postcard"},
      {"remote_username", "bridges are not supported by Postcard"},
      {"restart_timeout", "bridges are not supported by Postcard"},
      {"round_robin", "bridges are not supported by Postcard"},
      {"start_type", "bridges are not supported by Postcard"},
      {"threshold", "bridges are not supported by Postcard"},
      {"try_private", "bridges are not supported by Postcard"},
      {"auth_plugin", "Mosquitto plugins are not supported by Postcard"},
      {"auth_plugin_deny_special_chars", "Mosquitto plugins are not supported by Postcard"},
      {"plugin", "Mosquitto plugins are not supported by Postcard"},
      {"global_plugin", "Mosquitto plugins are not supported by Postcard"},
      {"psk_file", "TLS-PSK is not supported by Postcard"},
      {"psk_hint", "TLS-PSK is not supported by Postcard"},
      {"tls_engine", "OpenSSL engines are not supported by Postcard"},
      {"tls_engine_kpass_sha1", "OpenSSL engines are not supported by Postcard"},
  };
  auto it = reasons.find(name);
  if (it != reasons.end()) return it->second;
  if (name.starts_with("bridge_")) return "bridges are not supported by Postcard";
  if (name.starts_with("auth_opt_") || name.starts_with("plugin_opt_")) {
    return "Mosquitto plugins are not supported by Postcard";
  }
  return nullptr;
}

}  // namespace postcard::native::detail
