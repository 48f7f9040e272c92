// Password files: hashes made by Debian's mosquitto_passwd verify here, and files made here are
// accepted by a real mosquitto broker.
#include <gtest/gtest.h>

#include "native_test_util.hpp"
#include "security/password_file.hpp"

namespace postcard::native {
namespace {

using testing::program_exists;
using testing::run_program;
using testing::temp_dir;

// Lines written by mosquitto_passwd 2.0.11 (password "secret" and "p").
constexpr const char* mosquitto_pbkdf2_line =
    "bob:$7$101$l8HC5bAv0EM4njOh$sHGOSDoy9jVezURK84vrhfhVnmXY1X6k5urstAGxx0WlK98MOLLtAm+0nd19Or2B7jdG0AgjLNRmz7lD6MJPWg==";
constexpr const char* mosquitto_sha512_line =
    "w:$6$sZB4Oo7oLVLLdndQ$fRXOi1158MJcSI5ZfrH+FNqatSNdsF7gm5yJ3Upy1TIFgXXLIoT50O7TpXwn/GLpXk6U0Ggz5uapTbBbti4P1w==";

TEST(PasswordHash, ParsesAndVerifiesMosquittoLines) {
  result<password_file> file =
      password_file::parse(std::string(mosquitto_pbkdf2_line) + "\n" + mosquitto_sha512_line + "\n", "pw");
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(file->warnings().empty());
  EXPECT_EQ(file->user_count(), 2u);
  const password_hash* bob = file->find("bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->kind, hash_kind::pbkdf2_sha512);
  EXPECT_EQ(bob->iterations, 101u);
  EXPECT_EQ(bob->salt.size(), 12u);
  EXPECT_TRUE(file->check("bob", "secret"));
  EXPECT_FALSE(file->check("bob", "Secret"));
  EXPECT_FALSE(file->check("bob", ""));
  EXPECT_EQ(file->find("w")->kind, hash_kind::sha512);
  EXPECT_TRUE(file->check("w", "p"));
  EXPECT_FALSE(file->check("w", "q"));
  EXPECT_FALSE(file->check("nobody", "secret"));
}

TEST(PasswordHash, FormatIsTheParsedText) {
  const std::string text = std::string(mosquitto_pbkdf2_line).substr(4);
  result<password_hash> h = parse_password_hash(text);
  ASSERT_TRUE(h.ok()) << h.error_message();
  EXPECT_EQ(format_password_hash(h.value()), text);
}

TEST(PasswordHash, MadeHashesVerify) {
  for (hash_kind kind : {hash_kind::pbkdf2_sha512, hash_kind::sha512}) {
    result<password_hash> h = make_password_hash("correct horse", kind);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->salt.size(), 12u);
    EXPECT_TRUE(verify_password(h.value(), "correct horse"));
    EXPECT_FALSE(verify_password(h.value(), "correct horse "));
    result<password_hash> again = parse_password_hash(format_password_hash(h.value()));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(verify_password(again.value(), "correct horse"));
  }
  EXPECT_EQ(make_password_hash("x")->iterations, 101u);
  EXPECT_EQ(format_password_hash(make_password_hash("x").value()).rfind("$7$101$", 0), 0u);
  EXPECT_EQ(format_password_hash(make_password_hash("x", hash_kind::sha512).value()).rfind("$6$", 0), 0u);
}

TEST(PasswordHash, MalformedHashes) {
  EXPECT_EQ(parse_password_hash("").error_message(), "empty password hash");
  EXPECT_EQ(parse_password_hash("plain").error_message(), "not a hashed password (plain text? run postcard-passwd -U)");
  EXPECT_EQ(parse_password_hash("$5$abc$def").error_message(), "unknown password hash type $5$ (Postcard reads $6$ and $7$)");
  EXPECT_EQ(parse_password_hash("$6$onlysalt").error_message(), "a $6$ hash needs the form $6$salt$hash");
  EXPECT_EQ(parse_password_hash("$7$101$salt").error_message(), "a $7$ hash needs the form $7$iterations$salt$hash");
  EXPECT_EQ(parse_password_hash("$7$x1$c2FsdA==$aGFzaA==").error_message(), "invalid iteration count in $7$ hash");
  EXPECT_EQ(parse_password_hash("$7$0$c2FsdA==$aGFzaA==").error_message(), "invalid iteration count in $7$ hash");
  EXPECT_EQ(parse_password_hash("$6$!!!!$aGFzaA==").error_message(), "invalid base64 salt");
  EXPECT_EQ(parse_password_hash("$6$c2FsdA==$aGFzaA==").error_message(), "invalid base64 hash (expected 64 bytes)");
}

TEST(PasswordFile, UnusableLinesDropTheUserWithAWarningLikeMosquitto) {
  result<password_file> file = password_file::parse(
      "# users\r\n"
      "\r\n"
      "plainuser:plaintext\r\n"
      "old:$5$c2FsdA==$aGFzaA==\r\n"
      ":$6$x$y\r\n"
      "no colon here\r\n" +
          std::string(mosquitto_pbkdf2_line) + "\r\n" +
          "bob:$6$c2FsdA==$aGFzaA==\r\n",
      "users.pw");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->user_count(), 1u);
  EXPECT_TRUE(file->check("bob", "secret"));  // the first line of a user wins, as in Mosquitto
  EXPECT_FALSE(file->contains("plainuser"));
  const std::vector<std::string> expected = {
      "users.pw:3: user 'plainuser': not a hashed password (plain text? run postcard-passwd -U), user ignored",
      "users.pw:4: user 'old': unknown password hash type $5$ (Postcard reads $6$ and $7$), user ignored",
      "users.pw:5: empty user name, line ignored",
      "users.pw:8: user 'bob' appears again, this line is ignored",
  };
  EXPECT_EQ(file->warnings(), expected);
}

TEST(PasswordFile, EditingKeepsOtherLines) {
  result<password_file> file =
      password_file::parse("# header\nalice:plain\n" + std::string(mosquitto_pbkdf2_line) + "\n", "pw");
  ASSERT_TRUE(file.ok());
  file->set("carol", make_password_hash("c").value());
  file->set("bob", make_password_hash("new", hash_kind::sha512).value());
  EXPECT_TRUE(file->check("bob", "new"));
  EXPECT_FALSE(file->check("bob", "secret"));
  result<std::size_t> upgraded = file->upgrade_plain_text(hash_kind::pbkdf2_sha512);
  ASSERT_TRUE(upgraded.ok());
  EXPECT_EQ(upgraded.value(), 1u);
  EXPECT_TRUE(file->check("alice", "plain"));
  EXPECT_TRUE(file->remove("carol"));
  EXPECT_FALSE(file->remove("carol"));
  const std::string text = file->serialize();
  EXPECT_EQ(text.rfind("# header\nalice:$7$101$", 0), 0u) << text;
  EXPECT_NE(text.find("\nbob:$6$"), std::string::npos);
  EXPECT_EQ(text.find("carol"), std::string::npos);
  result<password_file> reread = password_file::parse(text, "pw");
  ASSERT_TRUE(reread.ok());
  EXPECT_TRUE(reread->check("alice", "plain"));
  EXPECT_TRUE(reread->check("bob", "new"));
}

TEST(PasswordFile, LoadErrorsNameTheFile) {
  result<password_file> missing = password_file::load("/nonexistent/pw");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error_message(), "/nonexistent/pw: cannot open the password file: No such file or directory");
}

TEST(MosquittoPasswdInterop, FilesMadeByMosquittoPasswdVerify) {
  if (!program_exists("mosquitto_passwd")) GTEST_SKIP() << "mosquitto_passwd is not installed";
  temp_dir dir;
  const std::string path = dir.file("pw");
  ASSERT_EQ(run_program({"mosquitto_passwd", "-c", "-b", path, "alice", "s3cret pass"}), 0);
  ASSERT_EQ(run_program({"mosquitto_passwd", "-b", path, "bob", "p\xC3\xA4ss"}), 0);
  ASSERT_EQ(run_program({"mosquitto_passwd", "-H", "sha512", "-b", path, "carol", "old-style"}), 0);
  ASSERT_EQ(run_program({"mosquitto_passwd", "-b", path, "dave", ""}), 0);
  result<password_file> file = password_file::load(path);
  ASSERT_TRUE(file.ok()) << file.error_message();
  EXPECT_TRUE(file->warnings().empty());
  EXPECT_EQ(file->user_count(), 4u);
  EXPECT_EQ(file->find("alice")->kind, hash_kind::pbkdf2_sha512);
  EXPECT_EQ(file->find("carol")->kind, hash_kind::sha512);
  EXPECT_TRUE(file->check("alice", "s3cret pass"));
  EXPECT_FALSE(file->check("alice", "s3cret"));
  EXPECT_TRUE(file->check("bob", "p\xC3\xA4ss"));
  EXPECT_FALSE(file->check("bob", "pass"));
  EXPECT_TRUE(file->check("carol", "old-style"));
  EXPECT_FALSE(file->check("carol", "new-style"));
  EXPECT_TRUE(file->check("dave", ""));
  EXPECT_FALSE(file->check("dave", "x"));
}

TEST(MosquittoPasswdInterop, MosquittoPasswdEditsFilesWeWrote) {
  if (!program_exists("mosquitto_passwd")) GTEST_SKIP() << "mosquitto_passwd is not installed";
  temp_dir dir;
  const std::string path = dir.file("pw");
  password_file ours;
  ours.set("alice", make_password_hash("a").value());
  ours.set("bob", make_password_hash("b", hash_kind::sha512).value());
  ASSERT_TRUE(ours.save(path).ok());
  ASSERT_EQ(run_program({"mosquitto_passwd", "-D", path, "bob"}), 0);
  ASSERT_EQ(run_program({"mosquitto_passwd", "-b", path, "carol", "c"}), 0);
  result<password_file> file = password_file::load(path);
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(file->check("alice", "a"));
  EXPECT_FALSE(file->contains("bob"));
  EXPECT_TRUE(file->check("carol", "c"));
}

}  // namespace
}  // namespace postcard::native
