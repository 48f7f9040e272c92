#pragma once
// Hooks the host implements (all optional, all synchronous): authentication, the v5 enhanced
// authentication exchange, and authorization. The defaults allow everything and know no AUTH method.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/reason_codes.hpp"
#include "codec/types.hpp"

namespace postcard::broker {

using connection_id = std::uint32_t;

// What the host knows about a transport connection, given to open().
struct connection_info {
  std::string remote_address;  // "203.0.113.7:51234", "[::1]:1883", "sim:device-3"
  std::string listener;        // listener name, e.g. "tcp", "tls", "ws"
  std::string tls_identity;    // client certificate subject, empty without one
};

// Who is asking (for ACL patterns such as %c and %u).
struct client_info {
  connection_id conn = 0;
  std::string_view client_id;
  std::optional<std::string_view> username;
  std::string_view tls_identity;
  const connection_info* info = nullptr;
  protocol_version version = protocol_version::v5;
};

struct auth_request {
  client_info client;
  std::optional<std::string_view> username;
  std::optional<bytes_view> password;
};

// One step of enhanced authentication (v5 AUTH, section 4.12).
struct auth_step {
  enum class status : std::uint8_t { continue_auth, success, failure };
  status result = status::failure;
  std::vector<std::uint8_t> data;                   // Authentication Data to send back (may be empty)
  reason_code failure = reason_code::not_authorized;  // CONNACK / DISCONNECT reason on failure
};

class hooks {
 public:
  virtual ~hooks() = default;
  // Username/password and certificate identity. Called for every CONNECT without an Authentication
  // Method (and after a successful enhanced exchange, with the data of the CONNECT).
  // Return success, or the CONNACK reason (0x86 bad user name or password, 0x87 not authorized, 0x8A banned ...).
  virtual reason_code authenticate(const auth_request&) { return reason_code::success; }

  // Enhanced authentication: start with the CONNECT's (or a re-authenticating AUTH's) method and data,
  // then continue with each AUTH from the client. An unknown method must return failure with
  // bad_authentication_method (0x8C), which is the default.
  virtual auth_step auth_start(const client_info&, std::string_view /*method*/, bytes_view /*data*/) {
    return {auth_step::status::failure, {}, reason_code::bad_authentication_method};
  }
  virtual auth_step auth_continue(const client_info&, std::string_view /*method*/, bytes_view /*data*/) {
    return {auth_step::status::failure, {}, reason_code::not_authorized};
  }

  // Authorization: success, or the reason (0x87 not authorized). A refused PUBLISH is acknowledged with
  // that reason (v5) and not routed; a refused SUBSCRIBE filter gets it in the SUBACK.
  virtual reason_code authorize_publish(const client_info&, std::string_view /*topic*/, std::uint8_t /*qos*/,
                                        bool /*retain*/) {
    return reason_code::success;
  }
  virtual reason_code authorize_subscribe(const client_info&, std::string_view /*filter*/, std::uint8_t /*qos*/) {
    return reason_code::success;
  }
  // Called for each delivery only when checks_delivery() is true (read once by set_hooks()).
  virtual bool authorize_delivery(const client_info&, std::string_view /*topic*/, std::uint8_t /*qos*/) {
    return true;
  }
  virtual bool checks_delivery() const { return false; }
};

}  // namespace postcard::broker
