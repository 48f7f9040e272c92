// Writes the codec fuzzer's seed corpus (tests/fuzz/corpus/codec): valid packets of every type in
// every version, built with the codec's own encoder, one file each plus a few multi-packet streams.
// Each file starts with the fuzzer's chunking seed byte. Usage: gen_codec_corpus OUTPUT_DIR
#include <cstdio>
#include <string>
#include <vector>

#include "codec/codec.hpp"

using namespace postcard;

namespace {

int written = 0;

void write(const std::string& dir, const std::string& name, std::uint8_t seed, const std::vector<std::uint8_t>& b) {
  const std::string path = dir + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return;
  std::fputc(seed, f);
  std::fwrite(b.data(), 1, b.size(), f);
  std::fclose(f);
  ++written;
}

std::vector<std::uint8_t> enc(const packet& p, protocol_version v) {
  std::vector<std::uint8_t> out;
  if (encode(p, v, out) != codec_error::ok) std::fprintf(stderr, "seed does not encode\n");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string dir = argv[1];
  static const std::uint8_t blob[] = {1, 2, 3};
  properties full;
  full.user_properties = {{"k", "v"}};
  for (auto v : {protocol_version::v3_1, protocol_version::v3_1_1, protocol_version::v5}) {
    const bool v5 = v == protocol_version::v5;
    const std::string tag = v == protocol_version::v3_1 ? "v31" : v == protocol_version::v3_1_1 ? "v311" : "v5";
    std::vector<std::pair<std::string, packet>> seeds;

    connect_packet c;
    c.version = v;
    c.client_id = "client";
    c.will = will_message{"will/t", bytes_view{blob}, qos::at_least_once, true, {}};
    c.username = "user";
    c.password = bytes_view{blob};
    if (v5) {
      c.props.session_expiry_interval = 30;
      c.props.receive_maximum = 10;
      c.props.authentication_method = "PLAIN";
      c.will->props.will_delay_interval = 5;
      c.will->props.content_type = "text";
    }
    seeds.emplace_back("connect", c);
    connack_packet ca{true, reason_code::success, {}};
    if (v5) ca.props.maximum_qos = 1, ca.props.assigned_client_identifier = "id", ca.props.topic_alias_maximum = 5;
    seeds.emplace_back("connack", ca);
    publish_packet p{false, qos::at_most_once, false, "a/b", 0, {}, bytes_view{blob}};
    seeds.emplace_back("publish0", p);
    p = publish_packet{true, qos::exactly_once, true, "sensors/1/temp", 9, {}, bytes_view{blob}};
    if (v5) {
      p.props.payload_format_indicator = 1;
      p.props.message_expiry_interval = 60;
      p.props.response_topic = "re";
      p.props.correlation_data = bytes_view{blob};
      p.props.subscription_identifiers = {1, 200};
      p.props.topic_alias = 3;
      p.props.user_properties = {{"k", "v"}};
    }
    seeds.emplace_back("publish2", p);
    for (auto t : {packet_type::puback, packet_type::pubrec, packet_type::pubrel, packet_type::pubcomp}) {
      ack_packet a{t, 5, reason_code::success, {}};
      seeds.emplace_back(std::string(to_string(t)), a);
      if (v5) {
        a.reason = t >= packet_type::pubrel ? reason_code::packet_identifier_not_found : reason_code::quota_exceeded;
        a.props.reason_string = "r";
        seeds.emplace_back(std::string(to_string(t)) + "_reason", a);
      }
    }
    subscribe_packet s{7, {}, {{"a/#", qos::at_least_once}, {"+/b", qos::exactly_once, true, true,
                                                              retain_handling::do_not_send}}};
    if (v5) s.props.subscription_identifiers = {4};
    seeds.emplace_back("subscribe", s);
    seeds.emplace_back("suback", suback_packet{7, {}, {reason_code::granted_qos_1, reason_code::unspecified_error}});
    seeds.emplace_back("unsubscribe", unsubscribe_packet{8, v5 ? full : properties{}, {"a/#", "x"}});
    seeds.emplace_back("unsuback", unsuback_packet{8, {}, {reason_code::success, reason_code::no_subscription_existed}});
    seeds.emplace_back("pingreq", pingreq_packet{});
    seeds.emplace_back("pingresp", pingresp_packet{});
    disconnect_packet d;
    if (v5) d.reason = reason_code::server_moved, d.props.server_reference = "other";
    seeds.emplace_back("disconnect", d);
    if (v5) {
      auth_packet au{reason_code::continue_authentication, {}};
      au.props.authentication_method = "SCRAM";
      au.props.authentication_data = bytes_view{blob};
      seeds.emplace_back("auth", au);
    }

    std::vector<std::uint8_t> stream;
    std::uint8_t seed = static_cast<std::uint8_t>(v);
    for (const auto& [name, pk] : seeds) {
      const auto b = enc(pk, v);
      write(dir, tag + "_" + name, seed++, b);
      stream.insert(stream.end(), b.begin(), b.end());
    }
    write(dir, tag + "_stream", 0x11, stream);
    write(dir, tag + "_stream_small_max", 0xF0, stream);
  }
  std::printf("%d files\n", written);
  return 0;
}
