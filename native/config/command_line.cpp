#include "config/command_line.hpp"

#include <algorithm>

#include "config/config_parser.hpp"
#include "config/config_values.hpp"

#ifndef POSTCARD_VERSION
#define POSTCARD_VERSION "0.0.0"
#endif

namespace postcard::native {
namespace {

constexpr std::uint16_t default_mqtt_port = 1883;
constexpr std::uint16_t default_websocket_port = 8080;

result<std::uint16_t> port_argument(const std::string& option, const std::string& text) {
  std::int64_t value = 0;
  if (!parse_integer(text, value) || value < 1 || value > 65535) {
    return error{"invalid port '" + text + "' for " + option + " (1 to 65535)"};
  }
  return static_cast<std::uint16_t>(value);
}

void add_loopback(broker_config& cfg, std::uint16_t port, listener_protocol protocol) {
  for (const char* address : {"127.0.0.1", "::1"}) {
    listener_config l;
    l.port = port;
    l.bind_address = address;
    l.domain = address[0] == ':' ? socket_domain::ipv6 : socket_domain::ipv4;
    l.protocol = protocol;
    l.source = "command line";
    l.security = cfg.security;
    cfg.listeners.push_back(std::move(l));
  }
}

}  // namespace

result<command_line> parse_command_line(int argc, const char* const* argv) {
  command_line cl;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i] ? argv[i] : "";
    const auto value = [&]() -> result<std::string> {
      if (i + 1 >= argc || argv[i + 1] == nullptr) return error{"missing argument for " + arg};
      return std::string(argv[++i]);
    };
    if (arg == "-c" || arg == "--config-file") {
      result<std::string> file = value();
      if (!file) return error{file.error_message()};
      if (!cl.config_file.empty()) return error{"only one configuration file (-c) may be given"};
      if (file.value().empty()) return error{"empty file name for " + arg};
      cl.config_file = file.value();
    } else if (arg == "-p" || arg == "--port") {
      result<std::string> text = value();
      if (!text) return error{text.error_message()};
      result<std::uint16_t> port = port_argument(arg, text.value());
      if (!port) return error{port.error_message()};
      if (std::find(cl.ports.begin(), cl.ports.end(), port.value()) != cl.ports.end()) {
        return error{"port " + text.value() + " given twice with -p"};
      }
      cl.ports.push_back(port.value());
    } else if (arg == "-v" || arg == "--verbose") {
      cl.verbose = true;
    } else if (arg == "-d" || arg == "--daemon") {
      cl.daemon = true;
    } else if (arg == "-h" || arg == "--help") {
      cl.action = command_action::help;
    } else if (arg == "--version") {
      cl.action = command_action::version;
    } else {
      return error{"unknown option '" + arg + "' (see --help)"};
    }
  }
  return cl;
}

std::string help_text(std::string_view program_name) {
  std::string name(program_name.empty() ? "postcard" : program_name);
  return "postcard " POSTCARD_VERSION " - an MQTT v5.0/v3.1.1/v3.1 broker\n"
         "\n"
         "Usage: " + name + " [-c config_file] [-d] [-p port]... [-v]\n"
         "       " + name + " --help | --version\n"
         "\n"
         " -c, --config-file FILE  read the configuration from FILE (mosquitto.conf syntax)\n"
         " -d, --daemon            run in the background after starting\n"
         " -p, --port PORT         listen on PORT (repeatable), loopback only, anonymous;\n"
         "                         ignored when the configuration file defines listeners\n"
         " -v, --verbose           log everything (log_type all), whatever the file says\n"
         " -h, --help              show this help\n"
         "     --version           show the version\n"
         "\n"
         "Without -c and -p: MQTT on port 1883 and WebSocket + HTTP (the web app) on port 8080,\n"
         "reachable from this machine only, anonymous access.\n";
}

std::string version_text() { return "postcard version " POSTCARD_VERSION "\n"; }

result<broker_config> load_configuration(const command_line& cl, std::vector<std::string>& notices) {
  broker_config cfg;
  if (!cl.config_file.empty()) {
    result<broker_config> loaded = load_config_file(cl.config_file);
    if (!loaded) return loaded;
    cfg = std::move(loaded.value());
    if (!cl.ports.empty()) {
      if (cfg.local_only) {
        cfg.listeners.clear();
        for (std::uint16_t port : cl.ports) add_loopback(cfg, port, listener_protocol::mqtt);
      } else {
        notices.push_back("the -p ports are ignored because " + cl.config_file + " defines listeners");
      }
    }
  } else {
    cfg.local_only = true;
    cfg.security.allow_anonymous = true;
    if (cl.ports.empty()) {
      add_loopback(cfg, default_mqtt_port, listener_protocol::mqtt);
      add_loopback(cfg, default_websocket_port, listener_protocol::websockets);
    } else {
      for (std::uint16_t port : cl.ports) add_loopback(cfg, port, listener_protocol::mqtt);
    }
  }
  if (cfg.local_only) {
    notices.push_back("starting in local only mode: connections are possible only from this machine; "
                      "write a configuration file with listeners to allow remote access");
  }
  cfg.verbose = cl.verbose;
  cfg.daemon = cl.daemon;
  if (cl.verbose) cfg.log.types = log_all;
  return cfg;
}

}  // namespace postcard::native
