// A small RAII layer over tree-sitter for Python source. parse_python() copies the source
// (bounded by a size limit) and parses it with a wall-clock budget; the tree is
// error-tolerant, so broken or obfuscated code still yields every statement tree-sitter could
// read (unparsed runs become ERROR nodes). Node helpers here never recurse: hostile code can
// nest brackets thousands deep, so walks use a TSTreeCursor or an explicit stack.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hubguard/core/result.hpp"

extern "C" const TSLanguage* tree_sitter_python();

namespace hubguard::scan::python {

struct ParseOptions {
  std::uint64_t max_source_size = 16ULL << 20;  // larger input: only this prefix is parsed
  std::uint64_t timeout_micros = 5'000'000;     // parse budget; 0 = none
};

class PythonTree {
 public:
  PythonTree(std::string source, TSTree* tree, bool truncated)
      : source_(std::move(source)), tree_(tree, &ts_tree_delete), truncated_(truncated) {}

  TSNode root() const { return ts_tree_root_node(tree_.get()); }
  std::string_view source() const { return source_; }
  // True when the input was larger than max_source_size and only a prefix was parsed.
  bool truncated() const { return truncated_; }

  std::string_view text(TSNode node) const;
  // 1-based line of the node's first byte.
  std::uint32_t line(TSNode node) const { return ts_node_start_point(node).row + 1; }

 private:
  std::string source_;
  std::unique_ptr<TSTree, void (*)(TSTree*)> tree_;
  bool truncated_ = false;
};

// Parse (never throws). An error only when tree-sitter gives up (timeout, no memory).
Result<PythonTree> parse_python(std::string_view source, const ParseOptions& options);

// Node helpers. Children are read with a cursor: ts_node_child(i) is linear in i in this
// tree-sitter version, which would make wide nodes (a 100k-element list) quadratic.
std::string_view node_type(TSNode node);
std::vector<TSNode> named_children(TSNode node);
std::vector<TSNode> all_children(TSNode node);
TSNode field(TSNode node, std::string_view name);  // null node when absent

// Visit every node of the subtree in document order, without recursion. `visit` returns
// false to skip a node's children.
template <class Visit>
void walk_subtree(TSNode node, Visit&& visit) {
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  bool descend = visit(ts_tree_cursor_current_node(&cursor));
  for (;;) {
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
      descend = visit(ts_tree_cursor_current_node(&cursor));
      continue;
    }
    bool moved = false;
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        moved = true;
        break;
      }
      if (!ts_tree_cursor_goto_parent(&cursor)) break;
    }
    if (!moved) break;
    descend = visit(ts_tree_cursor_current_node(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

}  // namespace hubguard::scan::python
