#include "config/config_parser.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "config/config_reader.hpp"
#include "config/config_state.hpp"
#include "config/config_values.hpp"

namespace postcard::native {
namespace {

using detail::parse_state;

// Two listeners that could not both be bound: the same port, overlapping address families, and the
// same address or one of them on all addresses.
bool addresses_conflict(const listener_config& a, const listener_config& b) {
  if (a.port != b.port) return false;
  if (a.domain != socket_domain::any && b.domain != socket_domain::any && a.domain != b.domain) return false;
  return a.bind_address == b.bind_address || a.bind_address.empty() || b.bind_address.empty();
}

listener_config loopback_listener(std::uint16_t port, const char* address, socket_domain domain,
                                  listener_protocol protocol) {
  listener_config l;
  l.port = port;
  l.bind_address = address;
  l.domain = domain;
  l.protocol = protocol;
  l.source = "local-only listener";
  return l;
}

status apply(parse_state& state, const directive& d) {
  if (detail::handler h = detail::find_global_handler(d.name)) return h(state, d);
  if (detail::handler h = detail::find_listener_handler(d.name)) return h(state, d);
  if (const char* reason = detail::unsupported_reason(d.name)) {
    return directive_error(d, "'" + d.name + "': " + reason);
  }
  return directive_error(d, "unknown configuration directive '" + d.name + "'");
}

// Defaults that depend on the whole file, the implicit listeners and cross-option checks.
result<broker_config> finish(parse_state& state) {
  broker_config& cfg = state.cfg;
  for (std::size_t i = 1; i < cfg.listeners.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (addresses_conflict(cfg.listeners[i], cfg.listeners[j])) {
        return error{cfg.listeners[i].source + ": duplicate listener on port " + std::to_string(cfg.listeners[i].port) +
                     " (already at " + cfg.listeners[j].source + ")"};
      }
    }
  }
  if (state.default_listener) {
    for (const listener_config& other : cfg.listeners) {
      if (addresses_conflict(*state.default_listener, other)) {
        return error{state.default_listener_where + ": the default listener on port " +
                     std::to_string(state.default_listener->port) + " duplicates the listener at " + other.source};
      }
    }
    cfg.listeners.insert(cfg.listeners.begin(), std::move(*state.default_listener));
  }
  if (cfg.listeners.empty()) {
    cfg.local_only = true;  // Mosquitto 2.0: no listener configured means loopback only, anonymous
    cfg.listeners.push_back(loopback_listener(1883, "127.0.0.1", socket_domain::ipv4, listener_protocol::mqtt));
    cfg.listeners.push_back(loopback_listener(1883, "::1", socket_domain::ipv6, listener_protocol::mqtt));
  }
  if (!cfg.security.allow_anonymous_set) cfg.security.allow_anonymous = cfg.local_only;
  for (listener_config& l : cfg.listeners) {
    if (!cfg.per_listener_settings) l.security = cfg.security;
    if (!l.security.allow_anonymous_set) l.security.allow_anonymous = cfg.local_only;
    if (l.tls.certfile.empty() != l.tls.keyfile.empty()) {
      return error{l.source + ": certfile and keyfile must be given together to enable TLS on port " +
                   std::to_string(l.port)};
    }
  }
  return std::move(cfg);
}

result<broker_config> parse_directives(const std::vector<directive>& directives, std::vector<std::string> files) {
  parse_state state;
  state.cfg.files = std::move(files);
  // per_listener_settings changes where security options go, wherever it appears.
  for (const directive& d : directives) {
    if (d.name != "per_listener_settings") continue;
    result<bool> v = bool_value(d);
    if (!v) return error{v.error_message()};
    state.cfg.per_listener_settings = v.value();
  }
  for (const directive& d : directives) {
    if (status s = apply(state, d); !s) return error{s.error_message()};
  }
  return finish(state);
}

std::vector<std::string> files_of(const std::vector<directive>& directives, const std::string& main) {
  std::vector<std::string> files{main};
  for (const directive& d : directives) {
    if (std::find(files.begin(), files.end(), d.file) == files.end()) files.push_back(d.file);
  }
  return files;
}

}  // namespace

result<broker_config> load_config_file(const std::string& path) {
  result<std::vector<directive>> directives = read_config_file(path);
  if (!directives) return error{directives.error_message()};
  return parse_directives(directives.value(), files_of(directives.value(), path));
}

result<broker_config> parse_config_text(std::string_view text, const std::string& file_name) {
  result<std::vector<directive>> directives = read_config_text(text, file_name);
  if (!directives) return error{directives.error_message()};
  return parse_directives(directives.value(), files_of(directives.value(), file_name));
}

std::string persistence_file_path(const broker_config& cfg) {
  std::error_code ec;
  const std::filesystem::path base =
      cfg.persistence_location.empty() ? std::filesystem::current_path(ec) : std::filesystem::path(cfg.persistence_location);
  return (base / cfg.persistence_file).lexically_normal().string();
}

broker_config local_only_config(std::uint16_t port) {
  broker_config cfg;
  cfg.local_only = true;
  cfg.security.allow_anonymous = true;
  cfg.listeners.push_back(loopback_listener(port, "127.0.0.1", socket_domain::ipv4, listener_protocol::mqtt));
  cfg.listeners.push_back(loopback_listener(port, "::1", socket_domain::ipv6, listener_protocol::mqtt));
  for (listener_config& l : cfg.listeners) l.security = cfg.security;
  return cfg;
}

}  // namespace postcard::native
