#include "hubguard/scan/python/python_parser.hpp"

#include <algorithm>
#include <cstring>

namespace hubguard::scan::python {
namespace {

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};

}  // namespace

std::string_view PythonTree::text(TSNode node) const {
  const std::uint32_t begin = ts_node_start_byte(node);
  const std::uint32_t end = ts_node_end_byte(node);
  if (begin >= source_.size() || end <= begin) return {};
  return std::string_view(source_).substr(begin, end - begin);
}

Result<PythonTree> parse_python(std::string_view source, const ParseOptions& options) {
  bool truncated = false;
  // tree-sitter offsets are 32-bit; the size limit keeps us far below that anyway.
  std::uint64_t limit = std::min<std::uint64_t>(options.max_source_size, 1ULL << 30);
  if (source.size() > limit) {
    source = source.substr(0, limit);
    truncated = true;
  }
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  if (!parser) return make_error("tree-sitter: cannot create a parser");
  if (!ts_parser_set_language(parser.get(), tree_sitter_python()))
    return make_error("tree-sitter: the Python grammar's ABI does not match the library");
  ts_parser_set_timeout_micros(parser.get(), options.timeout_micros);
  std::string copy(source);
  TSTree* tree =
      ts_parser_parse_string_encoding(parser.get(), nullptr, copy.data(),
                                      static_cast<std::uint32_t>(copy.size()), TSInputEncodingUTF8);
  if (tree == nullptr) return make_error("tree-sitter gave up parsing (time budget exhausted)");
  return PythonTree(std::move(copy), tree, truncated);
}

std::string_view node_type(TSNode node) {
  const char* t = ts_node_type(node);
  return t ? std::string_view(t) : std::string_view();
}

std::vector<TSNode> named_children(TSNode node) {
  std::vector<TSNode> out;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      // Comments are named "extras" that may sit between any two children.
      if (ts_node_is_named(child) && node_type(child) != "comment") out.push_back(child);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

std::vector<TSNode> all_children(TSNode node) {
  std::vector<TSNode> out;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      out.push_back(ts_tree_cursor_current_node(&cursor));
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

TSNode field(TSNode node, std::string_view name) {
  return ts_node_child_by_field_name(node, name.data(), static_cast<std::uint32_t>(name.size()));
}

}  // namespace hubguard::scan::python
