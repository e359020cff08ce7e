// The bounded protobuf wire reader: fields and their absolute offsets, skipped groups, and
// every malformation (lengths past the end, bad wire types, field 0, overlong varints,
// unmatched or too deeply nested groups) ending the walk with a reason, plus strict UTF-8.
#include "hubguard/scan/formats/protobuf_wire.hpp"

#include <gtest/gtest.h>

#include "protobuf_writer.hpp"

namespace hubguard::scan::protobuf {
namespace {

using testing::Proto;

std::vector<Field> all_fields(WireReader& r) {
  std::vector<Field> out;
  Field f;
  while (r.next(f)) out.push_back(f);
  return out;
}

TEST(ProtobufWire, ReadsEveryWireTypeWithAbsoluteOffsets) {
  Proto inner;
  inner.varint(1, 300);
  Proto p;
  p.varint(1, 7).bytes(2, "abc").fixed32(3, 0x01020304).message(4, inner);
  const std::string data = "xx" + p.str();  // the message starts at offset 2 of a bigger buffer
  WireReader r(as_bytes(data).subspan(2), 2);
  auto fields = all_fields(r);
  ASSERT_FALSE(r.failed()) << r.error();
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].number, 1u);
  EXPECT_EQ(fields[0].value, 7u);
  EXPECT_EQ(fields[0].offset, 2u);
  EXPECT_EQ(fields[1].text(), "abc");
  EXPECT_EQ(fields[1].payload_offset, 6u);  // key at 4, length at 5
  EXPECT_EQ(fields[2].value, 0x01020304u);
  WireReader nested = WireReader::nested(fields[3]);
  auto inner_fields = all_fields(nested);
  ASSERT_EQ(inner_fields.size(), 1u);
  EXPECT_EQ(inner_fields[0].value, 300u);
  EXPECT_EQ(inner_fields[0].offset, fields[3].payload_offset);
}

TEST(ProtobufWire, SkipsGroupsAndTheirNestedGroups) {
  Proto p;
  p.varint(1, 1).key(5, 3).varint(1, 2).key(6, 3).bytes(2, "x").key(6, 4).key(5, 4).varint(2, 9);
  WireReader r(as_bytes(p.str()));
  auto fields = all_fields(r);
  ASSERT_FALSE(r.failed()) << r.error();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[1].number, 2u);
  EXPECT_EQ(fields[1].value, 9u);
}

TEST(ProtobufWire, LengthPastTheEndNamesTheField) {
  Proto p;
  p.varint(1, 1).length_only(7, 1000).raw("short");
  WireReader r(as_bytes(p.str()));
  auto fields = all_fields(r);
  EXPECT_EQ(fields.size(), 1u);
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.failed_field(), 7u);
  EXPECT_NE(r.error().find("runs past the end"), std::string::npos) << r.error();
}

TEST(ProtobufWire, MalformedKeysAndValuesFail) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {std::string("\x00\x01", 2), "field number 0"},
      {"\x0e\x01", "wire type 6"},
      {"\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "overlong varint"},
      {"\x08", "truncated varint"},
      {"\x0d\x01\x02", "truncated fixed32"},
      {"\x0c", "end-group without start"},
      {"\x0b\x08\x01", "group never closed"},
      {"\x0b\x14", "end-group of another field"},
  };
  for (const auto& [bytes, what] : cases) {
    WireReader r(as_bytes(bytes));
    all_fields(r);
    EXPECT_TRUE(r.failed()) << what;
    EXPECT_FALSE(r.error().empty()) << what;
  }
}

TEST(ProtobufWire, GroupsNestedBeyondTheBoundFail) {
  Proto p;
  for (unsigned i = 0; i <= kMaxGroupDepth; ++i) p.key(1, 3);
  for (unsigned i = 0; i <= kMaxGroupDepth; ++i) p.key(1, 4);
  WireReader r(as_bytes(p.str()));
  all_fields(r);
  ASSERT_TRUE(r.failed());
  EXPECT_NE(r.error().find("nested deeper"), std::string::npos) << r.error();
}

TEST(ProtobufWire, StrictUtf8) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));          // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // cut short
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation byte
}

}  // namespace
}  // namespace hubguard::scan::protobuf
