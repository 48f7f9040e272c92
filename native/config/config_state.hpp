#pragma once
// Internal to the configuration parser: the state directives act on, and the directive tables.
//
// Theory of operation. Mosquitto applies directives in file order with three scopes:
//  - global options;
//  - the current listener: the last `listener` line, or before any, the implicit *default listener*
//    that `port`, `bind_address` and listener options create (port 1883 on all interfaces);
//  - security options (password_file, acl_file, allow_anonymous, ...): global, or the current
//    listener's when per_listener_settings is true (the parser looks for that flag first, so its
//    position in the file does not matter); then they must follow a listener.
// String options may be given once per scope (a second one is an error naming the first line).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/broker_config.hpp"
#include "config/config_reader.hpp"
#include "config/result.hpp"

namespace postcard::native::detail {

struct parse_state {
  broker_config cfg;
  std::optional<listener_config> default_listener;  // created by the first option that needs it
  std::string default_listener_where;                // the directive that created it
  std::optional<std::size_t> current;                 // index into cfg.listeners of the last `listener`
  bool log_dest_set = false;                           // the first log_dest replaces the default
  bool log_type_set = false;
  std::map<std::string, std::string> set_at;          // "scope/name" -> where a string option was set

  // The listener options apply to: the current listener, else the default listener.
  listener_config& listener_for(const directive& d);
  // The default listener, created by `d` if it does not exist yet.
  listener_config& default_listener_for(const directive& d);
  // The security options apply to: the global ones, or with per_listener_settings the current
  // listener's (the default listener's if one exists before any `listener` line). nullptr when
  // per_listener_settings is true and there is no listener yet: Mosquitto 2.0 silently drops such
  // options, Postcard refuses them.
  security_options* security_for();
  // Scope name for duplicate detection of listener / security options.
  std::string listener_scope() const;
  std::string security_scope() const;
  // Sets a string option once per scope; a second time is an error.
  status set_once(const directive& d, const std::string& scope, std::string& target, std::string value);
};

using handler = status (*)(parse_state&, const directive&);

// Looks a directive up in the global and listener tables; nullptr when unknown.
handler find_global_handler(std::string_view name);
handler find_listener_handler(std::string_view name);
// Mosquitto directives Postcard recognises but does not implement (bridges, plugins, PSK, engines):
// the reason, or nullptr.
const char* unsupported_reason(std::string_view name);

}  // namespace postcard::native::detail
