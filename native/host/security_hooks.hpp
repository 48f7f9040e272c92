#pragma once
// The native broker's authentication and authorization, as Mosquitto 2.0 does them, behind the engine's
// hooks: allow_anonymous, password_file, acl_file, use_identity_as_username and SCRAM-SHA-256 enhanced
// authentication; global or per listener (per_listener_settings). load() (start-up and SIGHUP) reads every
// file; on failure the previous files stay in force.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/hooks.hpp"
#include "config/broker_config.hpp"

namespace postcard::native {

class security_hooks final : public broker::hooks {
 public:
  explicit security_hooks(const broker_config& cfg);
  ~security_hooks() override;

  std::string load();
  // Lines of the password files that the last load() skipped, as "file:line: reason".
  const std::vector<std::string>& warnings() const { return warnings_; }

  reason_code authenticate(const broker::auth_request& request) override;
  broker::auth_step auth_start(const broker::client_info& client, std::string_view method, bytes_view data) override;
  broker::auth_step auth_continue(const broker::client_info& client, std::string_view method, bytes_view data) override;
  reason_code authorize_publish(const broker::client_info& client, std::string_view topic, std::uint8_t qos,
                                bool retain) override;
  reason_code authorize_subscribe(const broker::client_info& client, std::string_view filter, std::uint8_t qos) override;
  bool authorize_delivery(const broker::client_info& client, std::string_view topic, std::uint8_t qos) override;
  bool checks_delivery() const override;

  struct listener_security;
  struct scram_session;

 private:
  const listener_security* security_of(const broker::client_info& client) const;
  // The username ACL rules see (the certificate identity or SCRAM user when one authenticated the
  // connection); nullopt for none or an empty one. A view: nothing is copied per check.
  std::optional<std::string_view> username_of(const broker::client_info& client) const;

  const broker_config& cfg_;
  std::vector<std::unique_ptr<listener_security>> listeners_;  // one per listener (shared when global)
  std::unordered_map<std::string, std::size_t> listener_index_;  // listener name -> index
  // The username a connection authenticated as (its certificate identity with use_identity_as_username).
  std::unordered_map<broker::connection_id, std::string> usernames_;
  std::vector<std::string> warnings_;
  // SCRAM-SHA-256 exchanges in progress (or just finished, until authenticate()).
  std::unordered_map<broker::connection_id, std::unique_ptr<scram_session>> scram_sessions_;
};

}  // namespace postcard::native
