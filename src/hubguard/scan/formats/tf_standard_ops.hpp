// The names of TensorFlow's standard ops: the ops any TensorFlow build registers, so a
// SavedModel using only these needs no extra native code. A graph node whose op is neither
// one of these nor a function of the graph's own library can only run after a custom-op
// shared library (tf.load_op_library) has been loaded into the process: native code that
// came with the model, which the SavedModel handler reports.
//
// The list is hand-transcribed (not generated) from the tf.raw_ops index of TensorFlow's
// published API documentation (tensorflow/docs, site/en/api_docs/python/tf/_toc.yaml, the
// `tf.raw_ops` section, TensorFlow 2.3), plus ops added in later 2.x releases that SavedModels
// commonly contain (stateless RNG V2 ops, DisableCopyOnRead, XlaCallModule ...) and the
// internal ops graphs carry after optimisation (_Arg, _Retval, _FusedConv2D ...). An op
// missing here is reported as suspicious, never dangerous, so a gap costs a false positive,
// not a miss.
#pragma once

#include <cstddef>
#include <string_view>

namespace hubguard::scan {

bool is_standard_tf_op(std::string_view op);
std::size_t standard_tf_op_count();

}  // namespace hubguard::scan
