// Test-side encoders (base64, hex, zlib) that build obfuscated payloads for the decoding and
// code-analysis tests and the code-analysis benchmark. Written independently of the decoders
// under test in src/hubguard/scan/decode/, so a test checks one against the other.
#pragma once

#include <zlib.h>

#include <string>
#include <string_view>

namespace hubguard::scan::test {

inline std::string b64(std::string_view in, bool urlsafe = false, bool pad = true) {
  const char* a = urlsafe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += a[v >> 18];
    out += a[(v >> 12) & 63];
    out += a[(v >> 6) & 63];
    out += a[v & 63];
  }
  if (in.size() - i == 1) {
    unsigned v = (unsigned char)in[i] << 16;
    out += a[v >> 18];
    out += a[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (in.size() - i == 2) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += a[v >> 18];
    out += a[(v >> 12) & 63];
    out += a[(v >> 6) & 63];
    if (pad) out += "=";
  }
  return out;
}

inline std::string zlib_compress(std::string_view in) {
  uLongf n = compressBound(in.size());
  std::string out(n, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(in.data()),
           in.size());
  out.resize(n);
  return out;
}

}  // namespace hubguard::scan::test
