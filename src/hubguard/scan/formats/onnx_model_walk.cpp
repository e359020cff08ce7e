#include "hubguard/scan/formats/onnx_model_walk.hpp"

#include <array>
#include <map>
#include <utility>

#include "hubguard/scan/formats/protobuf_wire.hpp"

namespace hubguard::scan::onnx {
namespace {

using protobuf::Field;
using protobuf::WireReader;

// Bounds on what is remembered (the walk itself is linear in the bytes whatever they hold).
constexpr std::size_t kMaxForeignOps = 4096;
constexpr std::size_t kMaxExternalLocations = 4096;
constexpr std::size_t kMaxTexts = 4096;
constexpr std::size_t kMaxOpsetImports = 4096;
constexpr std::size_t kMaxFunctions = 65536;
constexpr std::uint64_t kMaxIrVersion = 64;  // 10 in 2024; room for the years to come
constexpr unsigned kMaxProbeFields = 64;

// ONNX's field numbers (onnx.proto), by message.
namespace model {
constexpr std::uint32_t ir_version = 1, producer_name = 2, producer_version = 3, domain = 4,
                        model_version = 5, doc_string = 6, graph = 7, opset_import = 8,
                        metadata_props = 14, training_info = 20, functions = 25;
}
namespace graph {
constexpr std::uint32_t node = 1, initializer = 5, doc_string = 10, sparse_initializer = 15;
}
namespace node {
constexpr std::uint32_t op_type = 4, attribute = 5, domain = 7;
}
namespace attribute {
constexpr std::uint32_t t = 5, g = 6, tensors = 10, graphs = 11, sparse_tensor = 22,
                        sparse_tensors = 23;
}
namespace tensor {
constexpr std::uint32_t name = 8, external_data = 13, data_location = 14;
constexpr std::uint64_t external = 1;  // DataLocation.EXTERNAL
}  // namespace tensor
namespace sparse {
constexpr std::uint32_t values = 1, indices = 2;
}
namespace entry {  // StringStringEntryProto and OperatorSetIdProto
constexpr std::uint32_t key = 1, value = 2;
}
namespace training {
constexpr std::uint32_t initialization = 1, algorithm = 2;
}
namespace function {
constexpr std::uint32_t name = 1, node = 7, doc_string = 8, opset_import = 9, domain = 10,
                        attribute_proto = 11;
}

class Walker {
 public:
  explicit Walker(ModelFacts& facts) : f_(facts) {}

  void model(Bytes bytes) {
    WireReader r(bytes);
    Field fd;
    while (ok() && r.next(fd)) {
      switch (fd.number) {
        case model::ir_version:
          if (fd.is_varint()) f_.ir_version = fd.value;
          break;
        case model::producer_name:
          text(fd, "producer_name");
          break;
        case model::producer_version:
          text(fd, "producer_version");
          break;
        case model::domain:
          text(fd, "domain");
          break;
        case model::doc_string:
          text(fd, "doc_string");
          break;
        case model::graph:
          graph(fd, 0, true);
          break;
        case model::opset_import:
          opset_import(fd);
          break;
        case model::metadata_props:
          metadata_prop(fd);
          break;
        case model::training_info:
          training_info(fd);
          break;
        case model::functions:
          function(fd);
          break;
        default:
          break;
      }
    }
    check(r, "ModelProto");
  }

 private:
  bool ok() const { return f_.error.empty(); }
  void fail(std::string why) {
    if (f_.error.empty()) f_.error = std::move(why);
  }
  void check(const WireReader& r, std::string_view message) {
    if (r.failed()) fail(std::string(message) + ": " + r.error());
  }
  // Visits the fields of the message held by `m` up to its end or its first fault, which is
  // recorded under the message's name.
  template <class Visit>
  void each_field(const Field& m, std::string_view message, Visit&& visit) {
    WireReader r = WireReader::nested(m);
    Field fd;
    while (ok() && r.next(fd)) visit(fd);
    check(r, message);
  }

  void text(const Field& fd, std::string key) {
    if (!fd.is_bytes() || fd.payload.empty()) return;
    if (f_.texts.size() >= kMaxTexts) {
      f_.lists_truncated = true;
      return;
    }
    f_.texts.push_back({std::move(key), fd.text(), fd.payload_offset});
  }

  void graph(const Field& g, unsigned depth, bool main) {
    if (!g.is_bytes()) return;
    if (depth > kMaxGraphDepth) {
      fail("subgraphs nested deeper than " + std::to_string(kMaxGraphDepth) + " levels at offset " +
           std::to_string(g.offset));
      return;
    }
    ++f_.graphs;
    each_field(g, "GraphProto", [&](const Field& fd) {
      switch (fd.number) {
        case graph::node:
          node(fd, depth);
          break;
        case graph::initializer:
          tensor(fd);
          break;
        case graph::sparse_initializer:
          sparse_tensor(fd);
          break;
        case graph::doc_string:
          if (main) text(fd, "graph.doc_string");
          break;
        default:
          break;
      }
    });
  }

  void node(const Field& n, unsigned depth) {
    if (!n.is_bytes()) return;
    ++f_.nodes;
    std::string_view op_type, domain;
    each_field(n, "NodeProto", [&](const Field& fd) {
      if (!fd.is_bytes()) return;
      switch (fd.number) {
        case node::op_type:  // singular fields: the last one wins, as in protobuf
          op_type = fd.text();
          break;
        case node::domain:
          domain = fd.text();
          break;
        case node::attribute:
          attribute(fd, depth);
          break;
        default:
          break;
      }
    });
    if (ok() && !is_standard_domain(domain)) foreign_op(domain, op_type, n.offset);
  }

  void foreign_op(std::string_view domain, std::string_view op_type, std::uint64_t offset) {
    auto it = op_index_.find({domain, op_type});
    if (it != op_index_.end()) {
      ++f_.foreign_ops[it->second].nodes;
      return;
    }
    if (f_.foreign_ops.size() >= kMaxForeignOps) {
      f_.lists_truncated = true;
      return;
    }
    op_index_.emplace(std::make_pair(domain, op_type), f_.foreign_ops.size());
    f_.foreign_ops.push_back({domain, op_type, offset, 1});
  }

  void attribute(const Field& a, unsigned depth) {
    each_field(a, "AttributeProto", [&](const Field& fd) {
      switch (fd.number) {
        case attribute::t:
        case attribute::tensors:
          tensor(fd);
          break;
        case attribute::g:
        case attribute::graphs:
          graph(fd, depth + 1, false);
          break;
        case attribute::sparse_tensor:
        case attribute::sparse_tensors:
          sparse_tensor(fd);
          break;
        default:
          break;
      }
    });
  }

  // Reads the tensor's name and where its data lives; raw_data and the typed data fields are
  // skipped by their length.
  void tensor(const Field& t) {
    if (!t.is_bytes()) return;
    ++f_.tensors;
    std::string_view name;
    std::uint64_t location_kind = 0;
    // `location` entries seen before data_location is known (field order is not guaranteed).
    std::array<std::pair<std::string_view, std::uint64_t>, 4> locations{};
    std::size_t n_locations = 0;
    each_field(t, "TensorProto", [&](const Field& fd) {
      switch (fd.number) {
        case tensor::name:
          if (fd.is_bytes()) name = fd.text();
          break;
        case tensor::data_location:
          if (fd.is_varint()) location_kind = fd.value;
          break;
        case tensor::external_data: {
          if (!fd.is_bytes()) break;
          const Entry e = string_entry(fd);
          if (e.key == "location") {
            if (n_locations < locations.size())
              locations[n_locations++] = {e.value, e.value_offset};
            else
              f_.lists_truncated = true;
          }
          break;
        }
        default:
          break;
      }
    });
    // Loaders read external data only for tensors marked EXTERNAL.
    if (!ok() || location_kind != tensor::external) return;
    ++f_.external_tensors;
    for (std::size_t i = 0; i < n_locations; ++i)
      external(locations[i].first, name, locations[i].second);
  }

  void external(std::string_view location, std::string_view tensor_name, std::uint64_t offset) {
    auto it = location_index_.find(location);
    if (it != location_index_.end()) {
      ++f_.external[it->second].tensors;
      return;
    }
    if (f_.external.size() >= kMaxExternalLocations) {
      f_.lists_truncated = true;
      return;
    }
    location_index_.emplace(location, f_.external.size());
    f_.external.push_back({location, tensor_name, offset, 1});
  }

  void sparse_tensor(const Field& s) {
    if (!s.is_bytes()) return;
    each_field(s, "SparseTensorProto", [&](const Field& fd) {
      if (fd.number == sparse::values || fd.number == sparse::indices) tensor(fd);
    });
  }

  struct Entry {
    std::string_view key, value;
    std::uint64_t value_offset = 0;
  };
  // A StringStringEntryProto's key and value (the last of each, as protobuf reads them).
  Entry string_entry(const Field& e) {
    Entry out;
    each_field(e, "StringStringEntryProto", [&](const Field& fd) {
      if (!fd.is_bytes()) return;
      if (fd.number == entry::key) out.key = fd.text();
      if (fd.number == entry::value) out.value = fd.text(), out.value_offset = fd.payload_offset;
    });
    return out;
  }

  void metadata_prop(const Field& p) {
    if (!p.is_bytes()) return;
    const Entry e = string_entry(p);
    if (e.value.empty()) return;
    if (f_.texts.size() >= kMaxTexts) {
      f_.lists_truncated = true;
      return;
    }
    f_.texts.push_back(
        {"metadata_props." + std::string(e.key.substr(0, 256)), e.value, e.value_offset});
  }

  void opset_import(const Field& o) {
    if (!o.is_bytes()) return;
    OpsetImport imp;
    imp.offset = o.offset;
    each_field(o, "OperatorSetIdProto", [&](const Field& fd) {
      if (fd.number == entry::key && fd.is_bytes()) imp.domain = fd.text();
      if (fd.number == entry::value && fd.is_varint()) imp.version = fd.value;
    });
    if (f_.opset_imports.size() >= kMaxOpsetImports) {
      f_.lists_truncated = true;
      return;
    }
    f_.opset_imports.push_back(imp);
  }

  void training_info(const Field& t) {
    if (!t.is_bytes()) return;
    each_field(t, "TrainingInfoProto", [&](const Field& fd) {
      if (fd.number == training::initialization || fd.number == training::algorithm)
        graph(fd, 0, false);
    });
  }

  void function(const Field& fn) {
    if (!fn.is_bytes()) return;
    LocalFunction local;
    each_field(fn, "FunctionProto", [&](const Field& fd) {
      switch (fd.number) {
        case function::name:
          if (fd.is_bytes()) local.name = fd.text();
          break;
        case function::domain:
          if (fd.is_bytes()) local.domain = fd.text();
          break;
        case function::node:
          node(fd, 0);
          break;
        case function::opset_import:
          opset_import(fd);
          break;
        case function::doc_string:
          text(fd, "function.doc_string");
          break;
        case function::attribute_proto:  // default attribute values may hold graphs
          if (fd.is_bytes()) attribute(fd, 0);
          break;
        default:
          break;
      }
    });
    if (f_.functions.size() >= kMaxFunctions) {
      fail("more than " + std::to_string(kMaxFunctions) + " model-local functions");
      return;
    }
    f_.functions.push_back(local);
  }

  ModelFacts& f_;
  std::map<std::pair<std::string_view, std::string_view>, std::size_t> op_index_;
  std::map<std::string_view, std::size_t> location_index_;
};

}  // namespace

bool is_standard_domain(std::string_view domain) {
  static constexpr std::array<std::string_view, 11> kStandard{
      "",  // ONNX default (ai.onnx)
      "ai.onnx",
      "ai.onnx.ml",
      "ai.onnx.preview",
      "ai.onnx.preview.training",
      "ai.onnx.training",
      "com.microsoft",  // onnxruntime contrib ops
      "com.microsoft.experimental",
      "com.microsoft.nchwc",  // onnxruntime's internal layout-optimised kernels
      "com.microsoft.dml",
      "com.ms.internal.nhwc",
  };
  for (auto d : kStandard)
    if (d == domain) return true;
  return false;
}

bool looks_like_model(Bytes bytes) {
  // Every protobuf writer in the ONNX ecosystem serialises fields in number order, so a model
  // starts with ir_version (field 1, varint: key byte 0x08).
  if (bytes.size() < 4 || bytes[0] != 0x08) return false;
  WireReader r(bytes);
  Field fd;
  if (!r.next(fd) || fd.number != model::ir_version || !fd.is_varint() || fd.value == 0 ||
      fd.value > kMaxIrVersion)
    return false;
  bool structure = false;
  for (unsigned n = 0; n < kMaxProbeFields && r.next(fd);) {
    ++n;
    switch (fd.number) {
      case model::ir_version:
      case model::model_version:
        if (!fd.is_varint()) return false;
        break;
      case model::producer_name:
      case model::producer_version:
      case model::domain:
      case model::doc_string:
        if (!fd.is_bytes() || !protobuf::is_valid_utf8(fd.text())) return false;
        break;
      case model::graph:
      case model::opset_import:
      case model::functions:
        if (!fd.is_bytes()) return false;
        structure = true;
        break;
      case model::metadata_props:
      case model::training_info:
        if (!fd.is_bytes()) return false;
        break;
      default:
        // Numbers ModelProto never used are not a model; newer ONNX versions add fields above 25.
        if (fd.number <= model::functions) return false;
        break;
    }
  }
  if (structure) return true;
  // Cut inside the graph, an opset import or a function: a truncated model.
  const auto cut = r.failed() ? r.failed_field() : 0;
  return cut == model::graph || cut == model::opset_import || cut == model::functions;
}

ModelFacts read_model(Bytes bytes) {
  ModelFacts facts;
  Walker(facts).model(bytes);
  return facts;
}

}  // namespace hubguard::scan::onnx
