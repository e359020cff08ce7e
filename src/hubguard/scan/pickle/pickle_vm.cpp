#include "hubguard/scan/pickle/pickle_vm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "hubguard/core/byte_reader.hpp"
#include "hubguard/scan/pickle/opcodes.hpp"
#include "hubguard/scan/pickle/sniff.hpp"
#include "hubguard/scan/pickle/text_decode.hpp"
#include "hubguard/scan/pickle/value_render.hpp"

namespace hubguard::scan::pickle {

namespace {

// Memo indices are dense in real pickles; a hostile sparse index goes to a hash map so a
// single PUT 4000000000 cannot make us allocate gigabytes.
constexpr std::uint64_t kDenseMemoLimit = 1u << 20;

// Values recorded per pickle. Real pickles make at most about one value per opcode (a large
// checkpoint's data.pkl: a few million); a hostile stream of "]0]0..." would otherwise turn
// a 50 MB file into gigabytes of nodes. Reported as the limit "max_pickle_nodes".

// Big integers too long for int64: accepted as text when they are plain decimal.
bool is_decimal(std::string_view t) {
  if (!t.empty() && (t.front() == '-' || t.front() == '+')) t.remove_prefix(1);
  if (t.empty()) return false;
  for (char c : t)
    if (c < '0' || c > '9') return false;
  return true;
}

class Vm {
 public:
  Vm(Bytes data, std::size_t offset, const ScanLimits& limits)
      : r_(data, offset), limits_(limits) {
    p_.start = r_.offset();
    small_ints_.fill(kNoNode);
    // Roughly one node per 4 bytes of opcode stream; capped so a huge input with a tiny
    // pickle at its start does not reserve much.
    p_.nodes.reserve(static_cast<std::size_t>(
        std::min<std::uint64_t>({r_.remaining() / 4 + 16, 1u << 16, limits.max_pickle_ops + 16})));
  }

  Program run() {
    run_until_stop();
    if (used_put_ && used_memoize_)
      anomaly("memo written by both PUT-style opcodes and MEMOIZE (memo index confusion)");
    return std::move(p_);
  }

 private:
  // Runs opcodes until STOP (true) or until the stream breaks or a limit stops it (false).
  bool run_until_stop() {
    bool first = true;
    stop_seen_ = false;
    while (true) {
      if (r_.at_end()) {
        op_offset_ = r_.offset();
        fail("input ended before STOP", true);
        return false;
      }
      if (p_.opcodes >= limits_.max_pickle_ops) {
        hit_limit("max_pickle_ops", limits_.max_pickle_ops);
        fail("opcode limit reached", false);
        return false;
      }
      ++p_.opcodes;
      op_offset_ = r_.offset();
      std::uint8_t op = *r_.u8();
      if (op == kProto && !first) anomaly("PROTO opcode after the start of the stream");
      first = false;
      if (!step(op)) return stop_seen_ && p_.error.empty();
      if (node_limit_hit_) {
        op_offset_ = r_.offset();
        fail("value count limit reached", false);
        return false;
      }
    }
  }

  // ---- joblib: array bytes written inline after a NumpyArrayWrapper ----
  // joblib's unpickler reads an array's raw bytes (or, for object arrays, a whole nested
  // pickle) straight from the stream right after the BUILD that completes a
  // NumpyArrayWrapper, then resumes unpickling; we must step over the same bytes.
  bool is_joblib_wrapper(NodeId target) const {
    const Node& t = p_.nodes[target];
    if (t.kind != NodeKind::call) return false;
    const Call& c = p_.calls[static_cast<std::size_t>(t.integer)];
    if (c.callable >= p_.nodes.size() || p_.nodes[c.callable].kind != NodeKind::global) return false;
    const Import& im = p_.imports[static_cast<std::size_t>(p_.nodes[c.callable].integer)];
    return im.name == "NumpyArrayWrapper" &&
           (im.module == "joblib.numpy_pickle" || im.module == "sklearn.externals.joblib.numpy_pickle");
  }
  NodeId dict_get(NodeId dict, std::string_view key) const {
    const Node& d = p_.nodes[dict];
    if (d.kind != NodeKind::dict) return kNoNode;
    for (std::size_t i = 0; i + 1 < d.items.size(); i += 2) {
      const Node& k = p_.nodes[d.items[i]];
      if (k.kind == NodeKind::str && k.text == key) return d.items[i + 1];
    }
    return kNoNode;
  }
  // Item size and "holds objects" of a numpy.dtype('f8', ...) node; nullopt when unknown.
  std::optional<std::pair<std::uint64_t, bool>> dtype_layout(NodeId dtype) const {
    if (dtype == kNoNode || p_.nodes[dtype].kind != NodeKind::call) return std::nullopt;
    const Call& c = p_.calls[static_cast<std::size_t>(p_.nodes[dtype].integer)];
    if (c.args >= p_.nodes.size() || p_.nodes[c.args].items.empty()) return std::nullopt;
    const Node& code = p_.nodes[p_.nodes[c.args].items[0]];
    if (code.kind != NodeKind::str || code.text.empty()) return std::nullopt;
    std::string_view t = code.text;
    if (t.front() == '<' || t.front() == '>' || t.front() == '=' || t.front() == '|') t.remove_prefix(1);
    if (t.empty()) return std::nullopt;
    const char letter = t.front();
    if (letter == 'O') return std::make_pair(std::uint64_t{8}, true);
    std::uint64_t n = 0;
    for (char ch : t.substr(1)) {
      if (ch < '0' || ch > '9' || n > (1u << 30)) return std::nullopt;
      n = n * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    if (letter == 'U') n *= 4;
    if (n == 0) {
      // Flexible dtypes carry their size in the BUILD state (elsize, 6th item).
      for (std::size_t k = p_.calls.size(); k-- > 0;) {
        const Call& b = p_.calls[k];
        if (b.kind != CallKind::build || b.callable != dtype) continue;
        const Node& st = p_.nodes[b.args];
        if (st.kind == NodeKind::tuple && st.items.size() > 5 &&
            p_.nodes[st.items[5]].kind == NodeKind::integer && p_.nodes[st.items[5]].integer > 0)
          n = static_cast<std::uint64_t>(p_.nodes[st.items[5]].integer);
        break;
      }
    }
    if (n == 0) return std::nullopt;
    return std::make_pair(n, false);
  }
  bool skip_joblib_array(NodeId state) {
    auto layout = dtype_layout(dict_get(state, "dtype"));
    if (!layout) return fail("joblib array with an unreadable dtype", false);
    stack_.pop_back();  // the wrapper is replaced by the array it describes
    if (layout->second) return nested_pickle();
    NodeId align = dict_get(state, "numpy_array_alignment_bytes");
    if (align != kNoNode && p_.nodes[align].kind == NodeKind::integer) {
      auto pad = r_.u8();
      if (!need(pad) || !r_.skip(*pad)) return truncated();
    }
    std::uint64_t count = 1;
    NodeId shape = dict_get(state, "shape");
    if (shape == kNoNode || p_.nodes[shape].kind != NodeKind::tuple)
      return fail("joblib array without a shape", false);
    for (NodeId dim : p_.nodes[shape].items) {
      const Node& d = p_.nodes[dim];
      if (d.kind != NodeKind::integer || d.integer < 0) return fail("joblib array with a bad shape", false);
      auto v = static_cast<std::uint64_t>(d.integer);
      if (v != 0 && count > UINT64_MAX / v) return truncated();
      count *= v;
    }
    if (count != 0 && layout->first > UINT64_MAX / count) return truncated();
    const std::uint64_t size = count * layout->first;
    if (size > r_.remaining()) return truncated();
    r_.skip(static_cast<std::size_t>(size));
    return push(add_text(NodeKind::unknown, "joblib array data"));
  }
  // An object array is a complete pickle of its own, with its own stack and memo.
  bool nested_pickle() {
    if (depth_ >= 4) return fail("joblib object arrays nested too deeply", false);
    std::vector<NodeId> stack, memo_dense;
    std::vector<std::size_t> marks;
    std::unordered_map<std::uint64_t, NodeId> memo_sparse;
    stack.swap(stack_);
    marks.swap(marks_);
    memo_dense.swap(memo_dense_);
    memo_sparse.swap(memo_sparse_);
    const std::uint64_t memo_count = memo_count_;
    memo_count_ = 0;
    ++depth_;
    const bool ok = run_until_stop();
    --depth_;
    NodeId array = nested_result_;
    stack.swap(stack_);
    marks.swap(marks_);
    memo_dense.swap(memo_dense_);
    memo_sparse.swap(memo_sparse_);
    memo_count_ = memo_count;
    stop_seen_ = false;
    return ok && push(array);
  }

  // ---- failure and bookkeeping ----
  bool fail(std::string message, bool truncated) {
    if (p_.error.empty()) {
      p_.error = std::move(message);
      p_.error_offset = op_offset_;
      p_.truncated = truncated;
    }
    p_.end = op_offset_;
    return false;
  }
  bool truncated() { return fail("pickle data was truncated", true); }
  void hit_limit(std::string_view name, std::uint64_t value) {
    for (const auto& l : p_.limits)
      if (l.limit == name) return;
    p_.limits.push_back({std::string(name), value, op_offset_});
  }
  void anomaly(std::string message) {
    if (p_.anomalies.size() >= 64) return;  // enough to show intent
    for (const auto& a : p_.anomalies)
      if (a.message == message) return;
    p_.anomalies.push_back({op_offset_, std::move(message)});
  }

  NodeId add(Node n) {
    if (p_.nodes.size() >= limits_.max_pickle_nodes) {
      // Keep going with a shared placeholder so the stack stays consistent; the run stops at
      // the next opcode boundary.
      if (!node_limit_hit_) {
        node_limit_hit_ = true;
        hit_limit("max_pickle_nodes", limits_.max_pickle_nodes);
        p_.nodes.push_back(Node{NodeKind::unknown, false, 0, 0.0, "node limit", {}});
      }
      return static_cast<NodeId>(p_.nodes.size() - 1);
    }
    p_.nodes.push_back(std::move(n));
    return static_cast<NodeId>(p_.nodes.size() - 1);
  }
  NodeId add_kind(NodeKind k) {
    Node n;
    n.kind = k;
    return add(std::move(n));
  }
  // Immutable small constants are shared: a state dict repeats None/False/small ints
  // thousands of times and each distinct node costs memory.
  NodeId add_int(std::int64_t v) {
    if (v >= -1 && v < kSmallInts) {
      NodeId& cached = small_ints_[static_cast<std::size_t>(v + 1)];
      if (cached == kNoNode) cached = add_int_node(v);
      return cached;
    }
    return add_int_node(v);
  }
  NodeId add_constant(NodeKind kind, bool value) {
    NodeId& cached = kind == NodeKind::none ? none_ : value ? true_ : false_;
    if (cached == kNoNode) {
      cached = add_kind(kind);
      p_.nodes[cached].integer = value;
    }
    return cached;
  }
  NodeId add_int_node(std::int64_t v) {
    Node n;
    n.kind = NodeKind::integer;
    n.integer = v;
    return add(std::move(n));
  }
  NodeId add_text(NodeKind k, std::string_view text) {
    Node n;
    n.kind = k;
    n.text = text;
    return add(std::move(n));
  }
  NodeId add_items(NodeKind k, std::vector<NodeId> items) {
    Node n;
    n.kind = k;
    n.items = std::move(items);
    return add(std::move(n));
  }
  std::string_view own(std::string s) {
    p_.owned.push_back(std::move(s));
    return p_.owned.back();
  }

  // ---- stack (respecting the current MARK, as the loader's "fence") ----
  std::size_t fence() const { return marks_.empty() ? 0 : marks_.back(); }
  bool push(NodeId id) {
    stack_.push_back(id);
    if (stack_.size() + marks_.size() > limits_.max_pickle_stack) {
      hit_limit("max_pickle_stack", limits_.max_pickle_stack);
      return fail("stack depth limit reached", false);
    }
    return true;
  }
  std::optional<NodeId> pop() {
    if (stack_.size() <= fence()) {
      fail("unpickling stack underflow", false);
      return std::nullopt;
    }
    NodeId id = stack_.back();
    stack_.pop_back();
    return id;
  }
  std::optional<NodeId> top() {
    if (stack_.size() <= fence()) {
      fail("unpickling stack underflow", false);
      return std::nullopt;
    }
    return stack_.back();
  }
  std::optional<std::vector<NodeId>> pop_mark() {
    if (marks_.empty()) {
      fail("could not find MARK", false);
      return std::nullopt;
    }
    std::size_t m = marks_.back();
    marks_.pop_back();
    std::vector<NodeId> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return items;
  }

  // ---- memo ----
  bool memo_put(std::uint64_t index, NodeId value) {
    NodeId* slot = nullptr;
    if (index < kDenseMemoLimit) {
      if (index >= memo_dense_.size()) memo_dense_.resize(index + 1, kNoNode);
      slot = &memo_dense_[index];
    } else {
      auto [it, inserted] = memo_sparse_.try_emplace(index, kNoNode);
      slot = &it->second;
    }
    if (*slot == kNoNode) ++memo_count_;
    *slot = value;
    if (memo_count_ > limits_.max_pickle_memo) {
      hit_limit("max_pickle_memo", limits_.max_pickle_memo);
      return fail("memo size limit reached", false);
    }
    return true;
  }
  bool memo_get(std::uint64_t index) {
    NodeId v = kNoNode;
    if (index < memo_dense_.size()) {
      v = memo_dense_[index];
    } else if (auto it = memo_sparse_.find(index); it != memo_sparse_.end()) {
      v = it->second;
    }
    if (v == kNoNode) return fail(fmt::format("memo value not found at index {}", index), false);
    return push(v);
  }
  bool put_top(std::uint64_t index) {
    auto t = top();
    if (!t) return false;
    return memo_put(index, *t);
  }

  // ---- argument readers ----
  std::optional<std::string_view> line() {
    auto l = r_.line();
    if (!l) {
      truncated();
      return std::nullopt;
    }
    if (l->size() > limits_.max_pickle_string) {
      hit_limit("max_pickle_string", limits_.max_pickle_string);
      return l->substr(0, limits_.max_pickle_string);
    }
    return l;
  }
  // A length-prefixed payload; views the input. Over-long payloads are recorded and viewed
  // only up to the limit (the loader would read them whole; we need not).
  std::optional<std::string_view> payload(std::uint64_t length) {
    if (length > r_.remaining()) {
      truncated();
      return std::nullopt;
    }
    auto b = r_.bytes(static_cast<std::size_t>(length));
    std::string_view v = as_text(*b);
    if (v.size() > limits_.max_pickle_string) {
      hit_limit("max_pickle_string", limits_.max_pickle_string);
      v = v.substr(0, limits_.max_pickle_string);
    }
    return v;
  }
  template <class T>
  bool need(const std::optional<T>& v) {
    if (!v) truncated();
    return v.has_value();
  }

  NodeId str_from_latin1(std::string_view bytes) {
    if (is_ascii(bytes)) return add_text(NodeKind::str, bytes);
    return add_text(NodeKind::str, own(latin1_to_utf8(bytes)));
  }

  // ---- calls and imports ----
  NodeId record_call(CallKind kind, NodeId callable, NodeId args, NodeId kwargs, bool has_result,
                     NodeKind result_kind = NodeKind::call) {
    if (p_.calls.size() >= limits_.max_pickle_calls_recorded) {
      if (!p_.calls_truncated) hit_limit("max_pickle_calls_recorded", limits_.max_pickle_calls_recorded);
      p_.calls_truncated = true;
      return has_result ? add_text(NodeKind::unknown, "result of an unrecorded call") : kNoNode;
    }
    Call c;
    c.kind = kind;
    c.offset = op_offset_;
    c.callable = callable;
    c.args = args;
    c.kwargs = kwargs;
    std::size_t index = p_.calls.size();
    if (has_result) {
      Node n;
      n.kind = result_kind;
      n.integer = static_cast<std::int64_t>(index);
      c.result = add(std::move(n));
    }
    p_.calls.push_back(c);
    return c.result;
  }
  NodeId record_import(ImportKind kind, std::string_view module, std::string_view name,
                       bool constant = true) {
    Import im;
    im.kind = kind;
    im.offset = op_offset_;
    im.module = module;
    im.name = name;
    im.constant = constant;
    p_.imports.push_back(im);
    Node n;
    n.kind = NodeKind::global;
    n.integer = static_cast<std::int64_t>(p_.imports.size() - 1);
    return add(std::move(n));
  }
  static bool is_identifier_path(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
            static_cast<unsigned char>(c) >= 0x80))
        return false;
    return true;
  }
  void check_names(std::string_view module, std::string_view name) {
    if (!is_identifier_path(module) || !is_identifier_path(name))
      anomaly("import name with characters that are not part of a Python identifier");
  }

  bool integer_node(std::int64_t v) { return push(add_int(v)); }

  bool long_bytes(std::uint64_t length) {
    auto v = payload(length);
    if (!v) return false;
    if (v->size() <= 8) {
      std::uint64_t u = 0;
      for (std::size_t i = 0; i < v->size(); ++i)
        u |= static_cast<std::uint64_t>(static_cast<unsigned char>((*v)[i])) << (8 * i);
      if (!v->empty() && v->size() < 8 && (static_cast<unsigned char>(v->back()) & 0x80))
        u |= ~0ULL << (8 * v->size());  // sign-extend
      return integer_node(static_cast<std::int64_t>(u));
    }
    Node n;
    n.kind = NodeKind::big_integer;
    n.raw = true;
    n.text = *v;
    return push(add(std::move(n)));
  }

  bool sequence_from_mark(NodeKind kind) {
    auto items = pop_mark();
    if (!items) return false;
    if (kind == NodeKind::dict && items->size() % 2)
      return fail("odd number of items for DICT", false);
    return push(add_items(kind, std::move(*items)));
  }
  bool tuple_n(std::size_t n) {
    if (stack_.size() < fence() + n) return fail("unpickling stack underflow", false);
    std::vector<NodeId> items(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
    stack_.resize(stack_.size() - n);
    return push(add_items(NodeKind::tuple, std::move(items)));
  }

  // Containers the VM can model grow in place; anything else gets a method call recorded,
  // because the loader calls target.append / target[k] = v / target.add on it.
  bool extend_target(NodeKind container, CallKind kind, std::vector<NodeId> items) {
    auto t = top();
    if (!t) return false;
    Node& target = p_.nodes[*t];
    if (target.kind == container) {
      target.items.insert(target.items.end(), items.begin(), items.end());
      return true;
    }
    NodeKind args_kind = kind == CallKind::setitem ? NodeKind::dict : NodeKind::tuple;
    record_call(kind, *t, add_items(args_kind, std::move(items)), kNoNode, false);
    return true;
  }

  bool stack_global() {
    auto name = pop();
    if (!name) return false;
    auto module = pop();
    if (!module) return false;
    const NodeKind mk = p_.nodes[*module].kind;
    const NodeKind nk = p_.nodes[*name].kind;
    if (mk == NodeKind::str && nk == NodeKind::str) {
      std::string_view mt = p_.nodes[*module].text, nt = p_.nodes[*name].text;
      check_names(mt, nt);
      return push(record_import(ImportKind::stack_global, mt, nt));
    }
    // The loader insists on two str operands; computed ones (call results) are only known
    // at load time, which is the point of the trick.
    RenderOptions ro;
    ro.max_total = 256;
    std::string_view m = own(render_value(p_, *module, ro));
    std::string_view n = own(render_value(p_, *name, ro));
    NodeId g = record_import(ImportKind::stack_global, m, n, false);
    p_.imports.back().module_node = *module;
    p_.imports.back().name_node = *name;
    auto plausible = [](NodeKind k) {
      return k == NodeKind::str || k == NodeKind::call || k == NodeKind::unknown;
    };
    if (!plausible(mk) || !plausible(nk))
      anomaly("STACK_GLOBAL operands are not strings (the loader rejects this)");
    return push(g);
  }

  bool step(std::uint8_t op);

  ByteReader r_;
  const ScanLimits& limits_;
  Program p_;
  std::vector<NodeId> stack_;
  std::vector<std::size_t> marks_;
  std::vector<NodeId> memo_dense_;
  std::unordered_map<std::uint64_t, NodeId> memo_sparse_;
  std::uint64_t memo_count_ = 0;
  std::uint64_t op_offset_ = 0;
  static constexpr std::int64_t kSmallInts = 257;
  std::array<NodeId, kSmallInts + 1> small_ints_{};
  NodeId none_ = kNoNode, true_ = kNoNode, false_ = kNoNode;
  bool used_put_ = false;
  bool node_limit_hit_ = false;
  bool stop_seen_ = false;
  unsigned depth_ = 0;  // nested pickles (joblib object arrays)
  NodeId nested_result_ = kNoNode;
  bool used_memoize_ = false;
};

bool Vm::step(std::uint8_t op) {
  switch (op) {
    // ---- control ----
    case kProto: {
      auto v = r_.u8();
      if (!need(v)) return false;
      if (*v > 5) return fail(fmt::format("unsupported pickle protocol: {}", *v), false);
      if (*v > p_.protocol) p_.protocol = *v;
      return true;
    }
    case kFrame: {
      auto n = r_.u64le();
      if (!need(n)) return false;
      if (*n > r_.remaining()) anomaly("FRAME length exceeds the remaining data");
      return true;
    }
    case kStop: {
      auto v = pop();
      if (!v) return false;
      stop_seen_ = true;
      if (depth_ > 0) {
        nested_result_ = *v;
        return false;
      }
      p_.result = *v;
      p_.stopped = true;
      p_.end = r_.offset();
      if (!stack_.empty() || !marks_.empty())
        anomaly("values or marks left on the stack at STOP");
      return false;
    }
    case kMark:
      marks_.push_back(stack_.size());
      if (stack_.size() + marks_.size() > limits_.max_pickle_stack) {
        hit_limit("max_pickle_stack", limits_.max_pickle_stack);
        return fail("stack depth limit reached", false);
      }
      return true;
    case kPop:
      if (stack_.size() > fence()) {
        stack_.pop_back();
        return true;
      }
      if (!marks_.empty()) {
        anomaly("POP consumed a MARK");
        return pop_mark().has_value();
      }
      return fail("unpickling stack underflow", false);
    case kPopMark: return pop_mark().has_value();
    case kDup: {
      auto t = top();
      return t && push(*t);
    }

    // ---- constants ----
    case kNone: return push(add_constant(NodeKind::none, false));
    case kNewTrue:
    case kNewFalse: return push(add_constant(NodeKind::boolean, op == kNewTrue));
    case kInt: {
      auto l = line();
      if (!l) return false;
      if (*l == "00" || *l == "01") return push(add_constant(NodeKind::boolean, *l == "01"));
      if (auto v = parse_python_int(*l)) return integer_node(*v);
      if (!is_decimal(*l)) return fail("invalid literal for INT", false);
      return push(add_text(NodeKind::big_integer, *l));
    }
    case kLong: {
      auto l = line();
      if (!l) return false;
      std::string_view t = *l;
      if (!t.empty() && (t.back() == 'L' || t.back() == 'l')) t.remove_suffix(1);
      if (auto v = parse_python_int(t)) return integer_node(*v);
      if (!is_decimal(t)) return fail("invalid literal for LONG", false);
      return push(add_text(NodeKind::big_integer, t));
    }
    case kBinInt: {
      auto v = r_.u32le();
      return need(v) && integer_node(static_cast<std::int32_t>(*v));
    }
    case kBinInt1: {
      auto v = r_.u8();
      return need(v) && integer_node(*v);
    }
    case kBinInt2: {
      auto v = r_.u16le();
      return need(v) && integer_node(*v);
    }
    case kLong1: {
      auto n = r_.u8();
      return need(n) && long_bytes(*n);
    }
    case kLong4: {
      auto n = r_.u32le();
      if (!need(n)) return false;
      if (static_cast<std::int32_t>(*n) < 0) return fail("LONG pickle has negative byte count", false);
      return long_bytes(*n);
    }
    case kFloat: {
      auto l = line();
      if (!l) return false;
      double d = 0;
      std::string_view t = *l;
      while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.remove_suffix(1);
      auto res = std::from_chars(t.data(), t.data() + t.size(), d);
      if (res.ec != std::errc() || res.ptr != t.data() + t.size())
        return fail("could not convert string to float", false);
      Node n;
      n.kind = NodeKind::floating;
      n.floating = d;
      return push(add(std::move(n)));
    }
    case kBinFloat: {
      auto b = r_.bytes(8);
      if (!need(b)) return false;
      std::uint64_t u = 0;
      for (int i = 0; i < 8; ++i) u = (u << 8) | (*b)[i];
      Node n;
      n.kind = NodeKind::floating;
      n.floating = std::bit_cast<double>(u);
      return push(add(std::move(n)));
    }

    // ---- strings and bytes ----
    case kString: {
      auto l = line();
      if (!l) return false;
      std::string decoded;
      if (!decode_quoted_string(*l, decoded))
        return fail("the STRING opcode argument must be quoted", false);
      std::string_view inner = l->substr(1, l->size() - 2);
      if (decoded.size() == inner.size() && decoded == inner) return push(add_text(NodeKind::str, inner));
      return push(add_text(NodeKind::str, own(std::move(decoded))));
    }
    case kBinString: {
      auto n = r_.u32le();
      if (!need(n)) return false;
      if (static_cast<std::int32_t>(*n) < 0)
        return fail("BINSTRING pickle has negative byte count", false);
      auto v = payload(*n);
      return v && push(str_from_latin1(*v));
    }
    case kShortBinString: {
      auto n = r_.u8();
      if (!need(n)) return false;
      auto v = payload(*n);
      return v && push(str_from_latin1(*v));
    }
    case kUnicode: {
      auto l = line();
      if (!l) return false;
      if (l->find('\\') == std::string_view::npos && is_ascii(*l))
        return push(add_text(NodeKind::str, *l));
      std::string decoded;
      if (!decode_raw_unicode_escape(*l, decoded))
        return fail("malformed raw-unicode-escape in UNICODE", false);
      return push(add_text(NodeKind::str, own(std::move(decoded))));
    }
    case kBinUnicode: {
      auto n = r_.u32le();
      if (!need(n)) return false;
      auto v = payload(*n);
      return v && push(add_text(NodeKind::str, *v));
    }
    case kShortBinUnicode: {
      auto n = r_.u8();
      if (!need(n)) return false;
      auto v = payload(*n);
      return v && push(add_text(NodeKind::str, *v));
    }
    case kBinUnicode8: {
      auto n = r_.u64le();
      if (!need(n)) return false;
      auto v = payload(*n);
      return v && push(add_text(NodeKind::str, *v));
    }
    case kBinBytes: {
      auto n = r_.u32le();
      if (!need(n)) return false;
      auto v = payload(*n);
      return v && push(add_text(NodeKind::bytes, *v));
    }
    case kShortBinBytes: {
      auto n = r_.u8();
      if (!need(n)) return false;
      auto v = payload(*n);
      return v && push(add_text(NodeKind::bytes, *v));
    }
    case kBinBytes8: {
      auto n = r_.u64le();
      if (!need(n)) return false;
      auto v = payload(*n);
      return v && push(add_text(NodeKind::bytes, *v));
    }
    case kByteArray8: {
      auto n = r_.u64le();
      if (!need(n)) return false;
      auto v = payload(*n);
      return v && push(add_text(NodeKind::bytearray, *v));
    }
    case kNextBuffer:
      anomaly("NEXT_BUFFER: out-of-band data that plain loaders reject");
      return push(add_kind(NodeKind::buffer));
    case kReadonlyBuffer: return top().has_value();

    // ---- containers ----
    case kEmptyTuple: return push(add_kind(NodeKind::tuple));
    case kEmptyList: return push(add_kind(NodeKind::list));
    case kEmptyDict: return push(add_kind(NodeKind::dict));
    case kEmptySet: return push(add_kind(NodeKind::set));
    case kTuple: return sequence_from_mark(NodeKind::tuple);
    case kList: return sequence_from_mark(NodeKind::list);
    case kDict: return sequence_from_mark(NodeKind::dict);
    case kFrozenSet: return sequence_from_mark(NodeKind::frozenset);
    case kTuple1: return tuple_n(1);
    case kTuple2: return tuple_n(2);
    case kTuple3: return tuple_n(3);
    case kAppend: {
      auto v = pop();
      return v && extend_target(NodeKind::list, CallKind::append, {*v});
    }
    case kAppends: {
      auto items = pop_mark();
      return items && extend_target(NodeKind::list, CallKind::append, std::move(*items));
    }
    case kSetItem: {
      auto v = pop();
      if (!v) return false;
      auto k = pop();
      return k && extend_target(NodeKind::dict, CallKind::setitem, {*k, *v});
    }
    case kSetItems: {
      auto items = pop_mark();
      if (!items) return false;
      if (items->size() % 2) return fail("odd number of items for SETITEMS", false);
      return extend_target(NodeKind::dict, CallKind::setitem, std::move(*items));
    }
    case kAddItems: {
      auto items = pop_mark();
      return items && extend_target(NodeKind::set, CallKind::additems, std::move(*items));
    }

    // ---- memo ----
    case kPut: {
      auto l = line();
      if (!l) return false;
      auto idx = parse_python_int(*l);
      if (!idx || *idx < 0) return fail("bad PUT argument", false);
      used_put_ = true;
      return put_top(static_cast<std::uint64_t>(*idx));
    }
    case kBinPut: {
      auto v = r_.u8();
      used_put_ = true;
      return need(v) && put_top(*v);
    }
    case kLongBinPut: {
      auto v = r_.u32le();
      used_put_ = true;
      return need(v) && put_top(*v);
    }
    case kMemoize:
      used_memoize_ = true;
      return put_top(memo_count_);
    case kGet: {
      auto l = line();
      if (!l) return false;
      auto idx = parse_python_int(*l);
      if (!idx || *idx < 0) return fail("bad GET argument", false);
      return memo_get(static_cast<std::uint64_t>(*idx));
    }
    case kBinGet: {
      auto v = r_.u8();
      return need(v) && memo_get(*v);
    }
    case kLongBinGet: {
      auto v = r_.u32le();
      return need(v) && memo_get(*v);
    }

    // ---- imports ----
    case kGlobal: {
      auto m = line();
      if (!m) return false;
      auto n = line();
      if (!n) return false;
      check_names(*m, *n);
      return push(record_import(ImportKind::global, *m, *n));
    }
    case kStackGlobal: return stack_global();
    case kExt1:
    case kExt2:
    case kExt4: {
      std::uint32_t code = 0;
      if (op == kExt1) {
        auto v = r_.u8();
        if (!need(v)) return false;
        code = *v;
      } else if (op == kExt2) {
        auto v = r_.u16le();
        if (!need(v)) return false;
        code = *v;
      } else {
        auto v = r_.u32le();
        if (!need(v)) return false;
        code = *v;
      }
      NodeId g = record_import(ImportKind::ext, "", "");
      p_.imports.back().ext_code = code;
      p_.imports.back().constant = false;
      return push(g);
    }

    // ---- calls ----
    case kReduce: {
      auto args = pop();
      if (!args) return false;
      auto fn = pop();
      return fn && push(record_call(CallKind::reduce, *fn, *args, kNoNode, true));
    }
    case kNewObj: {
      auto args = pop();
      if (!args) return false;
      auto cls = pop();
      return cls && push(record_call(CallKind::newobj, *cls, *args, kNoNode, true));
    }
    case kNewObjEx: {
      auto kwargs = pop();
      if (!kwargs) return false;
      auto args = pop();
      if (!args) return false;
      auto cls = pop();
      return cls && push(record_call(CallKind::newobj_ex, *cls, *args, *kwargs, true));
    }
    case kObj: {
      auto items = pop_mark();
      if (!items) return false;
      if (items->empty()) return fail("OBJ without a class", false);
      NodeId cls = items->front();
      items->erase(items->begin());
      NodeId args = add_items(NodeKind::tuple, std::move(*items));
      return push(record_call(CallKind::obj, cls, args, kNoNode, true));
    }
    case kInst: {
      auto m = line();
      if (!m) return false;
      auto n = line();
      if (!n) return false;
      auto items = pop_mark();
      if (!items) return false;
      check_names(*m, *n);
      NodeId cls = record_import(ImportKind::inst, *m, *n);
      NodeId args = add_items(NodeKind::tuple, std::move(*items));
      return push(record_call(CallKind::inst, cls, args, kNoNode, true));
    }
    case kBuild: {
      auto state = pop();
      if (!state) return false;
      auto target = top();
      if (!target) return false;
      record_call(CallKind::build, *target, *state, kNoNode, false);
      if (is_joblib_wrapper(*target)) return skip_joblib_array(*state);
      return true;
    }
    case kPersId: {
      auto l = line();
      if (!l) return false;
      NodeId pid = add_text(NodeKind::str, *l);
      return push(record_call(CallKind::persistent_load, kNoNode, pid, kNoNode, true,
                              NodeKind::persistent));
    }
    case kBinPersId: {
      auto pid = pop();
      return pid && push(record_call(CallKind::persistent_load, kNoNode, *pid, kNoNode, true,
                                     NodeKind::persistent));
    }
    default: break;
  }
  return fail(fmt::format("invalid load key 0x{:02x}", op), false);
}

}  // namespace

Program run_pickle(Bytes data, std::size_t offset, const ScanLimits& limits) {
  return Vm(data, offset, limits).run();
}

PickleStream run_pickle_stream(Bytes data, std::size_t offset, const ScanLimits& limits) {
  PickleStream out;
  out.end = offset;
  while (out.end < data.size()) {
    if (out.pickles.size() >= limits.max_pickles_per_stream) {
      out.pickle_limit_hit = looks_like_pickle(data.subspan(out.end));
      break;
    }
    if (!out.pickles.empty() && !looks_like_pickle(data.subspan(out.end))) break;
    out.pickles.push_back(run_pickle(data, out.end, limits));
    const Program& p = out.pickles.back();
    if (!p.stopped || p.end <= out.end) {
      if (!p.stopped) out.end = p.end;
      break;
    }
    out.end = p.end;
  }
  return out;
}

}  // namespace hubguard::scan::pickle
