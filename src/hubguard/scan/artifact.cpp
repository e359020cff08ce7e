#include "hubguard/scan/artifact.hpp"

namespace hubguard::scan {

std::string Artifact::member_path() const {
  std::string out;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (i > 0) out += "!/";
    out += chain[i];
  }
  return out;
}

Artifact child_view(const Artifact& parent, Bytes bytes, std::string member_name) {
  Artifact child;
  child.bytes = bytes;
  child.storage = parent.storage;
  child.chain = parent.chain;
  child.chain.push_back(member_name);
  child.name = std::move(member_name);
  child.depth = parent.depth + 1;
  if (!parent.bytes.empty() && bytes.data() >= parent.bytes.data() &&
      bytes.data() <= parent.bytes.data() + parent.bytes.size())
    child.offset_in_parent = static_cast<std::uint64_t>(bytes.data() - parent.bytes.data());
  return child;
}

Artifact child_owned(const Artifact& parent, ByteBuffer bytes, std::string member_name) {
  auto storage = std::make_shared<const ByteBuffer>(std::move(bytes));
  Artifact child;
  child.bytes = Bytes(storage->data(), storage->size());
  child.storage = std::move(storage);
  child.chain = parent.chain;
  child.chain.push_back(member_name);
  child.name = std::move(member_name);
  child.depth = parent.depth + 1;
  return child;
}

}  // namespace hubguard::scan
