// Reason code names (spec 2.4, table 2-6), which reason codes each packet type allows (3.2.2.2,
// 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1), and the 3.x CONNACK mapping.
#include <algorithm>
#include <array>
#include <initializer_list>

#include "codec/reason_codes.hpp"

namespace postcard {
namespace {

constexpr std::uint8_t connect = 1, connack = 2, puback = 4, pubrec = 5, pubrel = 6, pubcomp = 7, suback = 9,
                       unsuback = 11, disconnect = 14, auth = 15;

bool among(std::uint8_t code, std::initializer_list<std::uint8_t> allowed) {
  return std::find(allowed.begin(), allowed.end(), code) != allowed.end();
}

}  // namespace

std::string_view to_string(reason_code code, std::uint8_t packet_type_value) {
  switch (static_cast<std::uint8_t>(code)) {
    case 0x00:
      if (packet_type_value == disconnect) return "Normal disconnection";
      if (packet_type_value == suback) return "Granted QoS 0";
      return "Success";
    case 0x01: return "Granted QoS 1";
    case 0x02: return "Granted QoS 2";
    case 0x04: return "Disconnect with Will Message";
    case 0x10: return "No matching subscribers";
    case 0x11: return "No subscription existed";
    case 0x18: return "Continue authentication";
    case 0x19: return "Re-authenticate";
    case 0x80: return "Unspecified error";
    case 0x81: return "Malformed Packet";
    case 0x82: return "Protocol Error";
    case 0x83: return "Implementation specific error";
    case 0x84: return "Unsupported Protocol Version";
    case 0x85: return "Client Identifier not valid";
    case 0x86: return "Bad User Name or Password";
    case 0x87: return "Not authorized";
    case 0x88: return "Server unavailable";
    case 0x89: return "Server busy";
    case 0x8A: return "Banned";
    case 0x8B: return "Server shutting down";
    case 0x8C: return "Bad authentication method";
    case 0x8D: return "Keep Alive timeout";
    case 0x8E: return "Session taken over";
    case 0x8F: return "Topic Filter invalid";
    case 0x90: return "Topic Name invalid";
    case 0x91: return "Packet Identifier in use";
    case 0x92: return "Packet Identifier not found";
    case 0x93: return "Receive Maximum exceeded";
    case 0x94: return "Topic Alias invalid";
    case 0x95: return "Packet too large";
    case 0x96: return "Message rate too high";
    case 0x97: return "Quota exceeded";
    case 0x98: return "Administrative action";
    case 0x99: return "Payload format invalid";
    case 0x9A: return "Retain not supported";
    case 0x9B: return "QoS not supported";
    case 0x9C: return "Use another server";
    case 0x9D: return "Server moved";
    case 0x9E: return "Shared Subscriptions not supported";
    case 0x9F: return "Connection rate exceeded";
    case 0xA0: return "Maximum connect time";
    case 0xA1: return "Subscription Identifiers not supported";
    case 0xA2: return "Wildcard Subscriptions not supported";
    default: return "Unknown reason code";
  }
}

std::string_view to_string(connect_return_code code) {
  switch (code) {
    case connect_return_code::accepted: return "Connection Accepted";
    case connect_return_code::unacceptable_protocol_version: return "unacceptable protocol version";
    case connect_return_code::identifier_rejected: return "identifier rejected";
    case connect_return_code::server_unavailable: return "Server unavailable";
    case connect_return_code::bad_user_name_or_password: return "bad user name or password";
    case connect_return_code::not_authorized: return "not authorized";
  }
  return "Unknown return code";
}

connect_return_code to_connect_return_code(reason_code code) {
  switch (code) {
    case reason_code::success: return connect_return_code::accepted;
    case reason_code::unsupported_protocol_version: return connect_return_code::unacceptable_protocol_version;
    case reason_code::client_identifier_not_valid: return connect_return_code::identifier_rejected;
    case reason_code::bad_user_name_or_password: return connect_return_code::bad_user_name_or_password;
    case reason_code::not_authorized:
    case reason_code::banned:
    case reason_code::bad_authentication_method: return connect_return_code::not_authorized;
    default: return connect_return_code::server_unavailable;  // 0x80, 0x88, 0x89, 0x97, 0x9F, ...
  }
}

bool is_valid_reason_code(std::uint8_t packet_type_value, std::uint8_t code) {
  switch (packet_type_value) {
    case connack:  // 3.2.2.2
      return among(code, {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90,
                          0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F});
    case puback:  // 3.4.2.1
    case pubrec:  // 3.5.2.1
      return among(code, {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99});
    case pubrel:   // 3.6.2.1
    case pubcomp:  // 3.7.2.1
      return code == 0x00 || code == 0x92;
    case suback:  // 3.9.3
      return among(code, {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2});
    case unsuback:  // 3.11.3
      return among(code, {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91});
    case disconnect:  // 3.14.2.1
      return among(code, {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93,
                          0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1,
                          0xA2});
    case auth:  // 3.15.2.1
      return code == 0x00 || code == 0x18 || code == 0x19;
    case connect:
    default: return false;  // packets without a reason code
  }
}

}  // namespace postcard
