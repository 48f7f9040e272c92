#pragma once
// Helpers of the network layer that need no Beast: TLS contexts, the peer certificate's common name,
// the WebSocket subprotocol offer. Kept out of network.cpp, the one (slow to compile) Beast unit.
#include <memory>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

#include "net/network.hpp"

namespace postcard::native {

// A server TLS context for the listener (TLS 1.2 or newer); "" or an error naming the listener.
std::string make_tls_context(const listener_settings& s, std::unique_ptr<boost::asio::ssl::context>& out);
// The subject CN of the verified peer certificate, "" without one.
std::string common_name_of_peer(SSL* ssl_handle);
// Whether a Sec-WebSocket-Protocol header value ("a, b, mqtt") offers `name`.
bool offers_subprotocol(std::string_view header, std::string_view name);

}  // namespace postcard::native
