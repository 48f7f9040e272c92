// Every parser of untrusted text (configuration, password, ACL and SCRAM files, SCRAM messages) on
// random and mutated inputs: no crash (run under -DPOSTCARD_SANITIZE=ON too), and every refusal is
// an error message that names the file.
#include <gtest/gtest.h>

#include <random>

#include "config/config_parser.hpp"
#include "security/acl_file.hpp"
#include "security/password_file.hpp"
#include "security/scram.hpp"
#include "security/scram_file.hpp"

namespace postcard::native {
namespace {

constexpr const char* seeds[] = {
    "listener 1883 127.0.0.1\nprotocol websockets\nallow_anonymous true\nmax_qos 1\n",
    "per_listener_settings true\nlistener 8883\ncertfile /c\nkeyfile /k\npassword_file /p\n",
    "user alice\ntopic readwrite sensors/#\npattern read users/%u/#\ntopic deny a/+/b\n",
    "bob:$7$101$l8HC5bAv0EM4njOh$sHGOSDoy9jVezURK84vrhfhVnmXY1X6k5urstAGxx0WlK98MOLLtAm+0nd19Or2B7jdG0AgjLNRmz7lD6MJPWg==\n",
    "user:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:BBBB\n",
    "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
};

std::string mutate(std::mt19937& random, std::string text) {
  static const char alphabet[] = " \t\r\n#$:=,/+%&ac0179-";
  const int edits = 1 + static_cast<int>(random() % 6);
  for (int e = 0; e < edits; ++e) {
    const std::size_t at = text.empty() ? 0 : random() % (text.size() + 1);
    switch (random() % 4) {
      case 0: text.insert(at, 1, alphabet[random() % (sizeof alphabet - 1)]); break;
      case 1: if (at < text.size()) text.erase(at, 1 + random() % 4); break;
      case 2: if (at < text.size()) text[at] = static_cast<char>(random() % 256); break;
      default: text.insert(at, text.substr(random() % (text.size() + 1), random() % 12)); break;
    }
  }
  return text;
}

TEST(ParserRobustness, MutatedInputsNeverCrashAndErrorsNameTheFile) {
  std::mt19937 random(20261124);
  int refused = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::string text = mutate(random, seeds[random() % std::size(seeds)]);
    result<broker_config> config = parse_config_text(text, "fuzz.conf");
    if (!config) {
      ++refused;
      EXPECT_EQ(config.error_message().rfind("fuzz.conf", 0), 0u) << config.error_message();
    }
    result<acl_file> acl = acl_file::parse(text, "fuzz.acl");
    if (acl) {
      (void)acl->access("client", std::optional<std::string_view>("alice"), "sensors/a/b", acl_access::read);
      (void)acl->access("c+", std::nullopt, "a/b", acl_access::write);
      acl->set_subscribe_check(true);
      (void)acl->access("client", std::optional<std::string_view>("bob"), "users/bob/#", acl_access::subscribe);
    } else {
      EXPECT_EQ(acl.error_message().rfind("fuzz.acl:", 0), 0u) << acl.error_message();
    }
    result<password_file> passwords = password_file::parse(text, "fuzz.pw");
    ASSERT_TRUE(passwords.ok());  // unusable lines become warnings, never a failure
    for (const std::string& w : passwords->warnings()) EXPECT_EQ(w.rfind("fuzz.pw:", 0), 0u) << w;
    result<scram_file> scram = scram_file::parse(text, "fuzz.scram");
    if (!scram) {
      EXPECT_EQ(scram.error_message().rfind("fuzz.scram:", 0), 0u) << scram.error_message();
    }
    scram_sha256_server server([](std::string_view) { return std::optional<scram_credentials>{}; }, "srv");
    if (server.client_first(text).ok) (void)server.client_final(mutate(random, seeds[6]));
  }
  EXPECT_GT(refused, 100);  // the mutations do reach the error paths
}

}  // namespace
}  // namespace postcard::native
