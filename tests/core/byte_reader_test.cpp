#include "hubguard/core/byte_reader.hpp"

#include <gtest/gtest.h>

#include <array>

namespace hubguard {
namespace {

TEST(ByteReader, ReadsLittleAndBigEndianIntegers) {
  const std::array<std::uint8_t, 8> data{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  ByteReader r(data);
  EXPECT_EQ(r.u16le(), 0x0201);
  EXPECT_EQ(r.u32be(), 0x03040506u);
  EXPECT_EQ(r.remaining(), 2u);
}

TEST(ByteReader, RefusesToReadPastTheEnd) {
  const std::array<std::uint8_t, 3> data{1, 2, 3};
  ByteReader r(data);
  EXPECT_FALSE(r.u32le().has_value());
  EXPECT_EQ(r.offset(), 0u) << "a failed read must not move the cursor";
  EXPECT_FALSE(r.bytes(4).has_value());
  EXPECT_FALSE(r.skip(4));
  EXPECT_FALSE(r.seek(4));
  ASSERT_TRUE(r.bytes(3).has_value());
  EXPECT_TRUE(r.at_end());
  EXPECT_FALSE(r.u8().has_value());
}

TEST(ByteReader, HugeLengthsDoNotOverflow) {
  const std::array<std::uint8_t, 4> data{1, 2, 3, 4};
  ByteReader r(data, 2);
  EXPECT_FALSE(r.bytes(static_cast<std::size_t>(-1)).has_value());
  EXPECT_FALSE(r.skip(static_cast<std::size_t>(-1)));
}

TEST(ByteReader, ReadsLines) {
  const std::string text = "first\nsecond";
  ByteReader r(as_bytes(text));
  EXPECT_EQ(r.line(), "first");
  EXPECT_FALSE(r.line().has_value()) << "an unterminated last line is not a line";
}

}  // namespace
}  // namespace hubguard
