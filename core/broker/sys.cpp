// $SYS topics, with Mosquitto's names, published retained every sys_interval seconds (only the values
// that changed, except uptime). Also the periodic sweep of expired retained messages.
#include <string>
#include <utility>

#include "broker/state.hpp"

namespace postcard::broker {

void engine::impl::update_stats() {
  stats.clients_connected = connected_count;
  stats.clients_total = by_client_id.size();
  stats.subscriptions = trie.size();
  stats.retained_messages = retained.size();
  std::uint64_t stored = 0;
  for (const auto& s : slots) {
    if (s) stored += s->inflight.size() + s->queue.size();
  }
  stats.stored_messages = stored;
  stats.uptime_ms = now - started_at;
}

void engine::impl::publish_sys() {
  // Expired retained messages leave the store [MQTT-3.3.2-5]
  const std::size_t swept = retained.erase_if([this](std::string_view, const message_ptr& m) { return expired(*m); });
  (void)swept;
  update_stats();
  const std::pair<const char*, std::string> values[] = {
      {"$SYS/broker/version", cfg.version},
      {"$SYS/broker/uptime", std::to_string(stats.uptime_ms / 1000) + " seconds"},
      {"$SYS/broker/clients/connected", std::to_string(stats.clients_connected)},
      {"$SYS/broker/clients/total", std::to_string(stats.clients_total)},
      {"$SYS/broker/clients/maximum", std::to_string(stats.clients_maximum)},
      {"$SYS/broker/clients/expired", std::to_string(stats.clients_expired)},
      {"$SYS/broker/messages/received", std::to_string(stats.messages_received)},
      {"$SYS/broker/messages/sent", std::to_string(stats.messages_sent)},
      {"$SYS/broker/publish/messages/received", std::to_string(stats.publish_received)},
      {"$SYS/broker/publish/messages/sent", std::to_string(stats.publish_sent)},
      {"$SYS/broker/publish/messages/dropped", std::to_string(stats.publish_dropped)},
      {"$SYS/broker/bytes/received", std::to_string(stats.bytes_received)},
      {"$SYS/broker/bytes/sent", std::to_string(stats.bytes_sent)},
      {"$SYS/broker/subscriptions/count", std::to_string(stats.subscriptions)},
      {"$SYS/broker/retained messages/count", std::to_string(stats.retained_messages)},
      {"$SYS/broker/store/messages/count", std::to_string(stats.stored_messages)},
  };
  for (const auto& [topic_name, value] : values) {
    auto it = sys_last.find(std::string_view{topic_name});
    if (it != sys_last.end() && it->second == value) continue;
    if (it == sys_last.end()) {
      sys_last.emplace(topic_name, value);
    } else {
      it->second = value;
    }
    auto m = std::make_shared<message>();
    m->topic = topic_name;
    m->payload.assign(value.begin(), value.end());
    m->retain = cfg.retain_available;
    broker_publish(std::move(m));
  }
}

}  // namespace postcard::broker
