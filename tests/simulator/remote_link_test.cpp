// Remote mode's link model with a scripted transport host (no sockets; native and wasm): the up link
// delays what reaches the socket, bytes from the socket are reassembled into whole packets and delayed
// by the down link, and half-open / close behave as in-tab.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "sim_test_util.hpp"

namespace postcard::sim {
namespace {

using namespace test;

struct fake_host : transport_host {
  world* w = nullptr;
  std::vector<std::uint32_t> opened;
  std::vector<std::pair<std::uint64_t, std::vector<std::uint8_t>>> sent;  // (virtual time, bytes)
  std::vector<std::uint64_t> closed;
  void open(std::uint32_t dev) override { opened.push_back(dev); }
  void send(std::uint32_t, bytes_view b) override { sent.emplace_back(w->now(), std::vector<std::uint8_t>(b.begin(), b.end())); }
  void close(std::uint32_t) override { closed.push_back(w->now()); }
};

constexpr const char* scenario_text = R"({"duration_ms": 10000, "devices": [
  {"id": "d", "kind": "subscriber", "protocol": "3.1.1", "keepalive_s": 60, "link": {"latency_ms": 50},
   "subscriptions": ["t"]}],
  "actions": [{"at_ms": 1000, "do": "half_open", "device": "d"},
              {"at_ms": 2000, "do": "publish", "device": "d", "publish": {"topic": "x", "payload": "p"}},
              {"at_ms": 3000, "do": "heal", "device": "d"},
              {"at_ms": 5000, "do": "close", "device": "d"}]})";

const std::vector<std::uint8_t> connack{0x20, 0x02, 0x00, 0x00};
const std::vector<std::uint8_t> suback{0x90, 0x03, 0x00, 0x01, 0x00};
std::vector<std::uint8_t> publish(char payload) { return {0x30, 0x04, 0x00, 0x01, 't', static_cast<std::uint8_t>(payload)}; }

void feed(world& w, std::vector<std::uint8_t> bytes, std::uint64_t t) { w.transport_received(0, bytes_view(bytes), t); }

TEST(SimRemoteLink, UpLinkDelaysWhatReachesTheSocketAndDownLinkReassemblesWholePackets) {
  fake_host host;
  world w(parse(scenario_text), recording(), &host);
  host.w = &w;
  w.run_until(0);
  ASSERT_EQ(host.opened.size(), 1u);
  w.transport_opened(0, 10);
  EXPECT_TRUE(host.sent.empty()) << "the CONNECT is still on the up link";
  w.run_until(59);
  EXPECT_TRUE(host.sent.empty());
  w.run_until(60);
  ASSERT_EQ(host.sent.size(), 1u);
  EXPECT_EQ(host.sent[0].first, 60u);
  EXPECT_EQ(host.sent[0].second[0], 0x10) << "CONNECT";

  // The CONNACK arrives one byte at a time: the client gets it whole, 50 ms after the last byte.
  for (std::size_t i = 0; i < connack.size(); ++i) feed(w, {connack[i]}, 100 + std::uint64_t{i});
  w.run_until(152);
  EXPECT_FALSE(w.device(0).connected);
  w.run_until(153);
  EXPECT_TRUE(w.device(0).connected);
  w.run_until(203);
  ASSERT_EQ(host.sent.size(), 2u);
  EXPECT_EQ(host.sent[1].first, 203u);
  EXPECT_EQ(host.sent[1].second[0], 0x82) << "SUBSCRIBE after CONNACK, one up-link latency later";

  // SUBACK, a PUBLISH and half of another in one chunk; the rest later.
  std::vector<std::uint8_t> chunk = suback;
  for (auto b : publish('a')) chunk.push_back(b);
  const auto second = publish('b');
  chunk.insert(chunk.end(), second.begin(), second.begin() + 3);
  feed(w, chunk, 300);
  feed(w, std::vector<std::uint8_t>(second.begin() + 3, second.end()), 320);
  w.run_until(369);
  EXPECT_EQ(w.messages(0).size(), 1u);
  w.run_until(370);
  ASSERT_EQ(w.messages(0).size(), 2u);
  EXPECT_EQ(w.messages(0)[0].time_ms, 350u);
  EXPECT_EQ(w.messages(0)[1].payload, "b");

  std::vector<std::vector<std::uint8_t>> down;
  for (const auto& e : w.drain_events()) {
    if (e.kind == sim_event_kind::packet_delivered && e.dir == direction::down) down.push_back(e.bytes);
  }
  ASSERT_EQ(down.size(), 4u) << "CONNACK, SUBACK, two PUBLISHes";
  EXPECT_EQ(down[0], connack);
  EXPECT_EQ(down[1], suback);
  EXPECT_EQ(down[2], publish('a'));
  EXPECT_EQ(down[3], publish('b'));
}

TEST(SimRemoteLink, HalfOpenDropsBothWaysAndHidesTheCloseThenCloseClosesTheSocket) {
  fake_host host;
  world w(parse(scenario_text), recording(), &host);
  host.w = &w;
  w.run_until(0);
  w.transport_opened(0, 0);
  feed(w, connack, 100);
  w.run_until(500);
  ASSERT_TRUE(w.device(0).connected);
  feed(w, suback, 500);
  const std::size_t sent_before = host.sent.size();
  w.drain_events();

  w.run_until(1000);                 // half-open
  feed(w, publish('c'), 1100);       // vanishes
  w.run_until(2500);                 // the device's PUBLISH at 2000 vanishes too
  w.transport_closed(0, 2600);       // the broker closed: nobody hears it
  w.run_until(2900);
  EXPECT_TRUE(w.device(0).connected);
  EXPECT_TRUE(w.device(0).link_down);
  EXPECT_EQ(host.sent.size(), sent_before);
  EXPECT_TRUE(host.closed.empty()) << "half-open keeps the socket";
  EXPECT_TRUE(w.messages(0).empty());
  std::size_t lost_up = 0, lost_down = 0;
  for (const auto& e : of_kind(w.drain_events(), sim_event_kind::packet_sent)) {
    if (!e.lost) continue;
    (e.dir == direction::up ? lost_up : lost_down) += 1;
    EXPECT_EQ(e.type, packet_type::publish);
  }
  EXPECT_EQ(lost_up, 1u);
  EXPECT_EQ(lost_down, 1u);
  EXPECT_EQ(w.stats().packets_lost, 2u);

  w.run_until(5000);  // heal at 3000, close at 5000
  ASSERT_EQ(host.closed.size(), 1u);
  EXPECT_EQ(host.closed[0], 5000u);
  EXPECT_FALSE(w.device(0).connected);
}

}  // namespace
}  // namespace postcard::sim
