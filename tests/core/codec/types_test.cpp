#include <gtest/gtest.h>

#include "codec/types.hpp"

namespace postcard {
namespace {

TEST(Types, PacketTypeNames) {
  EXPECT_EQ(to_string(packet_type::connect), "CONNECT");
  EXPECT_EQ(to_string(packet_type::auth), "AUTH");
  EXPECT_EQ(to_string(static_cast<packet_type>(0)), "RESERVED");
}

TEST(Types, ProtocolVersionNames) {
  EXPECT_EQ(to_string(protocol_version::v3_1), "3.1");
  EXPECT_EQ(to_string(protocol_version::v3_1_1), "3.1.1");
  EXPECT_EQ(to_string(protocol_version::v5), "5.0");
}

}  // namespace
}  // namespace postcard
