// The ACL checks against the real thing: a mosquitto 2.0 broker with the same acl_file. What
// mosquitto lets each client publish and receive must be exactly what acl_file::access() says.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include "native_test_util.hpp"
#include "security/acl_file.hpp"
#include "security/password_file.hpp"

namespace postcard::native {
namespace {

using testing::child_process;
using testing::program_exists;
using testing::read_file;
using testing::run_program;
using testing::temp_dir;

constexpr const char* acl_text =
    "topic read public/#\n"
    "user alice\n"
    "topic readwrite sensors/#\n"
    "topic deny sensors/secret\n"
    "topic write commands/+/set\n"
    "user admin\n"
    "topic readwrite #\n"
    "pattern write devices/%c/out\n"
    "pattern read users/%u/#\n"
    "pattern deny users/%u/private\n";

const std::vector<std::string> topics = {
    "public/news",         "sensors/room1/temp", "sensors/secret",  "commands/lamp/set", "devices/alice-dev/out",
    "devices/bob-dev/out", "users/alice/inbox",  "users/bob/inbox", "users/bob/private",
};

struct client {
  std::string id;
  std::optional<std::string> username;
  std::string password;
};

const std::vector<client> clients = {
    {"alice-dev", "alice", "a"}, {"bob-dev", "bob", "b"}, {"anon-dev", std::nullopt, ""}};

std::vector<std::string> auth_args(const client& c) {
  if (!c.username) return {};
  return {"-u", *c.username, "-P", c.password};
}

// "topic payload" lines a mosquitto_sub -v wrote.
std::set<std::string> received(const std::string& log) {
  std::set<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(' ') != std::string::npos && line != "Timed out") lines.insert(line);
  }
  return lines;
}

class AclAgainstMosquitto : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::mosquitto_program().empty() || !program_exists("mosquitto_sub") || !program_exists("mosquitto_pub")) {
      GTEST_SKIP() << "mosquitto and its clients are not installed";
    }
    password_file passwords;
    passwords.set("alice", make_password_hash("a").value());
    passwords.set("bob", make_password_hash("b").value());
    passwords.set("admin", make_password_hash("x").value());
    ASSERT_TRUE(passwords.save(dir_.file("pw")).ok());
    dir_.write("acl", acl_text);
    port_ = testing::free_port();
    const std::string conf = dir_.write("m.conf", "listener " + std::to_string(port_) + " 127.0.0.1\n"
                                                  "allow_anonymous true\n"
                                                  "password_file " + dir_.file("pw") + "\n"
                                                  "acl_file " + dir_.file("acl") + "\n");
    broker_ = std::make_unique<child_process>(std::vector<std::string>{testing::mosquitto_program(), "-c", conf}, dir_.file("broker.log"));
    ASSERT_TRUE(testing::wait_for_port(port_, 5000)) << read_file(dir_.file("broker.log"));
    result<acl_file> acl = acl_file::parse(acl_text, "acl");
    ASSERT_TRUE(acl.ok());
    acl_ = std::move(acl.value());
  }

  // Subscribers use their own client id (c.id + "-sub"): a publisher with the same id would take
  // their session over.
  std::unique_ptr<child_process> subscriber(const client& c, const std::string& log) {
    std::vector<std::string> args = {"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(port_), "-i", c.id + "-sub",
                                     "-t", "#", "-v", "-q", "1", "-W", "4"};
    for (const std::string& a : auth_args(c)) args.push_back(a);
    return std::make_unique<child_process>(args, dir_.file(log));
  }

  int publish(const client& c, const std::string& topic, const std::string& payload) {
    std::vector<std::string> args = {"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(port_), "-i", c.id,
                                     "-t", topic, "-m", payload, "-q", "1"};
    for (const std::string& a : auth_args(c)) args.push_back(a);
    return run_program(args, {}, nullptr, 5000);
  }

  temp_dir dir_;
  int port_ = 0;
  std::unique_ptr<child_process> broker_;
  acl_file acl_;
};

TEST_F(AclAgainstMosquitto, PublishAndDeliveryDecisionsMatch) {
  const client admin{"admin-dev", "admin", "x"};
  std::vector<std::unique_ptr<child_process>> subs;
  subs.push_back(subscriber(admin, "admin.log"));
  for (const client& c : clients) subs.push_back(subscriber(c, c.id + ".log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // let the subscriptions settle

  std::set<std::string> expected_writes;
  for (const client& c : clients) {
    for (const std::string& topic : topics) {
      ASSERT_EQ(publish(c, topic, "from-" + c.id), 0);
      if (acl_.allows(c.id, c.username, topic, acl_access::write)) expected_writes.insert(topic + " from-" + c.id);
    }
  }
  for (const std::string& topic : topics) ASSERT_EQ(publish(admin, topic, "by-admin"), 0);
  for (auto& s : subs) ASSERT_TRUE(s->wait_exit(8000));

  // Writes: what the admin (who reads everything) received from the three clients.
  std::set<std::string> admin_got = received(read_file(dir_.file("admin.log")));
  std::set<std::string> actual_writes;
  for (const std::string& line : admin_got) {
    if (line.find(" from-") != std::string::npos) actual_writes.insert(line);
  }
  EXPECT_EQ(actual_writes, expected_writes);
  EXPECT_FALSE(expected_writes.empty());

  // Reads: what each client received of the admin's messages.
  for (const client& c : clients) {
    std::set<std::string> expected_reads;
    for (const std::string& topic : topics) {
      if (acl_.allows(c.id + "-sub", c.username, topic, acl_access::read)) expected_reads.insert(topic + " by-admin");
      // Mosquitto 2.0 grants the subscription whatever the ACL says; deliveries are filtered.
      EXPECT_TRUE(acl_.allows(c.id + "-sub", c.username, "#", acl_access::subscribe));
    }
    std::set<std::string> actual_reads;
    for (const std::string& line : received(read_file(dir_.file(c.id + ".log")))) {
      if (line.find(" by-admin") != std::string::npos) actual_reads.insert(line);
    }
    EXPECT_EQ(actual_reads, expected_reads) << c.id;
  }
}

}  // namespace
}  // namespace postcard::native
