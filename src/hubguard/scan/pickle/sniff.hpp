// A cheap content test for "these bytes start a pickle", run on every file and member,
// so it must be fast and must not mistake text for a pickle.
//
// Heuristic: (1) the first byte must be PROTO (0x80) followed by a version 2..5, or one of
// the opcodes protocol 0/1 pickles start with ('(' ']' '}' ')' 'c' 'N' 'I' 'L' 'F' 'S' 'V'
// 'K' 'J' 'M' 'G' 'T' 'U' 'X' 'B' 'C' 'P' 0x88 0x89 0x8c); (2) the symbolic VM then runs
// over at most the first 4 KiB for at most 64 opcodes and the start is accepted when those
// opcodes are consistent: it reaches STOP, or runs all 64 opcodes, or runs out of the
// window/data after enough valid opcodes (2 after PROTO, 4 otherwise); a stream that
// breaks on a bad opcode is still accepted when it already imported a global with a valid
// Python name (a loader would have imported it). Any import whose names are not Python
// identifiers rejects the start: text such as "cmake_minimum_required(...)" begins with
// 'c' (GLOBAL) but its "module name" is not an identifier.
#pragma once

#include "hubguard/core/bytes.hpp"

namespace hubguard::scan::pickle {

bool looks_like_pickle(Bytes data);

}  // namespace hubguard::scan::pickle
