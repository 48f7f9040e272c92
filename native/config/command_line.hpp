#pragma once
// The `postcard` command line, as Mosquitto 2.0's: -c FILE, -p PORT (repeatable), -v, -d, plus
// --version and --help. Long forms: --config-file, --port, --verbose, --daemon.
//
//   no -c and no -p   MQTT on 1883 and WebSocket+HTTP on 8080, loopback only, anonymous (Postcard's
//                     default, so the web app opens at http://localhost:8080/)
//   -p PORT ...       MQTT on each PORT, loopback only, anonymous (Mosquitto 2.0's local-only mode)
//   -c FILE           the file; -p ports are then used only if the file defines no listener at all
//                     (Mosquitto ignores -p when the file has listeners; so do we, with a notice)
//   -v                log_type all, whatever the file says
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/broker_config.hpp"
#include "config/result.hpp"

namespace postcard::native {

enum class command_action : std::uint8_t { run, help, version };

struct command_line {
  command_action action = command_action::run;
  std::string config_file;           // empty = none
  std::vector<std::uint16_t> ports;  // -p, in order
  bool verbose = false;
  bool daemon = false;
};

result<command_line> parse_command_line(int argc, const char* const* argv);

std::string help_text(std::string_view program_name);
std::string version_text();

// The configuration a command line asks for. `notices` receives start-up remarks the host should log
// (the local-only mode, ignored -p ports).
result<broker_config> load_configuration(const command_line& cl, std::vector<std::string>& notices);

}  // namespace postcard::native
