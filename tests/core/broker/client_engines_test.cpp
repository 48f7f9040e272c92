// The broker engine with Postcard's own client engines as peers, piped through the world.
#include <variant>

#include "client/engine.hpp"
#include "world.hpp"

namespace postcard::broker_test {
namespace {

struct client_peer {
  client::engine eng;
  connection_id conn = 0;
  bool connected = false;
  std::vector<client::message_event> messages;
  std::size_t completed = 0;

  client_peer(world& w, std::string id, protocol_version v) : eng([&] {
    client::options o;
    o.protocol = v;
    o.client_id = std::move(id);
    o.keepalive = 30;
    return o;
  }()) {
    conn = w.open(v);
    eng.connection_opened(w.now);
  }
};

// Moves bytes both ways until nothing moves.
void pump(world& w, std::initializer_list<client_peer*> peers) {
  for (int round = 0; round < 100; ++round) {
    bool moved = false;
    for (client_peer* p : peers) {
      client::output out;
      p->eng.drain(out);
      for (auto& e : out.events) {
        if (auto* m = std::get_if<client::message_event>(&e)) p->messages.push_back(*m);
        if (std::holds_alternative<client::connected_event>(e)) p->connected = true;
        if (std::holds_alternative<client::publish_completed_event>(e)) ++p->completed;
      }
      if (!out.bytes.empty()) {
        w.write_raw(p->conn, out.bytes);
        moved = true;
      }
      for (auto& r : w.take(p->conn)) {
        p->eng.receive(r.raw, w.now);
        moved = true;
      }
    }
    if (!moved) return;
  }
  ADD_FAILURE() << "the pipes never settled";
}

client::subscription sub(std::string filter, qos q) {
  client::subscription s;
  s.filter = std::move(filter);
  s.max_qos = q;
  return s;
}

void exchange(protocol_version pub_v, protocol_version sub_v) {
  world w;
  client_peer a(w, "alice", sub_v);
  client_peer b(w, "bob", pub_v);
  pump(w, {&a, &b});
  ASSERT_TRUE(a.connected);
  ASSERT_TRUE(b.connected);
  const client::subscription subs[] = {sub("chat/#", qos::exactly_once)};
  a.eng.subscribe(subs, {}, w.now);
  pump(w, {&a, &b});
  for (std::uint8_t q = 0; q <= 2; ++q) {
    client::publish_options o;
    o.qos_level = static_cast<qos>(q);
    const std::string payload = "hello " + std::to_string(q);
    b.eng.publish("chat/room", as_bytes(payload), o, w.now);
  }
  pump(w, {&a, &b});
  ASSERT_EQ(a.messages.size(), 3u);
  for (std::uint8_t q = 0; q <= 2; ++q) {
    EXPECT_EQ(a.messages[q].topic, "chat/room");
    EXPECT_EQ(std::string(a.messages[q].payload.begin(), a.messages[q].payload.end()), "hello " + std::to_string(q));
    EXPECT_EQ(a.messages[q].qos_level, static_cast<qos>(q));
  }
  EXPECT_EQ(b.completed, 3u);  // QoS 0 written, QoS 1 PUBACK, QoS 2 PUBCOMP
  EXPECT_EQ(w.broker().stats(w.now).stored_messages, 0u);  // every flow finished on both sides
}

TEST(ClientEngines, V5ToV5AllQoS) { exchange(protocol_version::v5, protocol_version::v5); }
TEST(ClientEngines, V311ToV5AllQoS) { exchange(protocol_version::v3_1_1, protocol_version::v5); }
TEST(ClientEngines, V5ToV311AllQoS) { exchange(protocol_version::v5, protocol_version::v3_1_1); }
TEST(ClientEngines, V31ToV311AllQoS) { exchange(protocol_version::v3_1, protocol_version::v3_1_1); }

TEST(ClientEngines, KeepAlivePingsKeepTheConnection) {
  world w;
  client_peer a(w, "alice", protocol_version::v5);
  pump(w, {&a});
  for (int i = 0; i < 10; ++i) {
    w.now += 10'000;
    a.eng.tick(w.now);
    w.broker().tick(w.now);
    pump(w, {&a});
  }
  EXPECT_FALSE(w.is_closed(a.conn));
}

}  // namespace
}  // namespace postcard::broker_test
