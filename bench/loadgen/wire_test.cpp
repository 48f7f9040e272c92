// The generator's hand-encoded MQTT 3.1.1 packets, checked byte by byte against the spec's layouts,
// and the framing of a received byte stream.
#include "mqtt_wire.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace loadgen;

std::string bytes(std::initializer_list<int> list) {
    std::string out;
    for (int b : list) out.push_back(static_cast<char>(b));
    return out;
}

TEST(loadgen_wire, connect_is_clean_session_level_4) {
    std::string out;
    wire::connect(out, "ab", 60);
    EXPECT_EQ(out, bytes({0x10, 14,                            // CONNECT, Remaining Length
                          0, 4, 'M', 'Q', 'T', 'T', 4,         // protocol name, level 4
                          0x02, 0, 60,                         // Clean Session, Keep Alive 60
                          0, 2, 'a', 'b'}));                   // Client Identifier
}

TEST(loadgen_wire, subscribe_has_reserved_flags_0010) {
    std::string out;
    wire::subscribe(out, 1, "a/+", 1);
    EXPECT_EQ(out, bytes({0x82, 8, 0, 1, 0, 3, 'a', '/', '+', 1}));
}

TEST(loadgen_wire, publish_qos0_has_no_packet_identifier) {
    std::string out;
    wire::publish(out, "t", "xy", 0, 7);
    EXPECT_EQ(out, bytes({0x30, 5, 0, 1, 't', 'x', 'y'}));
}

TEST(loadgen_wire, publish_qos2_carries_the_packet_identifier) {
    std::string out;
    wire::publish(out, "t", "xy", 2, 0x1234);
    EXPECT_EQ(out, bytes({0x34, 7, 0, 1, 't', 0x12, 0x34, 'x', 'y'}));
}

TEST(loadgen_wire, acks_and_pubrel_flags) {
    std::string out;
    wire::ack(out, wire::packet_type::puback, 5);
    wire::ack(out, wire::packet_type::pubrec, 5);
    wire::ack(out, wire::packet_type::pubrel, 5);
    wire::ack(out, wire::packet_type::pubcomp, 5);
    EXPECT_EQ(out, bytes({0x40, 2, 0, 5, 0x50, 2, 0, 5, 0x62, 2, 0, 5, 0x70, 2, 0, 5}));
}

TEST(loadgen_wire, remaining_length_uses_continuation_bytes) {
    std::string out;
    wire::put_remaining_length(out, 321);
    EXPECT_EQ(out, bytes({0xC1, 0x02}));
    out.clear();
    wire::put_remaining_length(out, 268'435'455);
    EXPECT_EQ(out, bytes({0xFF, 0xFF, 0xFF, 0x7F}));
}

TEST(loadgen_wire, framing_waits_for_a_whole_packet) {
    std::string stream;
    wire::publish(stream, "topic", std::string(200, 'p'), 1, 9);
    wire::ack(stream, wire::packet_type::puback, 9);
    auto whole = stream.size();
    for (std::size_t cut = 0; cut < whole - 4; ++cut) {
        auto f = wire::next_frame(std::string_view(stream).substr(0, cut));
        EXPECT_EQ(f.size, 0u) << "cut at " << cut;
        EXPECT_FALSE(f.malformed);
    }
    auto first = wire::next_frame(stream);
    EXPECT_EQ(first.first, 0x32);
    EXPECT_EQ(first.body.size(), 2u + 5u + 2u + 200u);
    EXPECT_EQ(wire::get_u16(first.body, 7), 9);
    auto second = wire::next_frame(std::string_view(stream).substr(first.size));
    EXPECT_EQ(second.first, 0x40);
    EXPECT_EQ(second.size, 4u);
}

TEST(loadgen_wire, five_length_bytes_are_malformed) {
    auto f = wire::next_frame(bytes({0x30, 0x80, 0x80, 0x80, 0x80, 0x01}));
    EXPECT_TRUE(f.malformed);
}

} // namespace
