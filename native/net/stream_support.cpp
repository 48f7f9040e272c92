#include "net/stream_support.hpp"

#include <openssl/x509.h>

namespace postcard::native {

namespace ssl = boost::asio::ssl;
using error_code = boost::system::error_code;

std::string make_tls_context(const listener_settings& s, std::unique_ptr<ssl::context>& out) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  // TLS 1.2 or newer only.
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  // OpenSSL frees a connection's record buffers (tens of KiB) while it has nothing to read or write
  SSL_CTX_set_mode(ctx->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  const auto& t = s.tls_options;
  if (t.tls_version == "tlsv1.3") SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_3_VERSION);
  else if (t.tls_version == "tlsv1.2") SSL_CTX_set_max_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  error_code ec;
  const std::string where = "listener " + s.name + ": ";
  ctx->use_certificate_chain_file(t.certfile, ec);
  if (ec) return where + "cannot load certfile " + t.certfile + ": " + ec.message();
  ctx->use_private_key_file(t.keyfile, ssl::context::pem, ec);
  if (ec) return where + "cannot load keyfile " + t.keyfile + ": " + ec.message();
  if (!t.ciphers.empty() && SSL_CTX_set_cipher_list(ctx->native_handle(), t.ciphers.c_str()) != 1)
    return where + "no usable cipher in '" + t.ciphers + "'";
  if (!t.cafile.empty()) {
    ctx->load_verify_file(t.cafile, ec);
    if (ec) return where + "cannot load cafile " + t.cafile + ": " + ec.message();
  }
  if (!t.capath.empty()) {
    ctx->add_verify_path(t.capath, ec);
    if (ec) return where + "cannot use capath " + t.capath + ": " + ec.message();
  }
  if (t.require_certificate) ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  else if (!t.cafile.empty() || !t.capath.empty()) ctx->set_verify_mode(ssl::verify_peer);
  out = std::move(ctx);
  return {};
}

std::string common_name_of_peer(SSL* ssl_handle) {
  X509* cert = SSL_get1_peer_certificate(ssl_handle);
  if (!cert) return {};
  char cn[256] = {0};
  int len = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  X509_free(cert);
  return len > 0 ? std::string(cn, static_cast<std::size_t>(len)) : std::string();
}

bool offers_subprotocol(std::string_view header, std::string_view name) {
  for (std::size_t pos = 0; pos <= header.size();) {
    auto end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    auto item = header.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == name) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace postcard::native
