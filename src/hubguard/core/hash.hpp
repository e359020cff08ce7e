// Content hashing (SHA-256 via OpenSSL's libcrypto): result caches key files by content,
// and reports carry the hash so a person can look a file up elsewhere.
#pragma once

#include <string>

#include "hubguard/core/bytes.hpp"

namespace hubguard {

std::string sha256_hex(Bytes data);

}  // namespace hubguard
