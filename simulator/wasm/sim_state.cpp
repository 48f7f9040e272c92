// sim_host: the state panels read (devices, broker, statistics, lesson results) and the packet decoder.
#include <algorithm>
#include <string>

#include "batch.hpp"
#include "codec/codec.hpp"
#include "sim_binding.hpp"
#include "to_json.hpp"

namespace postcard::sim::wasm {
namespace {

using postcard::wasm::json_writer;

bool printable(bytes_view b) {
  for (const std::uint8_t c : b) {
    if (c < 0x20 || c >= 0x7F) return false;
  }
  return true;
}

std::string hex(bytes_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (const std::uint8_t c : b) {
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

// Text when it is printable ASCII (or valid-looking UTF-8 is left to the page), else hex.
void payload_fields(json_writer& w, bytes_view payload) {
  w.field("payloadSize", static_cast<std::uint64_t>(payload.size()));
  if (printable(payload)) {
    w.field("payload", as_chars(payload));
  } else {
    w.field("payloadHex", hex(payload));
  }
}

}  // namespace

std::string sim_host::devices(std::uint32_t first, std::uint32_t count) const {
  // Compact rows: [id, broker, protocol, connected, powered, linkDown, state, published, received,
  // connects, offline, packetsLost].
  std::string out;
  json_writer w{out};
  const std::size_t total = world_ ? world_->device_count() : 0;
  const std::size_t end = std::min<std::size_t>(total, std::size_t{first} + count);
  w.open();
  w.field("total", static_cast<std::uint64_t>(total));
  w.key("rows");
  w.open_array();
  for (std::size_t i = first; i < end; ++i) {
    const device_info d = world_->device(i);
    w.element();
    w.open_array();
    w.element(); w.str(d.id);
    w.element(); w.num(static_cast<std::uint64_t>(d.broker));
    w.element(); w.num(static_cast<std::uint64_t>(d.protocol));
    w.element(); w.boolean(d.connected);
    w.element(); w.boolean(d.powered);
    w.element(); w.boolean(d.link_down);
    w.element(); w.str(d.state);
    w.element(); w.num(d.published);
    w.element(); w.num(d.received);
    w.element(); w.num(d.connects);
    w.element(); w.num(d.offline);
    w.element(); w.num(d.packets_lost);
    w.close_array();
  }
  w.close_array();
  w.close();
  return out;
}

std::string sim_host::broker_state(std::uint32_t b, std::uint32_t limit) const {
  if (!world_ || b >= world_->broker_count()) return "null";
  broker::engine* engine = world_->broker_engine(b);
  if (engine == nullptr) return "null";  // remote mode
  const broker::time_ms now = world_->now();
  std::string out;
  json_writer w{out};
  w.open();
  w.field("name", world_->config().brokers.at(b).name);
  const broker::counters c = engine->stats(now);
  w.key("counters");
  w.open();
  w.field("clientsConnected", c.clients_connected);
  w.field("clientsTotal", c.clients_total);
  w.field("clientsMaximum", c.clients_maximum);
  w.field("clientsExpired", c.clients_expired);
  w.field("messagesReceived", c.messages_received);
  w.field("messagesSent", c.messages_sent);
  w.field("publishReceived", c.publish_received);
  w.field("publishSent", c.publish_sent);
  w.field("publishDropped", c.publish_dropped);
  w.field("bytesReceived", c.bytes_received);
  w.field("bytesSent", c.bytes_sent);
  w.field("subscriptions", c.subscriptions);
  w.field("retainedMessages", c.retained_messages);
  w.field("storedMessages", c.stored_messages);
  w.close();
  const auto sessions = engine->sessions();
  w.key("sessions");
  w.open_array();
  for (std::size_t i = 0; i < sessions.size() && i < limit; ++i) {
    const auto& s = sessions[i];
    w.element();
    w.open();
    w.field("clientId", s.client_id);
    w.field_bool("connected", s.connected);
    w.field("protocol", static_cast<std::uint64_t>(s.version));
    w.field("expiryInterval", static_cast<std::uint64_t>(s.expiry_interval));
    w.field("subscriptions", static_cast<std::uint64_t>(s.subscriptions));
    w.field("inflight", static_cast<std::uint64_t>(s.inflight));
    w.field("queued", static_cast<std::uint64_t>(s.queued));
    w.close();
  }
  w.close_array();
  const auto subscriptions = engine->subscriptions();
  w.key("subscriptions");
  w.open_array();
  for (std::size_t i = 0; i < subscriptions.size() && i < limit; ++i) {
    const auto& s = subscriptions[i];
    w.element();
    w.open();
    w.field("clientId", s.client_id);
    w.field("filter", s.filter);
    w.field("qos", static_cast<std::uint64_t>(s.max_qos));
    if (s.identifier != 0) w.field("identifier", static_cast<std::uint64_t>(s.identifier));
    w.close();
  }
  w.close_array();
  // Retained messages with their payloads (the summary only has sizes): from the durable snapshot.
  w.key("retained");
  w.open_array();
  if (sessions.size() <= 1000) {
    const auto snapshot = engine->save(now);
    for (std::size_t i = 0; i < snapshot.retained.size() && i < limit; ++i) {
      const auto& m = snapshot.retained[i];
      w.element();
      w.open();
      w.field("topic", m.topic);
      w.field("qos", static_cast<std::uint64_t>(m.qos));
      payload_fields(w, bytes_view(m.payload.data(), m.payload.size()));
      w.close();
    }
  } else {
    const auto retained = engine->retained();
    for (std::size_t i = 0; i < retained.size() && i < limit; ++i) {
      w.element();
      w.open();
      w.field("topic", retained[i].topic);
      w.field("qos", static_cast<std::uint64_t>(retained[i].qos));
      w.field("payloadSize", static_cast<std::uint64_t>(retained[i].payload_size));
      w.close();
    }
  }
  w.close_array();
  w.field("sessionCount", static_cast<std::uint64_t>(sessions.size()));
  w.field("subscriptionCount", static_cast<std::uint64_t>(subscriptions.size()));
  w.close();
  return out;
}

std::string sim_host::stats() const {
  if (!world_) return "null";
  const sim_stats& s = world_->stats();
  std::string out;
  json_writer w{out};
  w.open();
  w.field("published", s.published);
  w.field("publishRefused", s.publish_refused);
  w.field("received", s.received);
  w.field("duplicates", s.duplicates);
  w.field("packetsSent", s.packets_sent);
  w.field("packetsLost", s.packets_lost);
  w.field("packetsDelivered", s.packets_delivered);
  w.field("bytesSent", s.bytes_sent);
  w.field("willsFired", s.wills_fired);
  w.field("connects", s.connects);
  w.field("disconnects", s.disconnects);
  w.field("crashes", s.crashes);
  w.field("brokerDropped", s.broker_dropped);
  w.field("itemsProcessed", s.items_processed);
  w.field("latencyP50", static_cast<std::uint64_t>(s.latency_percentile(50)));
  w.field("latencyP99", static_cast<std::uint64_t>(s.latency_percentile(99)));
  w.close();
  return out;
}

std::string sim_host::step_results() const {
  std::string out;
  json_writer w{out};
  w.open_array();
  for (std::size_t i = 0; world_ && i < world_->step_results().size(); ++i) {
    const step_result& r = world_->step_results()[i];
    w.element();
    w.open();
    w.field("step", static_cast<std::uint64_t>(r.step));
    w.field("timeMs", r.time_ms);
    w.key("results");
    w.open_array();
    for (const auto& e : r.results) {
      w.element();
      w.open();
      w.field_bool("met", e.met);
      w.field_bool("checked", e.checked);
      w.field("message", e.message);
      w.close();
    }
    w.close_array();
    w.close();
  }
  w.close_array();
  return out;
}

std::string sim_host::messages(std::uint32_t dev) const {
  std::string out;
  json_writer w{out};
  w.open_array();
  if (world_ && dev < world_->device_count()) {
    for (const auto& m : world_->messages(dev)) {
      w.element();
      w.open();
      w.field("timeMs", m.time_ms);
      w.field("topic", m.topic);
      w.field("payload", m.payload);
      w.field("qos", static_cast<std::uint64_t>(m.qos));
      w.field_bool("retain", m.retain);
      w.field_bool("dup", m.dup);
      w.close();
    }
  }
  w.close_array();
  return out;
}

std::string sim_host::decode(const std::string& packet_text, int protocol) const {
  const bytes_view b = as_bytes(packet_text);
  std::string out;
  json_writer w{out};
  w.open();
  std::size_t pos = 1;
  while (pos < b.size() && (b[pos] & 0x80) != 0) ++pos;
  ++pos;
  if (b.size() < 2 || pos > b.size()) {
    w.field("error", "truncated packet");
    w.close();
    return out;
  }
  w.field("headerSize", static_cast<std::uint64_t>(pos));
  w.field("remainingLength", static_cast<std::uint64_t>(b.size() - pos));
  const bytes_view body = b.subspan(pos);
  packet p;
  codec_error err = codec_error::ok;
  if ((b[0] >> 4) == 1) {
    connect_packet c;
    err = decode_connect(b[0], body, c);
    p = std::move(c);
  } else {
    const auto version = protocol == 5 ? protocol_version::v5
                         : protocol == 3 ? protocol_version::v3_1 : protocol_version::v3_1_1;
    err = decode_packet(b[0], body, version, p);
  }
  if (err != codec_error::ok) {
    w.field("error", describe(err));
    w.close();
    return out;
  }
  bytes_view attachment;
  w.key("packet");
  postcard::wasm::packet_json(w, p, attachment);
  if (const auto* c = std::get_if<connect_packet>(&p); c != nullptr && c->will) {
    w.key("will");
    w.open();
    payload_fields(w, attachment);
    w.close();
  } else if (std::holds_alternative<publish_packet>(p)) {
    payload_fields(w, attachment);
  }
  w.close();
  return out;
}

}  // namespace postcard::sim::wasm
