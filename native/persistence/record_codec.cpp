#include "persistence/record_codec.hpp"

#include <array>
#include <cstring>

namespace postcard::native::persistence {
namespace {

using broker::delivery_data;
using broker::message_data;
using broker::session_data;

// Slicing-by-8 tables: table[k][b] is the CRC of byte b followed by k zero bytes.
using crc_tables = std::array<std::array<std::uint32_t, 256>, 8>;
constexpr crc_tables make_crc_tables() {
  crc_tables t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  }
  return t;
}
constexpr crc_tables crc_table = make_crc_tables();

// --- encoding
struct writer {
  std::string& out;
  void u8(std::uint8_t v) { out.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v) { le(v, 2); }
  void u32(std::uint32_t v) { le(v, 4); }
  void u64(std::uint64_t v) { le(v, 8); }
  void le(std::uint64_t v, int n) {
    char b[8];
    for (int i = 0; i < n; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    out.append(b, static_cast<std::size_t>(n));
  }
  void bytes(const void* p, std::size_t n) {
    u32(static_cast<std::uint32_t>(n));
    out.append(static_cast<const char*>(p), n);
  }
  void str(std::string_view s) { bytes(s.data(), s.size()); }
};

void encode_message(writer& w, const message_data& m) {
  w.str(m.topic);
  w.bytes(m.payload.data(), m.payload.size());
  w.u8(m.qos);
  w.u8(m.retain ? 1 : 0);
  w.u8(m.payload_format_indicator ? 1 : 0);
  if (m.payload_format_indicator) w.u8(*m.payload_format_indicator);
  w.u8(m.content_type ? 1 : 0);
  if (m.content_type) w.str(*m.content_type);
  w.u8(m.response_topic ? 1 : 0);
  if (m.response_topic) w.str(*m.response_topic);
  w.u8(m.correlation_data ? 1 : 0);
  if (m.correlation_data) w.bytes(m.correlation_data->data(), m.correlation_data->size());
  w.u32(static_cast<std::uint32_t>(m.user_properties.size()));
  for (const auto& [k, v] : m.user_properties) {
    w.str(k);
    w.str(v);
  }
  w.u64(m.expires_at_ms);
}

void encode_delivery(writer& w, const delivery_data& d) {
  w.u64(d.seq);
  w.u8(static_cast<std::uint8_t>(d.st));
  w.u16(d.packet_id);
  w.u8(d.qos);
  w.u8(d.retain ? 1 : 0);
  w.u32(static_cast<std::uint32_t>(d.subscription_identifiers.size()));
  for (auto id : d.subscription_identifiers) w.u32(id);
  // Only the packet id matters once PUBREL is sent: no message body for awaiting_pubcomp.
  if (d.st != delivery_data::state::awaiting_pubcomp) encode_message(w, d.message);
}

void encode_session(writer& w, const session_data& s, bool with_outgoing) {
  w.str(s.client_id);
  w.u8(s.protocol_version);
  w.u32(s.expiry_interval);
  w.u64(s.disconnected_at_ms);
  w.u32(static_cast<std::uint32_t>(s.subscriptions.size()));
  for (const auto& sub : s.subscriptions) {
    w.str(sub.filter);
    w.str(sub.share_group);
    w.u8(sub.max_qos);
    w.u8(static_cast<std::uint8_t>((sub.no_local ? 1 : 0) | (sub.retain_as_published ? 2 : 0)));
    w.u8(sub.retain_handling);
    w.u32(sub.identifier);
  }
  w.u8(with_outgoing ? 1 : 0);
  w.u32(static_cast<std::uint32_t>(with_outgoing ? s.outgoing.size() : 0));
  if (with_outgoing) {
    for (const auto& d : s.outgoing) encode_delivery(w, d);
  }
  w.u32(static_cast<std::uint32_t>(s.incoming_qos2.size()));
  for (auto id : s.incoming_qos2) w.u16(id);
  w.u16(s.next_packet_id);
}

// Frames the body written by `fill` (type byte first) as one record.
template <class Fill>
void append_record(std::string& out, record_type type, Fill&& fill) {
  const std::size_t start = out.size();
  out.append(record_header_size, '\0');
  writer w{out};
  w.u8(static_cast<std::uint8_t>(type));
  fill(w);
  const std::size_t body = out.size() - start - record_header_size;
  const std::uint32_t crc = crc32(out.data() + start + record_header_size, body);
  for (int i = 0; i < 4; ++i) {
    out[start + static_cast<std::size_t>(i)] = static_cast<char>((body >> (8 * i)) & 0xFF);
    out[start + 4 + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  }
}

// --- decoding: every read checks the bytes left; a failed read poisons the reader.
struct reader {
  std::string_view in;
  bool ok = true;
  bool take(std::size_t n, const char*& p) {
    if (!ok || in.size() < n) return ok = false;
    p = in.data();
    in.remove_prefix(n);
    return true;
  }
  std::uint64_t le(int n) {
    const char* p = nullptr;
    if (!take(static_cast<std::size_t>(n), p)) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    return v;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(le(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(le(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(le(4)); }
  std::uint64_t u64() { return le(8); }
  std::string_view view() {
    const std::uint32_t n = u32();
    const char* p = nullptr;
    if (!take(n, p)) return {};
    return {p, n};
  }
  std::string str() { return std::string(view()); }
  std::vector<std::uint8_t> bytes() {
    auto v = view();
    return {v.begin(), v.end()};
  }
  // A count of items each at least `min_size` bytes long, checked against the bytes left.
  std::size_t count(std::size_t min_size) {
    const std::uint32_t n = u32();
    if (!ok || std::size_t{n} * min_size > in.size()) {
      ok = false;
      return 0;
    }
    return n;
  }
  bool flag() { return u8() != 0; }
};

bool read_message(reader& r, message_data& m) {
  m.topic = r.str();
  m.payload = r.bytes();
  m.qos = r.u8();
  m.retain = r.flag();
  if (r.flag()) m.payload_format_indicator = r.u8();
  if (r.flag()) m.content_type = r.str();
  if (r.flag()) m.response_topic = r.str();
  if (r.flag()) m.correlation_data = r.bytes();
  const std::size_t n = r.count(8);
  m.user_properties.reserve(n);
  for (std::size_t i = 0; i < n && r.ok; ++i) {
    auto k = r.str();
    auto v = r.str();
    m.user_properties.emplace_back(std::move(k), std::move(v));
  }
  m.expires_at_ms = r.u64();
  return r.ok && m.qos <= 2;
}

}  // namespace

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc) {
  const auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    const std::uint32_t lo = crc ^ (std::uint32_t{p[i]} | std::uint32_t{p[i + 1]} << 8 | std::uint32_t{p[i + 2]} << 16 |
                                    std::uint32_t{p[i + 3]} << 24);
    crc = crc_table[7][lo & 0xFF] ^ crc_table[6][(lo >> 8) & 0xFF] ^ crc_table[5][(lo >> 16) & 0xFF] ^
          crc_table[4][lo >> 24] ^ crc_table[3][p[i + 4]] ^ crc_table[2][p[i + 5]] ^ crc_table[1][p[i + 6]] ^
          crc_table[0][p[i + 7]];
  }
  for (; i < size; ++i) crc = crc_table[0][(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void append_change(std::string& out, const broker::durable_change& change) {
  using kind = broker::durable_change::kind;
  switch (change.what) {
    case kind::retained_set:
      if (change.retained) append_retained(out, *change.retained);
      break;
    case kind::session_set:
      if (change.session) append_session(out, *change.session, change.with_outgoing);
      break;
    case kind::delivery_added:
      if (!change.delivery) break;
      append_record(out, record_type::delivery_added, [&](writer& w) {
        w.str(change.key);
        w.u16(change.next_packet_id);
        encode_delivery(w, *change.delivery);
      });
      break;
    case kind::delivery_updated:
      append_record(out, record_type::delivery_updated, [&](writer& w) {
        w.str(change.key);
        w.u64(change.seq);
        w.u8(static_cast<std::uint8_t>(change.state));
        w.u16(change.packet_id);
        w.u16(change.next_packet_id);
      });
      break;
    case kind::delivery_removed:
      append_record(out, record_type::delivery_removed, [&](writer& w) {
        w.str(change.key);
        w.u64(change.seq);
        w.u16(change.next_packet_id);
      });
      break;
    case kind::retained_erased:
      append_record(out, record_type::retained_erased, [&](writer& w) { w.str(change.key); });
      break;
    case kind::session_erased:
      append_record(out, record_type::session_erased, [&](writer& w) { w.str(change.key); });
      break;
  }
}

void append_retained(std::string& out, const message_data& m) {
  append_record(out, record_type::retained_set, [&](writer& w) { encode_message(w, m); });
}

void append_session(std::string& out, const session_data& s, bool with_outgoing) {
  append_record(out, record_type::session_set, [&](writer& w) { encode_session(w, s, with_outgoing); });
}

void append_snapshot_end(std::string& out, std::uint64_t records) {
  append_record(out, record_type::snapshot_end, [&](writer& w) { w.u64(records); });
}

bool decode_message(std::string_view fields, message_data& out) {
  reader r{fields};
  return read_message(r, out) && r.in.empty();
}

namespace {

bool read_delivery(reader& r, delivery_data& d, bool with_seq) {
  if (with_seq) d.seq = r.u64();
  const auto st = r.u8();
  if (st > 3) return false;
  d.st = static_cast<delivery_data::state>(st);
  d.packet_id = r.u16();
  d.qos = r.u8();
  d.retain = r.flag();
  const std::size_t ids = r.count(4);
  d.subscription_identifiers.resize(ids);
  for (auto& id : d.subscription_identifiers) id = r.u32();
  if (d.st != delivery_data::state::awaiting_pubcomp && !read_message(r, d.message)) return false;
  return r.ok;
}

// format 1 (v1): no with_outgoing flag, deliveries without seq
bool read_session(std::string_view fields, session_data& s, bool v1, bool& with_outgoing) {
  reader r{fields};
  s.client_id = r.str();
  s.protocol_version = r.u8();
  s.expiry_interval = r.u32();
  s.disconnected_at_ms = r.u64();
  const std::size_t subs = r.count(15);
  s.subscriptions.resize(subs);
  for (auto& sub : s.subscriptions) {
    sub.filter = r.str();
    sub.share_group = r.str();
    sub.max_qos = r.u8();
    const auto flags = r.u8();
    sub.no_local = (flags & 1) != 0;
    sub.retain_as_published = (flags & 2) != 0;
    sub.retain_handling = r.u8();
    sub.identifier = r.u32();
    if (!r.ok) return false;
  }
  with_outgoing = v1 ? true : r.flag();
  const std::size_t outgoing = r.count(v1 ? 9 : 17);
  s.outgoing.resize(outgoing);
  for (auto& d : s.outgoing) {
    if (!read_delivery(r, d, !v1)) return false;
  }
  const std::size_t qos2 = r.count(2);
  s.incoming_qos2.resize(qos2);
  for (auto& id : s.incoming_qos2) id = r.u16();
  s.next_packet_id = r.u16();
  return r.ok && r.in.empty();
}

}  // namespace

bool decode_session(std::string_view fields, session_data& s) {
  bool with_outgoing = true;
  return read_session(fields, s, false, with_outgoing);
}

bool decode_session_v1(std::string_view fields, session_data& s) {
  bool with_outgoing = true;
  return read_session(fields, s, true, with_outgoing);
}

bool decode_session_change(const record_view& rec, decoded_change& out) {
  using kind = broker::durable_change::kind;
  out.change = {};
  auto& ch = out.change;
  switch (rec.type) {
    case record_type::session_set:
    case record_type::session_set_v1: {
      bool with_outgoing = true;
      if (!read_session(rec.fields, out.session, rec.type == record_type::session_set_v1, with_outgoing)) return false;
      ch.what = kind::session_set;
      ch.key = out.session.client_id;
      ch.session = &out.session;
      ch.with_outgoing = with_outgoing;
      return true;
    }
    case record_type::session_erased: {
      reader r{rec.fields};
      out.key = r.str();
      ch.what = kind::session_erased;
      ch.key = out.key;
      return r.ok && r.in.empty();
    }
    case record_type::delivery_added: {
      reader r{rec.fields};
      out.key = r.str();
      ch.next_packet_id = r.u16();
      out.delivery = {};
      if (!read_delivery(r, out.delivery, true) || !r.in.empty()) return false;
      ch.what = kind::delivery_added;
      ch.key = out.key;
      ch.delivery = &out.delivery;
      ch.seq = out.delivery.seq;
      return true;
    }
    case record_type::delivery_updated: {
      reader r{rec.fields};
      out.key = r.str();
      ch.seq = r.u64();
      const auto st = r.u8();
      ch.packet_id = r.u16();
      ch.next_packet_id = r.u16();
      if (!r.ok || !r.in.empty() || st > 3) return false;
      ch.state = static_cast<delivery_data::state>(st);
      ch.what = kind::delivery_updated;
      ch.key = out.key;
      return true;
    }
    case record_type::delivery_removed: {
      reader r{rec.fields};
      out.key = r.str();
      ch.seq = r.u64();
      ch.next_packet_id = r.u16();
      if (!r.ok || !r.in.empty()) return false;
      ch.what = kind::delivery_removed;
      ch.key = out.key;
      return true;
    }
    default:
      return false;
  }
}

bool decode_key(std::string_view fields, std::string_view& key) {
  reader r{fields};
  key = r.view();
  return r.ok;
}

bool decode_count(std::string_view fields, std::uint64_t& count) {
  reader r{fields};
  count = r.u64();
  return r.ok && r.in.empty();
}

}  // namespace postcard::native::persistence
