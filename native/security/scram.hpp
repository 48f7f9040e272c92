#pragma once
// SCRAM-SHA-256 (RFC 5802, RFC 7677), server side, for MQTT v5 enhanced authentication
// (Authentication Method "SCRAM-SHA-256"; each message is the Authentication Data of CONNECT / AUTH).
//
// Theory of operation:
//   initial --client_first(client-first-message)--> server_first_sent   returns server-first-message
//   server_first_sent --client_final(client-final-message)--> succeeded returns server-final-message
//   any error --> failed (terminal); the step carries the reason and, where RFC 5802 defines one,
//   a server-final-message "e=..." to send with the refusal.
// The server never learns the password: it holds StoredKey and ServerKey (scram_credentials). For
// an unknown user it carries on with a made-up salt and fails at the proof, like a wrong password,
// so the exchange does not reveal which users exist. Channel binding is not offered ("n" or "y"
// GS2 flags only) and usernames are compared as given (no SASLprep).
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/result.hpp"

namespace postcard::native {

struct scram_credentials {
  std::vector<std::uint8_t> salt;
  std::uint32_t iterations = 4096;
  std::vector<std::uint8_t> stored_key;  // H(HMAC(SaltedPassword, "Client Key")), 32 bytes
  std::vector<std::uint8_t> server_key;  // HMAC(SaltedPassword, "Server Key"), 32 bytes
};

inline constexpr std::uint32_t scram_default_iterations = 4096;  // RFC 7677's minimum recommendation
inline constexpr std::size_t scram_salt_length = 16;

// Credentials for `password` with the given salt (deterministic; for tests and the RFC vector).
scram_credentials derive_scram_credentials(std::string_view password, std::vector<std::uint8_t> salt,
                                           std::uint32_t iterations);
// The same with a fresh random salt.
result<scram_credentials> make_scram_credentials(std::string_view password,
                                                 std::uint32_t iterations = scram_default_iterations);

class scram_sha256_server {
 public:
  enum class state : std::uint8_t { initial, server_first_sent, succeeded, failed };
  struct step {
    bool ok = false;
    std::string message;  // to send to the client (server-first, server-final, or "e=..." on failure)
    std::string reason;   // why it failed, for the log
  };
  using lookup_fn = std::function<std::optional<scram_credentials>(std::string_view username)>;

  // `server_nonce`: empty for a random one (tests pass RFC 7677's).
  explicit scram_sha256_server(lookup_fn lookup, std::string server_nonce = {});

  step client_first(std::string_view message);
  step client_final(std::string_view message);

  state current() const { return state_; }
  const std::string& username() const { return username_; }  // after client_first

  static constexpr std::string_view mechanism = "SCRAM-SHA-256";

 private:
  step fail(std::string reason, std::string message = {});

  lookup_fn lookup_;
  std::string server_nonce_;
  state state_ = state::initial;
  std::string username_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
  scram_credentials credentials_;
  bool known_user_ = false;
};

}  // namespace postcard::native
