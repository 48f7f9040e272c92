#pragma once
// Plain JavaScript values (MQTT.js names) into core types. Only called for commands and options,
// never on the per-message hot path unless the message carries properties.
#include <emscripten/val.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/property_set.hpp"

namespace postcard::wasm {

using emscripten::val;

bool has(const val& obj, const char* key);
double number_or(const val& obj, const char* key, double fallback);
bool bool_or(const val& obj, const char* key, bool fallback);
std::string string_or(const val& obj, const char* key, const std::string& fallback);
std::vector<std::uint8_t> bytes_of(const val& v);  // Uint8Array (or string, UTF-8)
std::uint64_t to_time(double now_ms);              // JS milliseconds -> engine time

// MQTT.js `properties` ({ contentType, userProperties: { k: v | [v] }, ... }); undefined -> empty.
client::property_set properties_from(const val& props);

}  // namespace postcard::wasm
