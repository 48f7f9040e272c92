// Configuration files on disk: include_dir, errors located in included files, CRLF files, and the
// command line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "config/command_line.hpp"
#include "config/config_parser.hpp"
#include "config/config_reader.hpp"
#include "native_test_util.hpp"

namespace postcard::native {
namespace {

using testing::temp_dir;

TEST(IncludeDir, MosquittoOrderUpperCaseBeforeLowerCaseOfTheSameLetter) {
  std::vector<std::string> names = {"b.conf", "A.conf", "01.conf", "a.conf", "B.conf", "00.conf"};
  std::sort(names.begin(), names.end(), [](const std::string& x, const std::string& y) { return include_order_less(x, y); });
  const std::vector<std::string> expected = {"00.conf", "01.conf", "A.conf", "a.conf", "B.conf", "b.conf"};
  EXPECT_EQ(names, expected);
}

TEST(IncludeDir, FilesAreLoadedInOrderAndOnlyConfFiles) {
  temp_dir dir;
  const char* names[] = {"b.conf", "A.conf", "01.conf", "a.conf", "B.conf", "00.conf"};
  int port = 2000;
  for (const char* name : names) dir.write(std::string("conf.d/") + name, "listener " + std::to_string(port++) + "\n");
  dir.write("conf.d/ignored.txt", "bogus directive\n");
  dir.write("conf.d/notes.conf.bak", "bogus directive\n");
  const std::string main = dir.write("main.conf", "allow_anonymous true\ninclude_dir " + dir.file("conf.d") + "\n");
  result<broker_config> r = load_config_file(main);
  ASSERT_TRUE(r.ok()) << r.error_message();
  std::vector<int> ports;
  for (const listener_config& l : r->listeners) ports.push_back(l.port);
  // 00.conf -> 2005, 01.conf -> 2002, A.conf -> 2001, a.conf -> 2003, B.conf -> 2004, b.conf -> 2000
  EXPECT_EQ(ports, (std::vector<int>{2005, 2002, 2001, 2003, 2004, 2000}));
  EXPECT_EQ(r->files.front(), main);
  EXPECT_EQ(r->files.size(), 7u);
  EXPECT_EQ(r->listeners[0].source, dir.file("conf.d") + "/00.conf:1");
}

TEST(IncludeDir, SeveralIncludeDirsAreProcessedInTheirOrder) {
  temp_dir dir;
  dir.write("one.d/B.conf", "listener 3002\n");
  dir.write("one.d/C.conf", "listener 3003\n");
  dir.write("two.d/A.conf", "listener 3001\n");
  dir.write("two.d/D.conf", "listener 3004\n");
  const std::string main = dir.write("m.conf", "include_dir " + dir.file("one.d") + "\ninclude_dir " + dir.file("two.d") + "\n");
  result<broker_config> r = load_config_file(main);
  ASSERT_TRUE(r.ok()) << r.error_message();
  std::vector<int> ports;
  for (const listener_config& l : r->listeners) ports.push_back(l.port);
  EXPECT_EQ(ports, (std::vector<int>{3002, 3003, 3001, 3004}));
}

TEST(IncludeDir, ErrorsNameTheIncludedFileAndLine) {
  temp_dir dir;
  dir.write("conf.d/10-ok.conf", "listener 1883\n");
  dir.write("conf.d/20-bad.conf", "# comment\nmax_qos 5\n");
  const std::string main = dir.write("m.conf", "include_dir " + dir.file("conf.d") + "\n");
  result<broker_config> r = load_config_file(main);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_message(), dir.file("conf.d") + "/20-bad.conf:2: invalid max_qos value 5 (allowed: 0 to 2)");
}

TEST(IncludeDir, OnlyInTheMainFile) {
  temp_dir dir;
  dir.write("inner.d/x.conf", "listener 1\n");
  dir.write("conf.d/a.conf", "include_dir " + dir.file("inner.d") + "\n");
  const std::string main = dir.write("m.conf", "include_dir " + dir.file("conf.d") + "\n");
  result<broker_config> r = load_config_file(main);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_message(), dir.file("conf.d") + "/a.conf:1: include_dir is only allowed in the main configuration file");
}

TEST(IncludeDir, MissingDirectoryOrArgument) {
  result<broker_config> r = parse_config_text("listener 1883\ninclude_dir /nonexistent/conf.d\n", "m.conf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_message().rfind("m.conf:2: cannot open include_dir '/nonexistent/conf.d': ", 0), 0u) << r.error_message();
  result<broker_config> empty = parse_config_text("include_dir\n", "m.conf");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error_message(), "m.conf:1: include_dir needs a directory");
}

TEST(IncludeDir, MustNotContainTheMainFile) {
  temp_dir dir;
  const std::string main = dir.write("m.conf", "include_dir " + dir.path() + "\n");
  result<broker_config> r = load_config_file(main);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_message(), main + ":1: include_dir '" + dir.path() + "' contains the main configuration file");
}

TEST(ConfigFile, CrlfFileFromDisk) {
  temp_dir dir;
  const std::string main = dir.write("w.conf", "listener 8080\r\nprotocol websockets\r\n\r\n# c\r\nacl_file acl\r\n");
  result<broker_config> r = load_config_file(main);
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r->listeners.at(0).protocol, listener_protocol::websockets);
  EXPECT_EQ(r->security.acl_file, (std::filesystem::current_path() / "acl").string());
}

TEST(ConfigFile, DirectoryInsteadOfFile) {
  temp_dir dir;
  result<broker_config> r = load_config_file(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_message(), dir.path() + ": is a directory, not a configuration file");
}

TEST(ConfigFile, TheExampleConfigurationParses) {
  result<broker_config> c = load_config_file(POSTCARD_SOURCE_DIR "/native/config/postcard.conf.example");
  ASSERT_TRUE(c.ok()) << c.error_message();
  ASSERT_EQ(c->listeners.size(), 3u);
  EXPECT_FALSE(c->listeners[0].tls.enabled());
  EXPECT_TRUE(c->listeners[1].tls.enabled());
  EXPECT_TRUE(c->listeners[1].tls.use_identity_as_username);
  EXPECT_EQ(c->listeners[2].protocol, listener_protocol::websockets);
  EXPECT_EQ(c->listeners[2].http_dir, "/usr/share/postcard/web");
  EXPECT_EQ(c->listeners[2].security.scram_file, "/etc/postcard/scram");
  EXPECT_FALSE(c->listeners[2].security.allow_anonymous);
  EXPECT_EQ(c->persistent_client_expiration, 14u * 86400u);
  EXPECT_EQ(c->log.destinations, log_to_stdout);
}

result<command_line> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "postcard");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(CommandLine, Options) {
  result<command_line> cl = parse({"-c", "/etc/p.conf", "-p", "1884", "--port", "1885", "-v", "-d"});
  ASSERT_TRUE(cl.ok()) << cl.error_message();
  EXPECT_EQ(cl->action, command_action::run);
  EXPECT_EQ(cl->config_file, "/etc/p.conf");
  EXPECT_EQ(cl->ports, (std::vector<std::uint16_t>{1884, 1885}));
  EXPECT_TRUE(cl->verbose);
  EXPECT_TRUE(cl->daemon);
  EXPECT_EQ(parse({"--help"})->action, command_action::help);
  EXPECT_EQ(parse({"-h"})->action, command_action::help);
  EXPECT_EQ(parse({"--version"})->action, command_action::version);
  EXPECT_EQ(parse({"--config-file", "x.conf"})->config_file, "x.conf");
}

TEST(CommandLine, Errors) {
  EXPECT_EQ(parse({"-c"}).error_message(), "missing argument for -c");
  EXPECT_EQ(parse({"-p"}).error_message(), "missing argument for -p");
  EXPECT_EQ(parse({"-p", "0"}).error_message(), "invalid port '0' for -p (1 to 65535)");
  EXPECT_EQ(parse({"-p", "http"}).error_message(), "invalid port 'http' for -p (1 to 65535)");
  EXPECT_EQ(parse({"-p", "1884", "-p", "1884"}).error_message(), "port 1884 given twice with -p");
  EXPECT_EQ(parse({"-c", "a", "-c", "b"}).error_message(), "only one configuration file (-c) may be given");
  EXPECT_EQ(parse({"-x"}).error_message(), "unknown option '-x' (see --help)");
  EXPECT_EQ(parse({"extra"}).error_message(), "unknown option 'extra' (see --help)");
}

TEST(CommandLine, HelpAndVersionText) {
  const std::string help = help_text("postcard");
  for (const char* option : {"-c", "-d", "-p", "-v", "--help", "--version", "1883", "8080"}) {
    EXPECT_NE(help.find(option), std::string::npos) << option;
  }
  EXPECT_EQ(version_text().rfind("postcard version ", 0), 0u);
}

TEST(CommandLine, NoArgumentsMeansMqttAndWebSocketOnLoopbackAnonymous) {
  std::vector<std::string> notices;
  result<broker_config> c = load_configuration(parse({}).value(), notices);
  ASSERT_TRUE(c.ok()) << c.error_message();
  EXPECT_TRUE(c->local_only);
  ASSERT_EQ(c->listeners.size(), 4u);
  int mqtt = 0, ws = 0;
  for (const listener_config& l : c->listeners) {
    EXPECT_TRUE(l.bind_address == "127.0.0.1" || l.bind_address == "::1") << l.bind_address;
    EXPECT_TRUE(l.security.allow_anonymous);
    if (l.protocol == listener_protocol::mqtt && l.port == 1883) ++mqtt;
    if (l.protocol == listener_protocol::websockets && l.port == 8080) ++ws;
  }
  EXPECT_EQ(mqtt, 2);
  EXPECT_EQ(ws, 2);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("local only"), std::string::npos);
}

TEST(CommandLine, PortsWithoutConfigAreLoopbackOnlyAnonymous) {
  std::vector<std::string> notices;
  result<broker_config> c = load_configuration(parse({"-p", "1884", "-p", "1885", "-v"}).value(), notices);
  ASSERT_TRUE(c.ok()) << c.error_message();
  ASSERT_EQ(c->listeners.size(), 4u);
  for (const listener_config& l : c->listeners) {
    EXPECT_TRUE(l.port == 1884 || l.port == 1885);
    EXPECT_EQ(l.protocol, listener_protocol::mqtt);
    EXPECT_NE(l.bind_address, "");
    EXPECT_TRUE(l.security.allow_anonymous);
  }
  EXPECT_EQ(c->log.types, log_all);
  EXPECT_TRUE(c->verbose);
}

TEST(CommandLine, PortsAreIgnoredWhenTheFileHasListeners) {
  temp_dir dir;
  const std::string with = dir.write("with.conf", "listener 1999\nlog_type error\n");
  std::vector<std::string> notices;
  result<broker_config> c = load_configuration(parse({"-c", with.c_str(), "-p", "1884", "-v"}).value(), notices);
  ASSERT_TRUE(c.ok()) << c.error_message();
  ASSERT_EQ(c->listeners.size(), 1u);
  EXPECT_EQ(c->listeners[0].port, 1999);
  EXPECT_EQ(c->log.types, log_all);  // -v overrides the file
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("-p ports are ignored"), std::string::npos);

  const std::string without = dir.write("without.conf", "allow_anonymous true\n");
  notices.clear();
  result<broker_config> d = load_configuration(parse({"-c", without.c_str(), "-p", "1884"}).value(), notices);
  ASSERT_TRUE(d.ok()) << d.error_message();
  ASSERT_EQ(d->listeners.size(), 2u);
  EXPECT_EQ(d->listeners[0].port, 1884);
  EXPECT_EQ(d->listeners[0].bind_address, "127.0.0.1");
}

TEST(CommandLine, ConfigErrorsComeBackFromLoadConfiguration) {
  temp_dir dir;
  const std::string bad = dir.write("bad.conf", "listener 1883\nlistener 1883\n");
  std::vector<std::string> notices;
  result<broker_config> c = load_configuration(parse({"-c", bad.c_str()}).value(), notices);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error_message(), bad + ":2: duplicate listener on port 1883 (already at " + bad + ":1)");
}

}  // namespace
}  // namespace postcard::native
