// AUTH: enhanced authentication (v5 section 4.12) and re-authentication.
//
// Theory of operation
//   During CONNECT (phase authenticating): each AUTH 0x18 from the client goes to hooks::auth_continue;
//   continue -> AUTH 0x18 back, success -> finish_connect (CONNACK carries the final data), failure ->
//   CONNACK with the hook's reason. The CONNECT bytes are held until then and decoded again.
//   While connected: AUTH 0x19 with the same method restarts the exchange through hooks::auth_start;
//   continue -> AUTH 0x18, success -> AUTH 0x00, failure -> DISCONNECT with the reason [MQTT-4.12.1-2].
#include "broker/state.hpp"

namespace postcard::broker {

void engine::impl::on_auth(connection& c, const auth_packet& p) {
  // [MQTT-3.15.2-1] the method must be the one of CONNECT; AUTH without enhanced auth is a protocol error
  if (c.auth_method.empty() || !p.props.authentication_method || *p.props.authentication_method != c.auth_method) {
    return fail(c, engine_error::auth_method_mismatch);
  }
  const bytes_view data = p.props.authentication_data.value_or(bytes_view{});
  auth_step step;
  if (c.ph == phase::authenticating) {
    if (p.reason != reason_code::continue_authentication) return fail(c, engine_error::auth_bad_reason);
    connect_packet cp;
    const bytes_view held{c.pending_connect.data() + 1, c.pending_connect.size() - 1};
    (void)decode_connect(c.pending_connect[0], held, cp);  // decoded successfully before
    step = hk->auth_continue(pre_connect_info(c, cp.client_id), c.auth_method, data);
    if (step.result == auth_step::status::failure) return refuse_connect(c, step.failure);
    if (step.result == auth_step::status::success) {
      std::vector<std::uint8_t> held_copy = std::move(c.pending_connect);  // cp views point into it
      return finish_connect(c, cp, &step.data);
    }
  } else {
    if (p.reason == reason_code::re_authenticate) {
      step = hk->auth_start(c.who(), c.auth_method, data);
    } else if (p.reason == reason_code::continue_authentication) {
      step = hk->auth_continue(c.who(), c.auth_method, data);
    } else {
      return fail(c, engine_error::auth_bad_reason);
    }
    if (step.result == auth_step::status::failure) {
      return close_connection(c, disconnect_cause::auth_failed, step.failure, true);
    }
  }
  auth_packet a;
  a.reason = step.result == auth_step::status::success ? reason_code::success : reason_code::continue_authentication;
  a.props.authentication_method = c.auth_method;
  if (!step.data.empty()) a.props.authentication_data = bytes_view{step.data.data(), step.data.size()};
  send_packet(c, packet{std::move(a)});
}

}  // namespace postcard::broker
