// postcard-passwd: its mosquitto_passwd interface, its errors, SCRAM credentials, and a real mosquitto
// broker accepting the password files it writes.
#include <gtest/gtest.h>

#include <sstream>

#include "native_test_util.hpp"
#include "security/passwd_command.hpp"
#include "security/password_file.hpp"
#include "security/scram_file.hpp"

namespace postcard::native {
namespace {

using testing::child_process;
using testing::program_exists;
using testing::read_file;
using testing::run_program;
using testing::temp_dir;

struct outcome {
  int status = 0;
  std::string out, err;
};

// Runs the command in-process; `answers` are what the password prompts read, in order.
outcome passwd(std::vector<std::string> args, std::vector<std::string> answers = {}) {
  args.insert(args.begin(), "postcard-passwd");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::size_t next = 0;
  const password_reader reader = [&](std::string_view) -> result<std::string> {
    if (next >= answers.size()) return error{"no password given (end of input)"};
    return answers[next++];
  };
  std::ostringstream out, err;
  outcome o;
  o.status = run_passwd_command(static_cast<int>(argv.size()), argv.data(), reader, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

password_file load(const std::string& path) {
  result<password_file> f = password_file::load(path);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error_message());
  return f.ok() ? std::move(f.value()) : password_file{};
}

TEST(PasswdCommand, CreateAddUpdateDelete) {
  temp_dir dir;
  const std::string pw = dir.file("pw");
  ASSERT_EQ(passwd({"-c", "-b", pw, "alice", "one"}).status, 0);
  ASSERT_EQ(passwd({"-b", pw, "bob", "two"}).status, 0);
  ASSERT_EQ(passwd({"-H", "sha512", "-b", pw, "carol", "three"}).status, 0);
  ASSERT_EQ(passwd({pw, "dave"}, {"four", "four"}).status, 0);
  ASSERT_EQ(passwd({"-b", pw, "alice", "uno"}).status, 0);
  password_file f = load(pw);
  EXPECT_EQ(f.user_count(), 4u);
  EXPECT_TRUE(f.check("alice", "uno"));
  EXPECT_FALSE(f.check("alice", "one"));
  EXPECT_TRUE(f.check("bob", "two"));
  EXPECT_EQ(f.find("bob")->kind, hash_kind::pbkdf2_sha512);
  EXPECT_EQ(f.find("carol")->kind, hash_kind::sha512);
  EXPECT_TRUE(f.check("dave", "four"));
  EXPECT_EQ(read_file(pw).rfind("alice:$7$101$", 0), 0u);  // updated in place, first line
  ASSERT_EQ(passwd({"-D", pw, "bob"}).status, 0);
  EXPECT_FALSE(load(pw).contains("bob"));
  ASSERT_EQ(passwd({"-c", "-b", pw, "erin", "five"}).status, 0);  // -c replaces the file
  EXPECT_EQ(load(pw).user_count(), 1u);
}

TEST(PasswdCommand, UpgradePlainTextFile) {
  temp_dir dir;
  const std::string pw = dir.write("pw", "# plain\nalice:one\nbob:two\n");
  outcome o = passwd({"-U", pw});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "Hashed 2 password(s) in " + pw + "\n");
  password_file f = load(pw);
  EXPECT_TRUE(f.check("alice", "one"));
  EXPECT_TRUE(f.check("bob", "two"));
  EXPECT_EQ(passwd({"-U", pw}).out, "Hashed 0 password(s) in " + pw + "\n");  // already hashed: untouched
  EXPECT_TRUE(load(pw).check("alice", "one"));
}

TEST(PasswdCommand, ScramCredentialsBesideThePasswordFile) {
  temp_dir dir;
  const std::string pw = dir.file("pw");
  const std::string scram = dir.file("pw.scram");
  ASSERT_EQ(passwd({"-c", "-s", scram, "--scram-iterations", "4096", "-b", pw, "alice", "pencil"}).status, 0);
  ASSERT_EQ(passwd({"-s", scram, "-b", pw, "bob", "crayon"}).status, 0);
  result<scram_file> s = scram_file::load(scram);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(s->user_count(), 2u);
  std::optional<scram_credentials> alice = s->find("alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->iterations, 4096u);
  const scram_credentials expected = derive_scram_credentials("pencil", alice->salt, 4096);
  EXPECT_EQ(alice->stored_key, expected.stored_key);
  EXPECT_EQ(alice->server_key, expected.server_key);
  EXPECT_TRUE(load(pw).check("alice", "pencil"));
  ASSERT_EQ(passwd({"-D", "-s", scram, pw, "alice"}).status, 0);
  EXPECT_FALSE(scram_file::load(scram)->find("alice").has_value());
  EXPECT_TRUE(scram_file::load(scram)->find("bob").has_value());
}

TEST(PasswdCommand, ErrorsNameTheFileAndTheProblem) {
  temp_dir dir;
  const std::string pw = dir.file("pw");
  outcome missing = passwd({"-b", pw, "alice", "x"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "postcard-passwd: " + pw + ": the password file does not exist (use -c to create it)\n");
  ASSERT_EQ(passwd({"-c", "-b", pw, "alice", "x"}).status, 0);
  EXPECT_EQ(passwd({"-D", pw, "nobody"}).err, "postcard-passwd: " + pw + ": user 'nobody' not found\n");
  EXPECT_EQ(passwd({"-b", pw, "a:b", "x"}).err,
            "postcard-passwd: the user name must not contain the ':' character\n");
  EXPECT_EQ(passwd({pw, "bob"}, {"one", "two"}).err, "postcard-passwd: Passwords do not match.\n");
  EXPECT_EQ(passwd({pw, "bob"}, {}).err, "postcard-passwd: no password given (end of input)\n");
  EXPECT_FALSE(load(pw).contains("bob"));
  const std::string dir_as_file = dir.path();
  outcome unreadable = passwd({"-b", dir_as_file, "bob", "x"});
  EXPECT_EQ(unreadable.status, 1);
  EXPECT_NE(unreadable.err.find(dir_as_file), std::string::npos) << unreadable.err;
  const std::string bad_scram = dir.write("bad.scram", "alice:SCRAM-SHA-256$x\n");
  EXPECT_EQ(passwd({"-s", bad_scram, "-b", pw, "alice", "x"}).err,
            "postcard-passwd: " + bad_scram + ":1: user 'alice': missing '$' before the keys\n");
}

TEST(PasswdCommand, UsageErrors) {
  const auto first_line = [](const outcome& o) { return o.err.substr(0, o.err.find('\n')); };
  EXPECT_EQ(first_line(passwd({"-c", "-D", "pw", "u"})), "postcard-passwd: -c and -D cannot be used together");
  EXPECT_EQ(first_line(passwd({"-U", "-b", "pw"})), "postcard-passwd: -U cannot be combined with -c, -D, -b or -s");
  EXPECT_EQ(first_line(passwd({"-H", "md5", "pw", "u"})), "postcard-passwd: invalid hash 'md5' for -H (sha512 or sha512-pbkdf2)");
  EXPECT_EQ(first_line(passwd({"-b", "pw", "u"})), "postcard-passwd: wrong number of arguments");
  EXPECT_EQ(first_line(passwd({"-x", "pw", "u"})), "postcard-passwd: unknown option '-x'");
  EXPECT_EQ(first_line(passwd({"--scram-iterations", "0", "pw", "u"})),
            "postcard-passwd: invalid iteration count '0' for --scram-iterations");
  EXPECT_EQ(passwd({"-c", "-D", "pw", "u"}).status, 1);
  outcome help = passwd({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("Usage: postcard-passwd"), std::string::npos);
}

TEST(PasswdExecutable, PromptsTwiceAndWritesTheFile) {
  temp_dir dir;
  const std::string pw = dir.file("pw");
  std::string output;
  ASSERT_EQ(run_program({POSTCARD_PASSWD_EXE, "-c", pw, "alice"}, "pa ss\npa ss\n", &output), 0) << output;
  EXPECT_EQ(output, "Password: Reenter password: ");
  EXPECT_TRUE(load(pw).check("alice", "pa ss"));
  EXPECT_EQ(run_program({POSTCARD_PASSWD_EXE, pw, "bob"}, "a\nb\n", &output), 1);
  EXPECT_NE(output.find("Passwords do not match."), std::string::npos);
}

// The reverse interop: a real mosquitto broker accepts the password file postcard-passwd writes.
TEST(PasswdExecutable, RealMosquittoAcceptsTheFile) {
  const std::string broker = testing::mosquitto_program();
  if (broker.empty()) GTEST_SKIP() << "no mosquitto";
  if (!program_exists("mosquitto_pub")) GTEST_SKIP() << "no mosquitto_pub";
  temp_dir dir;
  const std::string pw = dir.file("pw");
  ASSERT_EQ(run_program({POSTCARD_PASSWD_EXE, "-c", "-b", pw, "alice", "s3cret"}), 0);
  ASSERT_EQ(run_program({POSTCARD_PASSWD_EXE, "-H", "sha512", "-b", pw, "bob", "hunter2"}), 0);
  const int port = testing::free_port();
  ASSERT_GT(port, 0);
  const std::string conf = dir.write("mosquitto.conf", "listener " + std::to_string(port) + " 127.0.0.1\n"
                                                       "allow_anonymous false\n"
                                                       "password_file " + pw + "\n");
  child_process mosquitto({broker, "-c", conf}, dir.file("mosquitto.log"));
  ASSERT_TRUE(testing::wait_for_port(port, 5000)) << read_file(dir.file("mosquitto.log"));
  const auto publish = [&](const std::string& user, const std::string& password) {
    std::vector<std::string> args = {"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(port), "-t", "t", "-m", "m"};
    if (!user.empty()) {
      args.insert(args.end(), {"-u", user, "-P", password});
    }
    return run_program(args, {}, nullptr, 5000);
  };
  EXPECT_EQ(publish("alice", "s3cret"), 0);
  EXPECT_EQ(publish("bob", "hunter2"), 0);
  EXPECT_NE(publish("alice", "wrong"), 0);
  EXPECT_NE(publish("bob", "s3cret"), 0);
  EXPECT_NE(publish("carol", "s3cret"), 0);
  EXPECT_NE(publish("", ""), 0);
  mosquitto.stop();
  EXPECT_EQ(read_file(dir.file("mosquitto.log")).find("Error"), std::string::npos) << read_file(dir.file("mosquitto.log"));
}

}  // namespace
}  // namespace postcard::native
