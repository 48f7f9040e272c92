#pragma once
// Standard base64 (RFC 4648 section 4, with '=' padding), as used by mosquitto_passwd and SCRAM.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace postcard::native {

std::string base64_encode(std::span<const std::uint8_t> data);
inline std::string base64_encode(std::string_view text) {
  return base64_encode(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}
// nullopt on a character outside the alphabet, bad padding or a length that cannot be base64.
// Padding may be omitted.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace postcard::native
