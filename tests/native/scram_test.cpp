// SCRAM-SHA-256 server: the RFC 7677 test vector, full exchanges, failures, and the credential file.
#include <gtest/gtest.h>

#include "security/base64.hpp"
#include "security/crypto.hpp"
#include "security/scram.hpp"
#include "security/scram_file.hpp"

namespace postcard::native {
namespace {

// RFC 7677 section 3.
constexpr const char* rfc_client_first = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr const char* rfc_server_nonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr const char* rfc_server_first =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr const char* rfc_client_final =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr const char* rfc_server_final = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

scram_credentials rfc_credentials() {
  return derive_scram_credentials("pencil", *base64_decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
}

scram_sha256_server::lookup_fn only(std::string user, scram_credentials c) {
  return [user, c](std::string_view name) -> std::optional<scram_credentials> {
    if (name == user) return c;
    return std::nullopt;
  };
}

// The client side of RFC 5802, to drive full exchanges.
std::string client_final_for(std::string_view password, std::string_view client_first_bare,
                             std::string_view server_first, std::string_view channel_binding = "biws") {
  std::string nonce, salt_b64;
  std::uint32_t iterations = 0;
  std::string_view rest = server_first;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    if (part.starts_with("r=")) nonce = std::string(part.substr(2));
    if (part.starts_with("s=")) salt_b64 = std::string(part.substr(2));
    if (part.starts_with("i=")) iterations = static_cast<std::uint32_t>(std::stoul(std::string(part.substr(2))));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  const crypto::bytes salted = crypto::pbkdf2(crypto::digest::sha256, password, *base64_decode(salt_b64), iterations, 32);
  const crypto::bytes client_key = crypto::hmac_sha256(salted, crypto::as_bytes("Client Key"));
  const crypto::bytes stored_key = crypto::sha256(client_key);
  const std::string without_proof = "c=" + std::string(channel_binding) + ",r=" + nonce;
  const std::string auth_message =
      std::string(client_first_bare) + "," + std::string(server_first) + "," + without_proof;
  crypto::bytes proof = crypto::hmac_sha256(stored_key, crypto::as_bytes(auth_message));
  for (std::size_t i = 0; i < proof.size(); ++i) proof[i] ^= client_key[i];
  return without_proof + ",p=" + base64_encode(proof);
}

TEST(Scram, Rfc7677TestVector) {
  scram_sha256_server server(only("user", rfc_credentials()), rfc_server_nonce);
  EXPECT_EQ(server.current(), scram_sha256_server::state::initial);
  scram_sha256_server::step first = server.client_first(rfc_client_first);
  ASSERT_TRUE(first.ok) << first.reason;
  EXPECT_EQ(first.message, rfc_server_first);
  EXPECT_EQ(server.username(), "user");
  EXPECT_EQ(server.current(), scram_sha256_server::state::server_first_sent);
  scram_sha256_server::step final_step = server.client_final(rfc_client_final);
  ASSERT_TRUE(final_step.ok) << final_step.reason;
  EXPECT_EQ(final_step.message, rfc_server_final);
  EXPECT_EQ(server.current(), scram_sha256_server::state::succeeded);
}

TEST(Scram, OurClientSideReproducesTheRfcProof) {
  EXPECT_EQ(client_final_for("pencil", "n=user,r=rOprNGfwEbeRWgbNEkqO", rfc_server_first), rfc_client_final);
}

TEST(Scram, FullExchangeWithRandomNoncesAndSalt) {
  result<scram_credentials> c = make_scram_credentials("correct horse battery staple");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->salt.size(), scram_salt_length);
  EXPECT_EQ(c->iterations, 4096u);
  scram_sha256_server server(only("alice", c.value()));
  const std::string bare = "n=alice,r=fyko+d2lbbFgONRv9qkxdawL";
  scram_sha256_server::step first = server.client_first("n,," + bare);
  ASSERT_TRUE(first.ok) << first.reason;
  EXPECT_EQ(first.message.rfind("r=fyko+d2lbbFgONRv9qkxdawL", 0), 0u);
  EXPECT_GT(first.message.find(",s="), 26u);  // a server nonce was appended
  scram_sha256_server::step done = server.client_final(client_final_for("correct horse battery staple", bare, first.message));
  ASSERT_TRUE(done.ok) << done.reason;
  EXPECT_EQ(done.message.rfind("v=", 0), 0u);
  EXPECT_EQ(server.current(), scram_sha256_server::state::succeeded);
}

TEST(Scram, WrongPasswordFails) {
  scram_sha256_server server(only("user", rfc_credentials()));
  const std::string bare = "n=user,r=abcdefgh";
  scram_sha256_server::step first = server.client_first("n,," + bare);
  ASSERT_TRUE(first.ok);
  scram_sha256_server::step done = server.client_final(client_final_for("pencils", bare, first.message));
  EXPECT_FALSE(done.ok);
  EXPECT_EQ(done.message, "e=invalid-proof");
  EXPECT_EQ(done.reason, "wrong password for user 'user'");
  EXPECT_EQ(server.current(), scram_sha256_server::state::failed);
  EXPECT_FALSE(server.client_final(client_final_for("pencil", bare, first.message)).ok);  // no second try
}

TEST(Scram, UnknownUserLooksLikeAWrongPassword) {
  scram_sha256_server a(only("user", rfc_credentials()));
  scram_sha256_server b(only("user", rfc_credentials()));
  scram_sha256_server::step first = a.client_first("n,,n=mallory,r=nonce1");
  ASSERT_TRUE(first.ok);  // a salt and iteration count are offered as for a real user
  EXPECT_NE(first.message.find(",s="), std::string::npos);
  EXPECT_NE(first.message.find(",i=4096"), std::string::npos);
  // The made-up salt is stable for the same name.
  scram_sha256_server::step again = b.client_first("n,,n=mallory,r=nonce1");
  EXPECT_EQ(first.message.substr(first.message.find(",s=")), again.message.substr(again.message.find(",s=")));
  scram_sha256_server::step done = a.client_final(client_final_for("anything", "n=mallory,r=nonce1", first.message));
  EXPECT_FALSE(done.ok);
  EXPECT_EQ(done.message, "e=invalid-proof");
  EXPECT_EQ(done.reason, "unknown user 'mallory'");
}

TEST(Scram, SaslnameEscapes) {
  scram_sha256_server server(only("a,b=c", rfc_credentials()));
  const std::string bare = "n=a=2Cb=3Dc,r=xyz";
  scram_sha256_server::step first = server.client_first("n,," + bare);
  ASSERT_TRUE(first.ok) << first.reason;
  EXPECT_EQ(server.username(), "a,b=c");
  EXPECT_TRUE(server.client_final(client_final_for("pencil", bare, first.message)).ok);
}

TEST(Scram, ClientFirstErrors) {
  const auto reject = [](std::string_view message) {
    scram_sha256_server server(only("user", rfc_credentials()));
    scram_sha256_server::step s = server.client_first(message);
    EXPECT_FALSE(s.ok) << message;
    EXPECT_EQ(server.current(), scram_sha256_server::state::failed);
    return s.reason + "|" + s.message;
  };
  EXPECT_EQ(reject("p=tls-unique,,n=user,r=x"), "channel binding is not supported|e=channel-binding-not-supported");
  EXPECT_EQ(reject("x,,n=user,r=x"), "malformed GS2 header|");
  EXPECT_EQ(reject("n,n=user,r=x"), "malformed client-first-message|");
  EXPECT_EQ(reject("n,,r=x,n=user"), "malformed client-first-message|");
  EXPECT_EQ(reject("n,,n=user"), "malformed client-first-message|");
  EXPECT_EQ(reject("n,,n=us=er,r=x"), "malformed user name|e=invalid-username-encoding");
  EXPECT_EQ(reject("n,,n=,r=x"), "malformed user name|e=invalid-username-encoding");
  EXPECT_EQ(reject("n,,n=user,r=x,m=ext"), "unsupported mandatory extension|e=extensions-not-supported");
  EXPECT_EQ(reject("n,a=admin,n=user,r=x"), "authorization identity not supported|e=other-error");
  EXPECT_EQ(reject("n,,n=user,r=a b"), "malformed client nonce|");
  // "y" (client could bind but thinks we cannot) and an authzid equal to the user are fine.
  scram_sha256_server server(only("user", rfc_credentials()));
  EXPECT_TRUE(server.client_first("y,a=user,n=user,r=x").ok);
}

TEST(Scram, ClientFinalErrors) {
  const auto final_error = [](const std::function<std::string(const std::string& server_first)>& make) {
    scram_sha256_server server(only("user", rfc_credentials()));
    scram_sha256_server::step first = server.client_first("n,,n=user,r=cnonce");
    EXPECT_TRUE(first.ok);
    scram_sha256_server::step s = server.client_final(make(first.message));
    EXPECT_FALSE(s.ok);
    return s.reason + "|" + s.message;
  };
  const std::string bare = "n=user,r=cnonce";
  EXPECT_EQ(final_error([](const std::string&) { return std::string("c=biws,r=x"); }),
            "client-final-message without proof|e=other-error");
  EXPECT_EQ(final_error([&](const std::string& sf) { return client_final_for("pencil", bare, sf, "eSws"); }),
            "channel binding data does not match the GS2 header|e=channel-bindings-dont-match");
  EXPECT_EQ(final_error([&](const std::string& sf) {
              std::string m = client_final_for("pencil", bare, sf);
              return m.replace(m.find("cnonce"), 6, "cnoncX");
            }),
            "nonce mismatch|e=other-error");
  EXPECT_EQ(final_error([&](const std::string& sf) {
              std::string m = client_final_for("pencil", bare, sf);
              return m.substr(0, m.find(",p=")) + ",p=AAAA";
            }),
            "malformed client proof|e=invalid-proof");
  scram_sha256_server fresh(only("user", rfc_credentials()));
  EXPECT_EQ(fresh.client_final(rfc_client_final).reason, "client-final-message out of order");
}

TEST(ScramFile, RoundTripAndLookup) {
  scram_file file;
  const scram_credentials c = rfc_credentials();
  file.set("user", c);
  file.set("other", derive_scram_credentials("x", {1, 2, 3}, 10000));
  const std::string text = file.serialize();
  const std::string user_line = "user:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$" + base64_encode(c.stored_key) +
                                ":" + base64_encode(c.server_key) + "\n";
  EXPECT_EQ(text.substr(text.find('\n') + 1), user_line);  // users are written in name order: other, user
  result<scram_file> again = scram_file::parse("# made by postcard-passwd\r\n" + text, "s");
  ASSERT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(again->user_count(), 2u);
  std::optional<scram_credentials> found = again->find("user");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->stored_key, c.stored_key);
  EXPECT_EQ(found->server_key, c.server_key);
  EXPECT_EQ(again->find("other")->iterations, 10000u);
  EXPECT_FALSE(again->find("nobody").has_value());
  EXPECT_EQ(again->serialize().rfind("# made by postcard-passwd\n", 0), 0u);
  // Credentials from the file drive the RFC exchange.
  scram_sha256_server server([&](std::string_view n) { return again->find(n); }, rfc_server_nonce);
  ASSERT_TRUE(server.client_first(rfc_client_first).ok);
  EXPECT_EQ(server.client_final(rfc_client_final).message, rfc_server_final);
  EXPECT_TRUE(again->remove("user"));
  EXPECT_FALSE(again->remove("user"));
}

TEST(ScramFile, MalformedLines) {
  const auto error_of = [](std::string_view text) {
    result<scram_file> r = scram_file::parse(text, "s.scram");
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string{} : r.error_message();
  };
  const std::string key = base64_encode(crypto::bytes(32, 7));
  EXPECT_EQ(error_of("user\n"), "s.scram:1: expected username:SCRAM-SHA-256$...");
  EXPECT_EQ(error_of("\nuser:SHA-1$1:c2FsdA==$" + key + ":" + key + "\n"),
            "s.scram:2: user 'user': expected SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey");
  EXPECT_EQ(error_of("user:SCRAM-SHA-256$0:c2FsdA==$" + key + ":" + key + "\n"),
            "s.scram:1: user 'user': invalid iteration count");
  EXPECT_EQ(error_of("user:SCRAM-SHA-256$4096:***$" + key + ":" + key + "\n"),
            "s.scram:1: user 'user': invalid base64 salt");
  EXPECT_EQ(error_of("user:SCRAM-SHA-256$4096:c2FsdA==$c2FsdA==:" + key + "\n"),
            "s.scram:1: user 'user': invalid StoredKey (32 bytes in base64)");
  EXPECT_EQ(error_of("user:SCRAM-SHA-256$4096:c2FsdA==$" + key + ":c2FsdA==\n"),
            "s.scram:1: user 'user': invalid ServerKey (32 bytes in base64)");
  const std::string line = "user:SCRAM-SHA-256$4096:c2FsdA==$" + key + ":" + key + "\n";
  EXPECT_EQ(error_of(line + line), "s.scram:2: user 'user' appears twice");
  result<scram_file> missing = scram_file::load("/nonexistent/s");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error_message(), "/nonexistent/s: cannot open the SCRAM file: No such file or directory");
  EXPECT_TRUE(scram_file::load_or_empty("/nonexistent-dir-for-postcard/s").ok());
}

TEST(Base64, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(base64_encode(std::string_view("")), "");
  EXPECT_EQ(base64_encode(std::string_view("f")), "Zg==");
  EXPECT_EQ(base64_encode(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(std::string_view("foobar")), "Zm9vYmFy");
  const auto decoded = [](std::string_view s) {
    std::optional<std::vector<std::uint8_t>> d = base64_decode(s);
    return d ? std::string(d->begin(), d->end()) : std::string("<invalid>");
  };
  EXPECT_EQ(decoded("Zm9vYmE="), "fooba");
  EXPECT_EQ(decoded("Zm9vYmE"), "fooba");  // padding may be omitted
  EXPECT_EQ(decoded("Zg=="), "f");
  EXPECT_EQ(decoded("Zh=="), "<invalid>");   // non-zero trailing bits
  EXPECT_EQ(decoded("Z"), "<invalid>");
  EXPECT_EQ(decoded("Zm9v!"), "<invalid>");
  EXPECT_EQ(decoded("Zm9=v"), "<invalid>");
  EXPECT_EQ(decoded("Zg="), "<invalid>");
}

}  // namespace
}  // namespace postcard::native
