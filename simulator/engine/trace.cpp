// Trace lines: sim_events as JSON, packets decoded with the codec.
#include "trace.hpp"

#include <cstdio>

#include "codec/codec.hpp"
#include "json.hpp"

namespace postcard::sim {
namespace {

void hex(std::string& out, bytes_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  for (const std::uint8_t x : b) {
    out.push_back(digits[x >> 4]);
    out.push_back(digits[x & 15]);
  }
}

void member(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":";
  append_json_string(out, value);
}

void member(std::string& out, std::string_view key, std::uint64_t value) {
  out += ",\"";
  out += key;
  out += "\":";
  out += std::to_string(value);
}

void flag(std::string& out, std::string_view key, bool value) {
  out += ",\"";
  out += key;
  out += value ? "\":true" : "\":false";
}

bool printable(bytes_view b) {
  for (const std::uint8_t c : b) {
    if (c < 0x20 || c >= 0x7F) return false;
  }
  return true;
}

void props(std::string& out, const properties& p) {
  if (p.message_expiry_interval) member(out, "message_expiry_s", *p.message_expiry_interval);
  if (p.topic_alias) member(out, "topic_alias", *p.topic_alias);
  if (p.response_topic) member(out, "response_topic", *p.response_topic);
  if (p.correlation_data) member(out, "correlation_data", as_chars(*p.correlation_data));
  if (p.content_type) member(out, "content_type", *p.content_type);
  if (p.session_expiry_interval) member(out, "session_expiry_s", *p.session_expiry_interval);
  if (p.reason_string) member(out, "reason_string", *p.reason_string);
  if (!p.user_properties.empty()) {
    out += ",\"user_properties\":[";
    for (std::size_t i = 0; i < p.user_properties.size(); ++i) {
      out += i == 0 ? "[" : ",[";
      append_json_string(out, p.user_properties[i].name);
      out += ",";
      append_json_string(out, p.user_properties[i].value);
      out += "]";
    }
    out += "]";
  }
}

}  // namespace

std::string_view to_string(sim_event_kind k) {
  static constexpr std::string_view names[] = {"packet_sent", "packet_delivered", "connected", "offline", "crashed",
                                               "message", "will_fired", "dropped", "link", "action", "step",
                                               "published", "takeover"};
  return names[static_cast<std::size_t>(k)];
}

std::string describe_packet(bytes_view b, protocol_version version) {
  std::string out;
  if (b.size() < 2) return out;
  std::size_t pos = 1;
  while (pos < b.size() && (b[pos] & 0x80) != 0) ++pos;
  ++pos;
  if (pos > b.size()) return out;
  packet p;
  const bytes_view body = b.subspan(pos);
  const codec_error err = (b[0] >> 4) == 1 ? [&] {
    connect_packet c;
    const codec_error e = decode_connect(b[0], body, c);
    p = c;
    return e;
  }() : decode_packet(b[0], body, version, p);
  if (err != codec_error::ok) {
    member(out, "decode_error", describe(err));
    return out;
  }
  if (const auto* c = std::get_if<connect_packet>(&p)) {
    member(out, "client_id", c->client_id);
    member(out, "protocol", to_string(c->version));
    flag(out, "clean_start", c->clean_start);
    member(out, "keepalive_s", c->keep_alive);
    if (c->will) member(out, "will_topic", c->will->topic);
    props(out, c->props);
  } else if (const auto* ca = std::get_if<connack_packet>(&p)) {
    flag(out, "session_present", ca->session_present);
    member(out, "reason", static_cast<std::uint64_t>(ca->reason));
    props(out, ca->props);
  } else if (const auto* pub = std::get_if<publish_packet>(&p)) {
    member(out, "topic", pub->topic);
    member(out, "qos", static_cast<std::uint64_t>(pub->qos_level));
    flag(out, "retain", pub->retain);
    flag(out, "dup", pub->dup);
    if (pub->qos_level != qos::at_most_once) member(out, "packet_id", pub->packet_id);
    if (printable(pub->payload)) {
      member(out, "payload", as_chars(pub->payload));
    } else {
      std::string h;
      hex(h, pub->payload);
      member(out, "payload_hex", h);
    }
    props(out, pub->props);
  } else if (const auto* a = std::get_if<ack_packet>(&p)) {
    member(out, "packet_id", a->packet_id);
    if (a->reason != reason_code::success) member(out, "reason", static_cast<std::uint64_t>(a->reason));
  } else if (const auto* s = std::get_if<subscribe_packet>(&p)) {
    member(out, "packet_id", s->packet_id);
    out += ",\"filters\":[";
    for (std::size_t i = 0; i < s->topics.size(); ++i) {
      if (i > 0) out += ",";
      append_json_string(out, s->topics[i].filter);
    }
    out += "]";
  } else if (const auto* sa = std::get_if<suback_packet>(&p)) {
    member(out, "packet_id", sa->packet_id);
    out += ",\"reasons\":[";
    for (std::size_t i = 0; i < sa->reasons.size(); ++i) {
      if (i > 0) out += ",";
      out += std::to_string(static_cast<unsigned>(sa->reasons[i]));
    }
    out += "]";
  } else if (const auto* u = std::get_if<unsubscribe_packet>(&p)) {
    member(out, "packet_id", u->packet_id);
  } else if (const auto* ua = std::get_if<unsuback_packet>(&p)) {
    member(out, "packet_id", ua->packet_id);
  } else if (const auto* d = std::get_if<disconnect_packet>(&p)) {
    member(out, "reason", static_cast<std::uint64_t>(d->reason));
  }
  return out;
}

std::string trace_line(const sim_event& e, const world& w) {
  std::string out = "{\"t\":" + std::to_string(e.time_ms);
  member(out, "event", to_string(e.kind));
  if (e.device < w.device_count()) member(out, "device", w.device(e.device).id);
  switch (e.kind) {
    case sim_event_kind::packet_sent:
    case sim_event_kind::packet_delivered: {
      member(out, "dir", e.dir == direction::up ? "up" : "down");
      member(out, "type", postcard::to_string(e.type));
      member(out, "size", e.bytes.size());
      if (e.kind == sim_event_kind::packet_sent) {
        if (e.lost) flag(out, "lost", true);
        else member(out, "deliver_at", e.deliver_at);
      }
      const protocol_version v = e.device < w.device_count() ? w.device(e.device).protocol : protocol_version::v5;
      out += describe_packet(e.bytes, v);
      std::string h;
      hex(h, e.bytes);
      member(out, "hex", h);
      break;
    }
    case sim_event_kind::device_connected: flag(out, "session_present", e.flag); break;
    case sim_event_kind::message_received:
    case sim_event_kind::published:
      member(out, "topic", e.topic);
      member(out, "payload", e.payload);
      member(out, "qos", e.qos);
      flag(out, "retain", e.flag);
      break;
    case sim_event_kind::will_fired:
      member(out, "client_id", e.detail);
      member(out, "topic", e.topic);
      break;
    case sim_event_kind::message_dropped:
      member(out, "topic", e.topic);
      member(out, "reason", e.detail);
      break;
    case sim_event_kind::step:
      member(out, "step", e.index);
      member(out, "title", e.detail);
      flag(out, "met", e.flag);
      break;
    default:
      if (!e.detail.empty()) member(out, "detail", e.detail);
      if (!e.topic.empty()) member(out, "target", e.topic);
      break;
  }
  out += "}";
  return out;
}

}  // namespace postcard::sim
