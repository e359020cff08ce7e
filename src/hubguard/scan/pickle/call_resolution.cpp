#include "hubguard/scan/pickle/call_resolution.hpp"

#include <unordered_set>

#include "hubguard/scan/policy/classify.hpp"

namespace hubguard::scan::pickle {

namespace {

constexpr unsigned kMaxDepth = 16;
constexpr std::size_t kVisitBudget = 4096;

const Node* arg(const Program& p, NodeId args, std::size_t i) {
  if (args == kNoNode || args >= p.nodes.size()) return nullptr;
  const Node& a = p.nodes[args];
  if (a.kind != NodeKind::tuple || i >= a.items.size()) return nullptr;
  NodeId id = a.items[i];
  return id < p.nodes.size() ? &p.nodes[id] : nullptr;
}
NodeId arg_id(const Program& p, NodeId args, std::size_t i) {
  if (args == kNoNode || args >= p.nodes.size()) return kNoNode;
  const Node& a = p.nodes[args];
  if (a.kind != NodeKind::tuple || i >= a.items.size()) return kNoNode;
  return a.items[i];
}
std::optional<std::string_view> str_arg(const Program& p, NodeId args, std::size_t i) {
  const Node* n = arg(p, args, i);
  if (n && n->kind == NodeKind::str) return n->text;
  return std::nullopt;
}

// EXT codes name whatever copyreg.add_extension registered; a pickle that registers its
// own code first (add_extension('os', 'system', 1234), then EXT2 1234) is resolvable.
std::optional<std::string> extension_path(const Program& p, const Import& ext) {
  for (const Call& c : p.calls) {
    if (c.offset >= ext.offset) break;
    if (c.kind != CallKind::reduce || c.callable >= p.nodes.size() ||
        p.nodes[c.callable].kind != NodeKind::global)
      continue;
    const Import& f = p.imports[static_cast<std::size_t>(p.nodes[c.callable].integer)];
    if (f.kind == ImportKind::ext || !f.constant ||
        policy::canonical_path(f.module, f.name) != "copyreg.add_extension")
      continue;
    auto module = str_arg(p, c.args, 0);
    auto name = str_arg(p, c.args, 1);
    const Node* code = arg(p, c.args, 2);
    if (module && name && code && code->kind == NodeKind::integer &&
        code->integer == static_cast<std::int64_t>(ext.ext_code))
      return policy::canonical_path(*module, *name);
  }
  return std::nullopt;
}

bool calls_a_function(CallKind k) {
  return k == CallKind::reduce || k == CallKind::obj || k == CallKind::inst ||
         k == CallKind::newobj || k == CallKind::newobj_ex;
}

// `budget` bounds the work of one query: nested getattr chains branch, and a hostile
// pickle must not make resolution exponential.
std::optional<std::string> path_of(const Program& p, NodeId id, unsigned depth, unsigned& budget);

std::optional<std::string> path_of_call(const Program& p, const Call& c, unsigned depth,
                                        unsigned& budget) {
  if (c.kind != CallKind::reduce && c.kind != CallKind::obj && c.kind != CallKind::inst)
    return std::nullopt;
  // operator.attrgetter('a')(X) -> X.a
  if (c.callable < p.nodes.size() && p.nodes[c.callable].kind == NodeKind::call) {
    const Call& getter = p.calls[static_cast<std::size_t>(p.nodes[c.callable].integer)];
    auto gpath = path_of(p, getter.callable, depth + 1, budget);
    if (gpath && *gpath == "operator.attrgetter") {
      auto attr = str_arg(p, getter.args, 0);
      auto base = path_of(p, arg_id(p, c.args, 0), depth + 1, budget);
      if (attr && base) return policy::canonical_path(*base, *attr);
    }
  }
  auto callee = path_of(p, c.callable, depth + 1, budget);
  if (!callee) return std::nullopt;
  const std::string& f = *callee;
  if (f == "builtins.getattr" || f == "dill._dill._get_attr") {
    auto attr = str_arg(p, c.args, 1);
    auto base = path_of(p, arg_id(p, c.args, 0), depth + 1, budget);
    if (attr && base) return policy::canonical_path(*base, *attr);
    return std::nullopt;
  }
  if (f == "builtins.__import__" || f == "importlib.import_module" ||
      f == "importlib.__import__" || f == "dill._dill._import_module" ||
      f == "cloudpickle.cloudpickle.subimport" || f == "cloudpickle.cloudpickle_fast.subimport") {
    if (auto m = str_arg(p, c.args, 0)) return policy::canonical_path(*m, "");
    return std::nullopt;
  }
  if (f == "pkgutil.resolve_name") {
    if (auto m = str_arg(p, c.args, 0)) {
      std::string s(*m);
      for (char& ch : s)
        if (ch == ':') ch = '.';
      return policy::canonical_path(s, "");
    }
    return std::nullopt;
  }
  if (f == "dill._dill._load_type" || f == "cloudpickle.cloudpickle._builtin_type" ||
      f == "cloudpickle.cloudpickle_fast._builtin_type") {
    if (auto t = str_arg(p, c.args, 0)) return policy::canonical_path("types", *t);
  }
  return std::nullopt;
}

std::optional<std::string> path_of(const Program& p, NodeId id, unsigned depth, unsigned& budget) {
  if (depth > kMaxDepth || budget == 0 || id == kNoNode || id >= p.nodes.size()) return std::nullopt;
  --budget;
  const Node& n = p.nodes[id];
  if (n.kind == NodeKind::global) {
    const Import& im = p.imports[static_cast<std::size_t>(n.integer)];
    if (im.kind == ImportKind::ext) return extension_path(p, im);
    if (!im.constant) return std::nullopt;
    return policy::canonical_path(im.module, im.name);
  }
  if (n.kind == NodeKind::call) return path_of_call(p, p.calls[static_cast<std::size_t>(n.integer)], depth, budget);
  return std::nullopt;
}

template <class Visit>
void walk(const Program& p, NodeId root, Visit&& visit) {
  std::vector<NodeId> todo{root};
  std::unordered_set<NodeId> seen;
  std::size_t budget = kVisitBudget;
  while (!todo.empty() && budget-- > 0) {
    NodeId id = todo.back();
    todo.pop_back();
    if (id == kNoNode || id >= p.nodes.size() || !seen.insert(id).second) continue;
    const Node& n = p.nodes[id];
    if (!visit(id, n)) continue;  // visit says whether to descend
    for (auto it = n.items.rbegin(); it != n.items.rend(); ++it) todo.push_back(*it);
    if (n.kind == NodeKind::call || n.kind == NodeKind::persistent) {
      const Call& c = p.calls[static_cast<std::size_t>(n.integer)];
      todo.push_back(c.kwargs);
      todo.push_back(c.args);
      todo.push_back(c.callable);
    }
  }
}

}  // namespace

std::optional<std::string> object_path(const Program& program, NodeId node) {
  unsigned budget = 256;
  return path_of(program, node, 0, budget);
}

std::vector<std::string_view> constant_strings(const Program& p, NodeId root, std::size_t max) {
  std::vector<std::string_view> out;
  walk(p, root, [&](NodeId, const Node& n) {
    if ((n.kind == NodeKind::str || n.kind == NodeKind::bytes || n.kind == NodeKind::bytearray) &&
        out.size() < max)
      out.push_back(n.text);
    return out.size() < max;
  });
  return out;
}

std::vector<std::size_t> calls_in(const Program& p, NodeId root, std::size_t max) {
  std::vector<std::size_t> out;
  walk(p, root, [&](NodeId, const Node& n) {
    if (n.kind == NodeKind::call || n.kind == NodeKind::persistent) {
      if (out.size() < max) out.push_back(static_cast<std::size_t>(n.integer));
      return false;
    }
    return out.size() < max;
  });
  return out;
}

CallSummary summarize_call(const Program& p, std::size_t index, bool with_arguments) {
  CallSummary s;
  s.index = index;
  const Call& c = p.calls[index];
  s.mutation = c.kind == CallKind::build || c.kind == CallKind::append ||
               c.kind == CallKind::setitem || c.kind == CallKind::additems;
  s.instantiation = c.kind == CallKind::newobj || c.kind == CallKind::newobj_ex ||
                    c.kind == CallKind::obj || c.kind == CallKind::inst;
  if (c.kind != CallKind::persistent_load) {
    if (auto path = object_path(p, c.callable)) {
      s.callee = *path;
      s.indirect = c.callable < p.nodes.size() && p.nodes[c.callable].kind != NodeKind::global;
    }
  }
  if (c.kind == CallKind::reduce &&
      (s.callee == "copyreg._reconstructor" || s.callee == "copyreg.__newobj__" ||
       s.callee == "copyreg.__newobj_ex__")) {
    NodeId cls = arg_id(p, c.args, 0);
    auto path = object_path(p, cls);
    s.callee = path ? *path : std::string();
    s.indirect = path && p.nodes[cls].kind != NodeKind::global;
    s.instantiation = true;
  }
  if (!with_arguments) return s;
  if (!s.mutation) {
    s.strings = constant_strings(p, c.args);
    if (c.kwargs != kNoNode) {
      auto more = constant_strings(p, c.kwargs);
      s.strings.insert(s.strings.end(), more.begin(), more.end());
    }
  }
  s.feeds_from = calls_in(p, c.callable);
  for (NodeId root : {c.args, c.kwargs}) {
    if (root == kNoNode) continue;
    auto more = calls_in(p, root);
    s.feeds_from.insert(s.feeds_from.end(), more.begin(), more.end());
  }
  return s;
}

std::vector<bool> imports_called(const Program& p) {
  std::vector<bool> called(p.imports.size(), false);
  auto mark = [&](NodeId id) {
    if (id < p.nodes.size() && p.nodes[id].kind == NodeKind::global)
      called[static_cast<std::size_t>(p.nodes[id].integer)] = true;
  };
  for (const Call& c : p.calls) {
    if (!calls_a_function(c.kind)) continue;
    mark(c.callable);
    if (c.kind == CallKind::reduce) {
      auto f = object_path(p, c.callable);
      if (f && (*f == "copyreg._reconstructor" || *f == "copyreg.__newobj__" ||
                *f == "copyreg.__newobj_ex__"))
        mark(arg_id(p, c.args, 0));
    }
  }
  return called;
}

}  // namespace hubguard::scan::pickle
