// The symbolic pickle VM: reads a pickle (protocols 0-5) opcode by opcode exactly as
// CPython's unpickler would, but instead of importing and calling it records what would be
// imported and called (see program.hpp). It never executes anything. A stream that breaks
// part-way still yields everything before the break, because a loader has already run
// those opcodes when it fails; every bound in ScanLimits that is hit is recorded in the
// Program (limits), never a crash. joblib files are read as joblib's own unpickler reads
// them: the raw array bytes it writes right after each NumpyArrayWrapper are stepped over,
// and an object array's nested pickle is run as part of the same program.
#pragma once

#include <cstddef>
#include <vector>

#include "hubguard/core/bytes.hpp"
#include "hubguard/core/limits.hpp"
#include "hubguard/scan/pickle/program.hpp"

namespace hubguard::scan::pickle {

// Runs one pickle starting at `offset` (up to and including its STOP opcode).
Program run_pickle(Bytes data, std::size_t offset, const ScanLimits& limits);

// Several pickles written one after another (torch legacy format, joblib, hand-made
// streams): runs the VM from the end of each pickle while bytes remain, the previous pickle
// stopped cleanly and the next bytes look like a pickle (looks_like_pickle), at most
// limits.max_pickles_per_stream times.
struct PickleStream {
  std::vector<Program> pickles;
  std::size_t end = 0;            // offset after the last pickle read
  bool pickle_limit_hit = false;  // more pickles followed than max_pickles_per_stream
};
PickleStream run_pickle_stream(Bytes data, std::size_t offset, const ScanLimits& limits);

}  // namespace hubguard::scan::pickle
