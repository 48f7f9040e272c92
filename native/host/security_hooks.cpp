#include "host/security_hooks.hpp"

#include <algorithm>

#include "host/broker_host.hpp"
#include "security/acl_file.hpp"
#include "security/password_file.hpp"
#include "security/scram.hpp"
#include "security/scram_file.hpp"

namespace postcard::native {

struct security_hooks::listener_security {
  security_options options;
  bool use_identity_as_username = false;
  std::optional<password_file> passwords;
  std::optional<acl_file> acl;
  std::optional<scram_file> scram;
};

struct security_hooks::scram_session {
  std::unique_ptr<scram_sha256_server> server;
  bool succeeded = false;
};

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace

security_hooks::security_hooks(const broker_config& cfg) : cfg_(cfg) {
  for (std::size_t i = 0; i < cfg.listeners.size(); ++i) listener_index_[describe_listener(cfg.listeners[i])] = i;
}

security_hooks::~security_hooks() = default;

std::string security_hooks::load() {
  std::vector<std::unique_ptr<listener_security>> fresh;
  std::vector<std::string> warnings;
  for (const auto& l : cfg_.listeners) {
    auto s = std::make_unique<listener_security>();
    s->options = l.security;
    s->use_identity_as_username = l.tls.use_identity_as_username;
    if (!s->options.password_file.empty()) {
      auto loaded = password_file::load(s->options.password_file);
      if (!loaded) return loaded.error_message();
      s->passwords = std::move(loaded.value());
      for (const auto& w : s->passwords->warnings())
        if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
    }
    if (!s->options.acl_file.empty()) {
      auto loaded = acl_file::load(s->options.acl_file);
      if (!loaded) return loaded.error_message();
      s->acl = std::move(loaded.value());
      s->acl->set_subscribe_check(s->options.acl_subscribe_check);
    }
    if (!s->options.scram_file.empty()) {
      auto loaded = scram_file::load(s->options.scram_file);
      if (!loaded) return loaded.error_message();
      s->scram = std::move(loaded.value());
    }
    fresh.push_back(std::move(s));
  }
  listeners_ = std::move(fresh);
  warnings_ = std::move(warnings);
  return {};
}

const security_hooks::listener_security* security_hooks::security_of(const broker::client_info& client) const {
  if (!client.info) return nullptr;
  auto it = listener_index_.find(client.info->listener);
  return it == listener_index_.end() || it->second >= listeners_.size() ? nullptr : listeners_[it->second].get();
}

std::optional<std::string_view> security_hooks::username_of(const broker::client_info& client) const {
  auto it = usernames_.find(client.conn);
  std::string_view user = it != usernames_.end() ? std::string_view(it->second)
                          : client.username  ? *client.username
                                             : std::string_view{};
  if (user.empty()) return std::nullopt;
  return user;
}

reason_code security_hooks::authenticate(const broker::auth_request& request) {
  const auto* s = security_of(request.client);
  usernames_.erase(request.client.conn);
  if (!s) return reason_code::not_authorized;
  if (auto it = scram_sessions_.find(request.client.conn); it != scram_sessions_.end()) {
    bool succeeded = it->second->succeeded;
    if (succeeded) usernames_[request.client.conn] = it->second->server->username();
    scram_sessions_.erase(it);
    return succeeded ? reason_code::success : reason_code::not_authorized;
  }
  if (s->use_identity_as_username) {
    // The certificate's CN is the username; a password is not checked [Mosquitto use_identity_as_username].
    if (request.client.tls_identity.empty()) return reason_code::not_authorized;
    usernames_[request.client.conn] = std::string(request.client.tls_identity);
    return reason_code::success;
  }
  if (!request.username) return s->options.allow_anonymous ? reason_code::success : reason_code::not_authorized;
  if (!s->passwords) return reason_code::success;  // Mosquitto 2.0: no password_file, any username passes
  std::string_view password = request.password ? as_chars(*request.password) : std::string_view{};
  if (!request.password || !s->passwords->check(*request.username, password))
    return reason_code::bad_user_name_or_password;
  return reason_code::success;
}

broker::auth_step security_hooks::auth_start(const broker::client_info& client, std::string_view method,
                                             bytes_view data) {
  const auto* s = security_of(client);
  if (!s || !s->scram || method != scram_sha256_server::mechanism)
    return {broker::auth_step::status::failure, {}, reason_code::bad_authentication_method};
  const scram_file* credentials = &*s->scram;
  auto& session = scram_sessions_[client.conn];
  session = std::make_unique<scram_session>();
  session->server = std::make_unique<scram_sha256_server>(
      [credentials](std::string_view user) { return credentials->find(user); });
  auto step = session->server->client_first(as_chars(data));
  if (!step.ok) return {broker::auth_step::status::failure, bytes_of(step.message), reason_code::not_authorized};
  return {broker::auth_step::status::continue_auth, bytes_of(step.message), reason_code::success};
}

broker::auth_step security_hooks::auth_continue(const broker::client_info& client, std::string_view method,
                                                bytes_view data) {
  auto it = scram_sessions_.find(client.conn);
  if (it == scram_sessions_.end() || method != scram_sha256_server::mechanism)
    return {broker::auth_step::status::failure, {}, reason_code::not_authorized};
  auto step = it->second->server->client_final(as_chars(data));
  if (!step.ok) {
    scram_sessions_.erase(it);
    return {broker::auth_step::status::failure, bytes_of(step.message), reason_code::not_authorized};
  }
  it->second->succeeded = true;
  usernames_[client.conn] = it->second->server->username();
  return {broker::auth_step::status::success, bytes_of(step.message), reason_code::success};
}

reason_code security_hooks::authorize_publish(const broker::client_info& client, std::string_view topic,
                                              std::uint8_t, bool) {
  const auto* s = security_of(client);
  if (s && s->acl) {
    const auto username = username_of(client);
    return s->acl->allows(client.client_id, username, topic, acl_access::write) ? reason_code::success
                                                                               : reason_code::not_authorized;
  }
  return reserved_topic_access(topic, acl_access::write) == acl_decision::denied ? reason_code::not_authorized
                                                                                 : reason_code::success;
}

reason_code security_hooks::authorize_subscribe(const broker::client_info& client, std::string_view filter,
                                                std::uint8_t) {
  const auto* s = security_of(client);
  if (s && s->acl) {
    const auto username = username_of(client);
    return s->acl->allows(client.client_id, username, filter, acl_access::subscribe) ? reason_code::success
                                                                                    : reason_code::not_authorized;
  }
  return reason_code::success;
}

bool security_hooks::authorize_delivery(const broker::client_info& client, std::string_view topic, std::uint8_t) {
  const auto* s = security_of(client);
  if (!s || !s->acl) return true;
  const auto username = username_of(client);
  return s->acl->allows(client.client_id, username, topic, acl_access::read);
}

bool security_hooks::checks_delivery() const {
  for (const auto& l : cfg_.listeners)
    if (!l.security.acl_file.empty()) return true;
  return false;
}

}  // namespace postcard::native
