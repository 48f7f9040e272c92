#pragma once
// mosquitto.conf syntax into a broker_config. See broker_config.hpp for the result and Postcard's own
// directives, config_reader.hpp for the syntax, config_state.hpp for the scoping rules.
//
// Every failure is an error value whose message is "file:line: what is wrong" (or "file: ..." when the
// file itself cannot be read): unknown directive, missing or extra argument, bad number or keyword,
// option before any listener when it must follow one, duplicate listener, duplicate string option,
// Mosquitto features Postcard does not implement. Nothing throws out of these functions.
#include <string>
#include <string_view>

#include "config/broker_config.hpp"
#include "config/result.hpp"

namespace postcard::native {

result<broker_config> load_config_file(const std::string& path);
// The same for text in memory (tests, stdin); `file_name` appears in messages.
result<broker_config> parse_config_text(std::string_view text, const std::string& file_name);

// Where the persistence database lives: persistence_file inside persistence_location (the working
// directory when that is empty), absolute.
std::string persistence_file_path(const broker_config& cfg);

// The configuration without any file: Mosquitto 2.0's local-only mode, MQTT on `port` over loopback
// (127.0.0.1 and ::1) with anonymous access.
broker_config local_only_config(std::uint16_t port = 1883);

}  // namespace postcard::native
