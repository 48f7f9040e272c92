#include "world.hpp"

namespace postcard::broker_test {

world::world(config cfg, hooks* h) : engine_(std::make_unique<engine>(std::move(cfg), *this, h)) {}

connection_id world::open(protocol_version v, connection_info info) {
  const connection_id id = next_id_++;
  auto p = std::make_unique<peer>();
  p->id = id;
  p->version = v;
  peers_.emplace(id, std::move(p));
  if (info.remote_address.empty()) info.remote_address = "test:" + std::to_string(id);
  if (info.listener.empty()) info.listener = "test";
  engine_->open(id, info, now);
  return id;
}

void world::write(connection_id c, const packet& p) {
  bytes b;
  const codec_error e = encode(p, at(c).version, b);
  EXPECT_EQ(e, codec_error::ok) << describe(e);
  engine_->receive(c, b, now);
}

void world::write_raw(connection_id c, const bytes& b) { engine_->receive(c, b, now); }

void world::drop_transport(connection_id c) {
  at(c).closed = true;
  engine_->closed(c, now);
}

void world::advance(time_ms ms) {
  const time_ms end = now + ms;
  for (;;) {
    const time_ms d = engine_->next_deadline();
    if (d == no_deadline || d > end) break;
    if (d > now) now = d;
    engine_->tick(now);
  }
  now = end;
  engine_->tick(now);
}

std::vector<received> world::take(connection_id c) {
  auto& in = at(c).inbox;
  std::vector<received> out;
  while (!in.empty()) {
    out.push_back(std::move(in.front()));
    in.pop_front();
  }
  return out;
}

void world::send(connection_id conn, bytes_view b) {
  send_log.emplace_back(conn, b.size());
  auto it = peers_.find(conn);
  if (it == peers_.end()) {
    ADD_FAILURE() << "send to unknown connection " << conn;
    return;
  }
  peer& p = *it->second;
  ++p.sends;
  EXPECT_FALSE(p.closed) << "send after close on connection " << conn;
  p.fr.feed(b);
  frame fr;
  while (p.fr.next(fr) == frame_status::frame) {
    received r;
    r.raw.push_back(fr.first_byte);
    append_variable_byte_integer(static_cast<std::uint32_t>(fr.body.size()), r.raw);
    const std::size_t header = r.raw.size();
    r.raw.insert(r.raw.end(), fr.body.begin(), fr.body.end());
    const bytes_view body{r.raw.data() + header, fr.body.size()};
    const codec_error e = decode_packet(fr.first_byte, body, p.version, r.pkt);
    EXPECT_EQ(e, codec_error::ok) << "broker sent an undecodable packet: " << describe(e);
    p.inbox.push_back(std::move(r));
  }
  EXPECT_EQ(p.fr.error(), codec_error::ok);
}

void world::close(connection_id conn, disconnect_cause cause) {
  auto it = peers_.find(conn);
  if (it == peers_.end()) return;
  it->second->closed = true;
  it->second->cause = cause;
}

void world::event(const broker::event& e) {
  recorded_event r{e.kind,  e.conn,  std::string(e.client_id), e.reason, e.cause, e.drop, std::string(e.topic),
                   e.qos,   e.session_present, std::nullopt};
  if (e.packet) r.type = type_of(*e.packet);
  events.push_back(std::move(r));
}

void world::durable(const durable_change& ch) {
  recorded_change r{ch.what, std::string(ch.key), std::nullopt, std::nullopt};
  if (ch.retained) r.retained = *ch.retained;
  if (ch.session) r.session = *ch.session;
  r.with_outgoing = ch.with_outgoing;
  r.seq = ch.delivery ? ch.delivery->seq : ch.seq;
  changes.push_back(std::move(r));
  replayed.apply(ch);
}

connection_id world::connect(std::string_view client_id, const connect_options& o, connack_packet* ack_out) {
  const connection_id c = open(o.version);
  connect_packet p;
  p.version = o.version;
  p.clean_start = o.clean_start;
  p.keep_alive = o.keep_alive;
  p.props = o.props;
  p.client_id = client_id;
  p.will = o.will;
  p.username = o.username;
  p.password = o.password;
  write(c, packet{p});
  if (ack_out) {
    *ack_out = next<connack_packet>(c);
  }
  return c;
}

connection_id world::connect_v(std::string_view client_id, protocol_version v, bool clean) {
  connect_options o;
  o.version = v;
  o.clean_start = clean;
  connack_packet a;
  const connection_id c = connect(client_id, o, &a);
  EXPECT_EQ(a.reason, reason_code::success);
  return c;
}

void world::subscribe(connection_id c, std::string_view filter, std::uint8_t q, std::uint16_t id,
                      subscribe_topic options, std::uint32_t sub_id) {
  subscribe_packet s;
  s.packet_id = id;
  options.filter = filter;
  options.max_qos = static_cast<qos>(q);
  s.topics.push_back(options);
  if (sub_id != 0) s.props.subscription_identifiers.push_back(sub_id);
  write(c, packet{s});
}

void world::publish(connection_id c, std::string_view topic, std::string_view payload, std::uint8_t q, bool retain,
                    std::uint16_t id, properties props) {
  publish_packet p;
  p.topic = topic;
  p.payload = as_bytes(payload);
  p.qos_level = static_cast<qos>(q);
  p.retain = retain;
  p.packet_id = q == 0 ? 0 : (id == 0 ? 1 : id);
  p.props = std::move(props);
  write(c, packet{p});
}

void world::ack(connection_id c, packet_type t, std::uint16_t id, reason_code r) {
  ack_packet a;
  a.type = t;
  a.packet_id = id;
  a.reason = r;
  write(c, packet{a});
}

void world::disconnect(connection_id c, reason_code r, properties props) {
  disconnect_packet d;
  d.reason = r;
  d.props = std::move(props);
  write(c, packet{d});
}

std::size_t world::count_events(event_kind k) const {
  std::size_t n = 0;
  for (const auto& e : events) n += e.kind == k ? 1 : 0;
  return n;
}

const recorded_event* world::last_event(event_kind k) const {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->kind == k) return &*it;
  }
  return nullptr;
}

}  // namespace postcard::broker_test
