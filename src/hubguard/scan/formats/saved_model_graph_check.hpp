// Judges the graphs of a parsed SavedModel: every node of every meta graph's GraphDef and of
// every function in its library (the bodies of tf.function, which is where TF2 puts almost
// all ops). Loading a SavedModel runs its graph ops with the loader's privileges, so the ops
// that reach outside the tensor world are reported:
//   - PyFunc / PyFuncStateless / EagerPyFunc: a callback into Python code (dangerous);
//   - ReadFile / WriteFile / MatchingFiles: file-system access (dangerous), with the path
//     when it is a constant in the graph;
//   - checkpoint and data ops (Save*/Restore*/ShardedFilename/MergeV2Checkpoints, readers,
//     dataset writers ...) whose path is a constant that leaves the model's directory
//     (absolute, `..`, a remote scheme): dangerous. A normal save with a placeholder or a
//     relative constant path is clean;
//   - PrintV2 writing to a file (`output_stream: file://...`): dangerous;
//   - ops that are neither standard TensorFlow ops nor functions of the library: they need a
//     custom-op shared library loaded first (suspicious, one finding per op name).
// Constant paths are resolved through Identity-like ops and StringJoin, the way a saver
// graph builds its file names.
#pragma once

#include "hubguard/scan/formats/proto/tf_saved_model.pb.h"
#include "hubguard/scan/scan_context.hpp"

namespace hubguard::scan {

void check_saved_model_graphs(const tfproto::SavedModel& model, ScanContext& ctx);

}  // namespace hubguard::scan
