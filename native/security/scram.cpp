#include "security/scram.hpp"

#include "security/base64.hpp"
#include "security/crypto.hpp"

namespace postcard::native {
namespace {

using crypto::as_bytes;

// "n=user,r=nonce,..." -> the value of attribute `name` (a single letter), from its position on.
struct attributes {
  std::vector<std::pair<char, std::string_view>> items;
  std::optional<std::string_view> get(char name) const {
    for (const auto& [n, v] : items) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
};

// Splits "a=1,b=2" into attributes; nullopt when a part is not "letter=value".
std::optional<attributes> split_attributes(std::string_view text) {
  attributes out;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    if (part.size() < 2 || part[1] != '=' || !((part[0] >= 'a' && part[0] <= 'z') || (part[0] >= 'A' && part[0] <= 'Z'))) {
      return std::nullopt;
    }
    out.items.emplace_back(part[0], part.substr(2));
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

// saslname: "=2C" is ',' and "=3D" is '='; any other '=' is malformed (RFC 5802 section 5.1).
std::optional<std::string> decode_saslname(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '=') {
      out += name[i];
      continue;
    }
    const std::string_view escape = name.substr(i, 3);
    if (escape == "=2C") out += ',';
    else if (escape == "=3D") out += '=';
    else return std::nullopt;
    i += 2;
  }
  return out;
}

bool printable_nonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;  // printable ASCII except ',' (RFC 5802 7)
  }
  return true;
}

crypto::bytes key_of(const crypto::bytes& salted, std::string_view label) {
  return crypto::hmac_sha256(salted, as_bytes(label));
}

}  // namespace

scram_credentials derive_scram_credentials(std::string_view password, std::vector<std::uint8_t> salt,
                                           std::uint32_t iterations) {
  // SaltedPassword = Hi(Normalize(password), salt, i), Hi being PBKDF2 with HMAC-SHA-256 [RFC 5802 section 3,
  // RFC 7677 section 3]; ClientKey, StoredKey and ServerKey as defined there.
  const crypto::bytes salted = crypto::pbkdf2(crypto::digest::sha256, password, salt, iterations, 32);
  scram_credentials c;
  c.salt = std::move(salt);
  c.iterations = iterations;
  c.stored_key = crypto::sha256(key_of(salted, "Client Key"));
  c.server_key = key_of(salted, "Server Key");
  return c;
}

result<scram_credentials> make_scram_credentials(std::string_view password, std::uint32_t iterations) {
  if (iterations == 0 || iterations > 0x7FFFFFFF) return error{"invalid SCRAM iteration count"};
  std::optional<crypto::bytes> salt = crypto::random_bytes(scram_salt_length);
  if (!salt) return error{"the random number generator failed"};
  return derive_scram_credentials(password, std::move(*salt), iterations);
}

scram_sha256_server::scram_sha256_server(lookup_fn lookup, std::string server_nonce)
    : lookup_(std::move(lookup)), server_nonce_(std::move(server_nonce)) {}

scram_sha256_server::step scram_sha256_server::fail(std::string reason, std::string message) {
  state_ = state::failed;
  return step{false, std::move(message), std::move(reason)};
}

scram_sha256_server::step scram_sha256_server::client_first(std::string_view message) {
  if (state_ != state::initial) return fail("client-first-message out of order");
  // gs2-header = gs2-cbind-flag "," [ authzid ] ","  [RFC 5802 section 7]
  if (message.starts_with("p=")) return fail("channel binding is not supported", "e=channel-binding-not-supported");
  if (!message.starts_with("n,") && !message.starts_with("y,")) return fail("malformed GS2 header");
  const std::size_t second_comma = message.find(',', 2);
  if (second_comma == std::string_view::npos) return fail("malformed GS2 header");
  const std::string_view authzid = message.substr(2, second_comma - 2);
  gs2_header_ = std::string(message.substr(0, second_comma + 1));
  client_first_bare_ = std::string(message.substr(second_comma + 1));
  std::optional<attributes> a = split_attributes(client_first_bare_);
  if (!a || a->items.size() < 2 || a->items[0].first != 'n' || a->items[1].first != 'r') {
    return fail("malformed client-first-message");
  }
  // "m=" is reserved for mandatory extensions: fail if present [RFC 5802 section 5.1]
  if (a->get('m')) return fail("unsupported mandatory extension", "e=extensions-not-supported");
  std::optional<std::string> name = decode_saslname(a->items[0].second);
  if (!name || name->empty()) return fail("malformed user name", "e=invalid-username-encoding");
  if (!authzid.empty() && authzid != "a=" + *name) return fail("authorization identity not supported", "e=other-error");
  const std::string_view client_nonce = a->items[1].second;
  if (!printable_nonce(client_nonce)) return fail("malformed client nonce");
  username_ = std::move(*name);

  if (std::optional<scram_credentials> found = lookup_ ? lookup_(username_) : std::nullopt) {
    credentials_ = std::move(*found);
    known_user_ = true;
  } else {
    // Made-up but stable per user within this process, so repeated probes look alike.
    static const std::optional<crypto::bytes> secret = crypto::random_bytes(32);
    const crypto::bytes mac = crypto::hmac_sha256(secret ? *secret : crypto::bytes(32, 0), as_bytes(username_));
    credentials_ = scram_credentials{{mac.begin(), mac.begin() + scram_salt_length}, scram_default_iterations, {}, {}};
    known_user_ = false;
  }
  if (server_nonce_.empty()) {
    std::optional<crypto::bytes> random = crypto::random_bytes(18);
    if (!random) return fail("the random number generator failed", "e=other-error");
    server_nonce_ = base64_encode(*random);
  }
  // The server appends its own nonce to the client's [RFC 5802 section 5.1, "r="]
  nonce_ = std::string(client_nonce) + server_nonce_;
  server_first_ = "r=" + nonce_ + ",s=" + base64_encode(credentials_.salt) + ",i=" +
                  std::to_string(credentials_.iterations);
  state_ = state::server_first_sent;
  return step{true, server_first_, {}};
}

scram_sha256_server::step scram_sha256_server::client_final(std::string_view message) {
  if (state_ != state::server_first_sent) return fail("client-final-message out of order");
  // client-final-message-without-proof "," "p=" proof; the proof is always last.
  const std::size_t proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) return fail("client-final-message without proof", "e=other-error");
  const std::string_view without_proof = message.substr(0, proof_at);
  std::optional<attributes> a = split_attributes(without_proof);
  if (!a || a->items.size() < 2 || a->items[0].first != 'c' || a->items[1].first != 'r') {
    return fail("malformed client-final-message", "e=other-error");
  }
  // "c=" carries the base64 of the GS2 header when no channel binding is used [RFC 5802 section 5.1]
  std::optional<std::vector<std::uint8_t>> binding = base64_decode(a->items[0].second);
  if (!binding || std::string(binding->begin(), binding->end()) != gs2_header_) {
    return fail("channel binding data does not match the GS2 header", "e=channel-bindings-dont-match");
  }
  if (a->items[1].second != nonce_) return fail("nonce mismatch", "e=other-error");  // [RFC 5802 section 5.1]
  std::optional<std::vector<std::uint8_t>> proof = base64_decode(message.substr(proof_at + 3));
  if (!proof || proof->size() != 32) return fail("malformed client proof", "e=invalid-proof");

  // AuthMessage = client-first-message-bare "," server-first-message "," client-final-message-without-proof
  // [RFC 5802 section 3]
  const std::string auth_message = client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  if (!known_user_) return fail("unknown user '" + username_ + "'", "e=invalid-proof");
  // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); the proof holds iff H(ClientKey) = StoredKey.
  crypto::bytes client_key = crypto::hmac_sha256(credentials_.stored_key, as_bytes(auth_message));
  for (std::size_t i = 0; i < client_key.size(); ++i) client_key[i] ^= (*proof)[i];
  if (!crypto::equal(crypto::sha256(client_key), credentials_.stored_key)) {
    return fail("wrong password for user '" + username_ + "'", "e=invalid-proof");
  }
  state_ = state::succeeded;
  // ServerSignature = HMAC(ServerKey, AuthMessage), sent as "v=" [RFC 5802 section 3]
  const crypto::bytes server_signature = crypto::hmac_sha256(credentials_.server_key, as_bytes(auth_message));
  return step{true, "v=" + base64_encode(server_signature), {}};
}

}  // namespace postcard::native
