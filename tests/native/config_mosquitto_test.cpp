// Compatibility with Mosquitto's own reading of the same files: configurations mosquitto 2.0 starts
// with, Postcard accepts with the same meaning; configurations mosquitto refuses, Postcard refuses.
#include <gtest/gtest.h>

#include "config/config_parser.hpp"
#include "native_test_util.hpp"

namespace postcard::native {
namespace {

using testing::program_exists;
using testing::read_file;
using testing::run_program;
using testing::temp_dir;

// True if mosquitto is still running after a moment (it started), false if it exited (it refused).
bool mosquitto_starts(const std::string& conf, std::string& log) {
  const int status = run_program({testing::mosquitto_program(), "-c", conf}, {}, &log, 800);
  return status == -1;  // still running when the time ran out, and killed
}

class ConfigAgainstMosquitto : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::mosquitto_program().empty()) GTEST_SKIP() << "mosquitto is not installed";
  }
  temp_dir dir_;
};

TEST_F(ConfigAgainstMosquitto, DebianDefaultConfigurationParses) {
  // Debian's /etc/mosquitto/mosquitto.conf, with its paths moved into the temporary directory.
  dir_.write("conf.d/README", "Any files placed in this directory that have a .conf ending will be loaded\n");
  dir_.write("conf.d/local.conf", "listener 1883\nallow_anonymous true\n");
  const std::string conf = dir_.write(
      "mosquitto.conf",
      "# Place your local configuration in /etc/mosquitto/conf.d/\n#\n"
      "pid_file " + dir_.file("mosquitto.pid") + "\n\n"
      "persistence true\npersistence_location " + dir_.path() + "/\n\n"
      "log_dest file " + dir_.file("mosquitto.log") + "\n\n"
      "include_dir " + dir_.file("conf.d") + "\n");
  result<broker_config> c = load_config_file(conf);
  ASSERT_TRUE(c.ok()) << c.error_message();
  EXPECT_TRUE(c->persistence);
  EXPECT_EQ(c->persistence_location, dir_.path() + "/");
  EXPECT_EQ(c->log.destinations, log_to_file);
  EXPECT_EQ(c->log.file, dir_.file("mosquitto.log"));
  EXPECT_EQ(c->pid_file, dir_.file("mosquitto.pid"));
  ASSERT_EQ(c->listeners.size(), 1u);
  EXPECT_TRUE(c->listeners[0].security.allow_anonymous);
}

TEST_F(ConfigAgainstMosquitto, ConfigurationsMosquittoStartsWithAreAccepted) {
  const std::string p1 = std::to_string(testing::free_port());
  const std::string p2 = std::to_string(testing::free_port());
  ASSERT_EQ(run_program({"mosquitto_passwd", "-c", "-b", dir_.file("pw"), "u", "p"}), 0);
  dir_.write("acl", "user u\ntopic readwrite #\n");
  dir_.write("conf.d/10.conf", "listener " + p2 + " 127.0.0.1\r\nprotocol websockets\r\n");
  const std::string configs[] = {
      "listener " + p1 + " 127.0.0.1\nallow_anonymous true\nmax_inflight_messages 10\nmax_inflight_bytes 0\n"
      "max_queued_messages 100\nmax_queued_bytes 100000\nmessage_size_limit 1000\nmax_packet_size 2000\n"
      "max_keepalive 60\nretain_available false\ncheck_retain_source true\nupgrade_outgoing_qos false\n"
      "allow_zero_length_clientid true\nauto_id_prefix gen-\npersistent_client_expiration 2h\nsys_interval 0\n"
      "connection_messages true\nlog_dest stdout\nlog_type all\nlog_timestamp false\nset_tcp_nodelay true\n"
      "queue_qos0_messages true\nmax_connections 10\nmax_qos 1\nmax_topic_alias 5\nsocket_domain ipv4\n"
      "use_username_as_clientid false\nmount_point m/\n",
      "per_listener_settings true\nlistener " + p1 + " 127.0.0.1\npassword_file " + dir_.file("pw") +
          "\nacl_file " + dir_.file("acl") + "\nallow_anonymous false\nlistener " + p2 +
          " 127.0.0.1\nallow_anonymous true\n",
      "persistence true\npersistence_location " + dir_.path() + "/\npersistence_file test.db\n"
      "autosave_interval 60\nautosave_on_changes false\nlistener " + p1 + " 127.0.0.1\n",
      "listener " + p1 + " 127.0.0.1\r\nallow_anonymous true\r\ninclude_dir " + dir_.file("conf.d") + "\r\n",
      "port " + p1 + "\nbind_address 127.0.0.1\nallow_anonymous true\n",
  };
  for (const std::string& text : configs) {
    const std::string conf = dir_.write("ok.conf", text);
    std::string log;
    EXPECT_TRUE(mosquitto_starts(conf, log)) << text << "\n--- mosquitto said:\n" << log;
    result<broker_config> c = load_config_file(conf);
    EXPECT_TRUE(c.ok()) << text << "\n--- postcard said: " << (c.ok() ? "" : c.error_message());
  }
}

TEST_F(ConfigAgainstMosquitto, ConfigurationsMosquittoRefusesAreRefused) {
  const std::string p = std::to_string(testing::free_port());
  const std::string listener = "listener " + p + " 127.0.0.1\n";
  const std::string configs[] = {
      listener + "bogus_option 1\n",
      "listener 70000\n",
      "listener\n",
      listener + "protocol foo\n",
      listener + "socket_domain ipv5\n",
      listener + "allow_anonymous maybe\n",
      listener + "max_keepalive 70000\n",
      listener + "max_packet_size 10\n",
      listener + "persistent_client_expiration 5x\n",
      listener + "log_type verbose\n",
      listener + "log_dest file\n",
      listener + "include_dir /nonexistent/postcard/conf.d\n",
      listener + "max_qos 3\n",
      listener + "max_topic_alias 70000\n",
      listener + "sys_interval -1\n",
      "mount_point m/\n" + listener,
      listener + "pid_file /tmp/a.pid\npid_file /tmp/b.pid\n",
  };
  for (const std::string& text : configs) {
    const std::string conf = dir_.write("bad.conf", text);
    std::string log;
    EXPECT_FALSE(mosquitto_starts(conf, log)) << "mosquitto accepted:\n" << text;
    result<broker_config> c = load_config_file(conf);
    EXPECT_FALSE(c.ok()) << "postcard accepted:\n" << text;
  }
}

}  // namespace
}  // namespace postcard::native
