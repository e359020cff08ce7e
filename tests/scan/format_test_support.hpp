// Test helpers for the model-format handlers: a ScanContext that records everything a
// handler reports (code evidence included), and little-endian byte writers for building
// safetensors and GGUF files in memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hubguard/scan/format_handler.hpp"

namespace hubguard::scan::testing {

class FormatContext final : public ScanContext {
 public:
  ScanOptions opts;
  std::vector<std::string> formats;
  std::vector<report::Finding> findings;
  std::vector<CodeEvidence> code;
  std::vector<Artifact> children;
  std::vector<std::string> errors;

  const ScanOptions& options() const override { return opts; }
  void set_format(std::string f) override { formats.push_back(std::move(f)); }
  void add_finding(report::Finding f) override { findings.push_back(std::move(f)); }
  void add_code(CodeEvidence c) override { code.push_back(std::move(c)); }
  void add_child(Artifact child) override { children.push_back(std::move(child)); }
  void add_program(std::string) override {}
  void unscannable(std::string reason) override { errors.push_back(std::move(reason)); }
  bool charge_decompressed(std::uint64_t) override { return true; }

  bool has_rule(std::string_view rule) const {
    for (const auto& f : findings)
      if (f.rule == rule) return true;
    return false;
  }
  bool has_rule_prefix(std::string_view prefix) const {
    for (const auto& f : findings)
      if (f.rule.rfind(prefix, 0) == 0) return true;
    return false;
  }
  const report::Finding* rule(std::string_view rule) const {
    for (const auto& f : findings)
      if (f.rule == rule) return &f;
    return nullptr;
  }
  report::Verdict worst() const {
    report::Verdict v = report::Verdict::clean;
    for (const auto& f : findings) v = report::worst(v, f.verdict);
    return v;
  }
  std::string dump() const {
    std::string out;
    for (const auto& e : errors) out += "error: " + e + "\n";
    for (const auto& f : findings) out += f.rule + ": " + f.message + " | " + f.evidence + "\n";
    for (const auto& c : children) out += "child: " + c.name + "\n";
    return out;
  }
};

inline Artifact artifact_of(const std::string& data, std::string name = "file") {
  Artifact a;
  a.bytes = as_bytes(data);
  a.name = std::move(name);
  return a;
}

inline void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A safetensors file from its header JSON text and data section.
inline std::string make_safetensors(const std::string& header, const std::string& data) {
  std::string out;
  put_le(out, header.size(), 8);
  return out + header + data;
}

}  // namespace hubguard::scan::testing

namespace hubguard::scan::testing {

// A GGUF writer for tests: version 1 uses 32-bit counts and lengths, 2-3 64-bit.
class GgufBuilder {
 public:
  explicit GgufBuilder(unsigned version = 3) : version_(version) {}
  GgufBuilder& kv_string(const std::string& key, const std::string& value) {
    str(kvs_, key);
    put_le(kvs_, 8, 4);
    str(kvs_, value);
    ++kv_count_;
    return *this;
  }
  GgufBuilder& kv_u32(const std::string& key, std::uint32_t value) {
    str(kvs_, key);
    put_le(kvs_, 4, 4);
    put_le(kvs_, value, 4);
    ++kv_count_;
    return *this;
  }
  GgufBuilder& kv_string_array(const std::string& key, const std::vector<std::string>& items) {
    str(kvs_, key);
    put_le(kvs_, 9, 4);
    put_le(kvs_, 8, 4);
    len(kvs_, items.size());
    for (const auto& s : items) str(kvs_, s);
    ++kv_count_;
    return *this;
  }
  GgufBuilder& kv_raw(const std::string& key, std::uint32_t type, const std::string& payload) {
    str(kvs_, key);
    put_le(kvs_, type, 4);
    kvs_ += payload;
    ++kv_count_;
    return *this;
  }
  GgufBuilder& tensor(const std::string& name, std::vector<std::uint64_t> dims, std::uint32_t type,
                      std::uint64_t offset) {
    str(tensors_, name);
    put_le(tensors_, dims.size(), 4);
    for (auto d : dims) put_le(tensors_, d, version_ == 1 ? 4 : 8);
    put_le(tensors_, type, 4);
    put_le(tensors_, offset, 8);
    ++tensor_count_;
    return *this;
  }
  std::string build(std::size_t data_bytes = 32, std::size_t alignment = 32) const {
    std::string out = "GGUF";
    put_le(out, version_, 4);
    len(out, tensor_count_);
    len(out, kv_count_);
    out += kvs_ + tensors_;
    if (tensor_count_ > 0) {
      out.append((alignment - out.size() % alignment) % alignment, '\0');
      out.append(data_bytes, '\x11');
    }
    return out;
  }
  void len(std::string& out, std::uint64_t n) const { put_le(out, n, version_ == 1 ? 4 : 8); }
  void str(std::string& out, const std::string& s) const {
    len(out, s.size());
    out += s;
  }

 private:
  unsigned version_;
  std::string kvs_, tensors_;
  std::uint64_t kv_count_ = 0, tensor_count_ = 0;
};

}  // namespace hubguard::scan::testing
