// Which members of a container are worth scanning, decided from their first bytes. A
// multi-gigabyte checkpoint is mostly raw tensor storage: reading or decompressing all of it
// would make scan time grow with the weights, so each member is judged from a short prefix
// (at most kSniffSize bytes, i.e. one or a few pages) and only members that some handler
// recognises, that start like a pickle, that are text under a size bound, or that are small
// are handed to the engine. Raw storage never looks like any of these and is never read
// past its first page.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/limits.hpp"
#include "hubguard/scan/artifact.hpp"

namespace hubguard::scan {

// Bytes read (or decompressed) from the start of a member to decide.
inline constexpr std::size_t kSniffSize = 64 * 1024;
// Members this small are always handed on: they were read whole by the sniff anyway.
inline constexpr std::uint64_t kAlwaysScanSize = kSniffSize;

// True when `prefix` starts like a pickle: PROTO 0..5, or the usual first opcodes of a
// protocol 0/1 pickle (MARK, empty containers, GLOBAL "module\nname\n", INT/STRING lines).
bool looks_like_pickle_start(Bytes prefix);

// True when the prefix is plain text (no NUL, no control bytes but \t \n \r \f ESC).
bool looks_like_text(Bytes prefix);

// Hand the member on to the engine? `prefix` is the member's first min(kSniffSize, size)
// bytes; `full_size` its (declared or known) size; `parent` the container artifact.
bool worth_scanning(const Artifact& parent, const std::string& member_name, Bytes prefix,
                    std::uint64_t full_size, const ScanLimits& limits);

}  // namespace hubguard::scan
