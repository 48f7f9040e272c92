#include "security/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cassert>
#include <limits>

namespace postcard::native::crypto {

std::optional<bytes> random_bytes(std::size_t count) {
  bytes out(count);
  if (count > static_cast<std::size_t>(std::numeric_limits<int>::max())) return std::nullopt;
  if (count > 0 && RAND_bytes(out.data(), static_cast<int>(count)) != 1) return std::nullopt;
  return out;
}

bytes sha256(byte_view data) {
  bytes out(32);
  unsigned int length = 0;
  const int rc = EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr);
  assert(rc == 1 && length == 32);
  (void)rc;
  return out;
}

bytes sha512(byte_view a, byte_view b) {
  bytes out(64);
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  assert(ctx != nullptr);
  const bool done = EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) == 1 &&
                    EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
                    EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
                    EVP_DigestFinal_ex(ctx, out.data(), &length) == 1;
  EVP_MD_CTX_free(ctx);
  assert(done && length == 64);
  (void)done;
  return out;
}

bytes hmac_sha256(byte_view key, byte_view data) {
  bytes out(32);
  unsigned int length = 0;
  const unsigned char* rc = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
                                 out.data(), &length);
  assert(rc != nullptr && length == 32);
  (void)rc;
  return out;
}

bytes pbkdf2(digest d, std::string_view password, byte_view salt, std::uint32_t iterations, std::size_t length) {
  bytes out(length);
  const EVP_MD* md = d == digest::sha256 ? EVP_sha256() : EVP_sha512();
  assert(iterations > 0 && iterations <= static_cast<std::uint32_t>(std::numeric_limits<int>::max()));
  const int rc = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                                   static_cast<int>(salt.size()), static_cast<int>(iterations), md,
                                   static_cast<int>(length), out.data());
  assert(rc == 1);
  (void)rc;
  return out;
}

bool equal(byte_view a, byte_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace postcard::native::crypto
