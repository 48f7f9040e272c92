#pragma once
// The few OpenSSL primitives Postcard's security layer needs, behind a byte-vector interface.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace postcard::native::crypto {

using bytes = std::vector<std::uint8_t>;
using byte_view = std::span<const std::uint8_t>;

inline byte_view as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Cryptographically secure random bytes; nullopt if OpenSSL's generator fails.
std::optional<bytes> random_bytes(std::size_t count);

bytes sha256(byte_view data);
// SHA-512 of the concatenation of `a` and `b` (mosquitto_passwd's $6$: password then salt).
bytes sha512(byte_view a, byte_view b);
bytes hmac_sha256(byte_view key, byte_view data);

enum class digest : std::uint8_t { sha256, sha512 };
// PBKDF2-HMAC with `length` output bytes.
bytes pbkdf2(digest d, std::string_view password, byte_view salt, std::uint32_t iterations, std::size_t length);

// Constant-time comparison (false for different sizes).
bool equal(byte_view a, byte_view b);

}  // namespace postcard::native::crypto
