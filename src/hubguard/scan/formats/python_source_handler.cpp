// "python": a Python source file, recognised by content alone — a python shebang, or lines
// that only Python writes (an `import a.b as c` / `from a import b` with Python's syntax, a
// `def f(...):` or `class C(...):` header ending in a colon). Markdown with fenced code,
// JSON and other languages' imports (`import x from "y";`, `import "fmt"`) are refused. Only
// the first 16 KiB are looked at, so detection stays cheap. Scanning hands the text to the
// code analyzers as CodeEvidence; the Python analysis (taint tracking) runs there.
#include <algorithm>
#include <cctype>

#include "hubguard/scan/formats/formats.hpp"
#include "hubguard/scan/python/python_analysis.hpp"

namespace hubguard::scan {
namespace {

constexpr std::size_t kSniffBytes = 16 * 1024;

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string_view strip_comment(std::string_view s) {
  auto hash = s.find('#');
  return trim(hash == std::string_view::npos ? s : s.substr(0, hash));
}

bool identifier(std::string_view s) {
  return !s.empty() && !std::isdigit(static_cast<unsigned char>(s.front())) &&
         std::all_of(s.begin(), s.end(), is_ident_char);
}

// "a.b as c": dotted identifiers, optionally aliased.
bool import_item(std::string_view item, bool dotted) {
  item = trim(item);
  auto as = item.find(" as ");
  if (as != std::string_view::npos) {
    if (!identifier(trim(item.substr(as + 4)))) return false;
    item = trim(item.substr(0, as));
  }
  if (item.empty()) return false;
  std::size_t start = 0;
  for (;;) {
    auto dot = item.find('.', start);
    auto part =
        item.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!identifier(part)) return false;
    if (dot == std::string_view::npos) return true;
    if (!dotted) return false;
    start = dot + 1;
  }
}

// "a.b as c, d" after `import`; "(b as c, d)" or "*" after `from m import`.
bool python_import_list(std::string_view s, bool from_import) {
  s = trim(s);
  if (from_import) {
    if (s == "*") return true;
    if (!s.empty() && s.front() == '(') {
      s.remove_prefix(1);
      if (!s.empty() && s.back() == ')') s.remove_suffix(1);
      s = trim(s);
      if (s.empty()) return true;  // the names continue on the next lines
    }
    if (!s.empty() && s.back() == '\\') s.remove_suffix(1);
    if (!s.empty() && s.back() == ',') s.remove_suffix(1);
  }
  if (s.empty()) return false;
  std::size_t start = 0;
  for (;;) {
    auto comma = s.find(',', start);
    auto item =
        s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (!import_item(item, !from_import)) return false;
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

bool python_import_line(std::string_view line) {
  line = strip_comment(line);
  if (line.starts_with("import ")) return python_import_list(trim(line.substr(7)), false);
  if (line.starts_with("from ")) {
    auto rest = line.substr(5);
    auto at = rest.find(" import ");
    if (at == std::string_view::npos) return false;
    auto module = trim(rest.substr(0, at));
    // "a.b", ".", "..pkg": dots then dotted identifiers.
    auto name = module.substr(std::min(module.find_first_not_of('.'), module.size()));
    if (module.empty() || (!name.empty() && !import_item(name, true))) return false;
    return python_import_list(trim(rest.substr(at + 8)), true);
  }
  return false;
}

// `def name(...):`, `async def name(...):`, `class Name:` / `class Name(Base):`, possibly
// with the parameter list continuing on the next lines (then only the opening is checked).
bool python_definition_line(std::string_view line) {
  line = strip_comment(line);
  if (line.starts_with("async ")) line = trim(line.substr(6));
  std::size_t skip;
  if (line.starts_with("def "))
    skip = 4;
  else if (line.starts_with("class "))
    skip = 6;
  else
    return false;
  auto rest = trim(line.substr(skip));
  std::size_t n = 0;
  while (n < rest.size() && is_ident_char(rest[n])) ++n;
  if (n == 0 || std::isdigit(static_cast<unsigned char>(rest[0]))) return false;
  rest = trim(rest.substr(n));
  if (skip == 6 && rest == ":") return true;
  if (rest.empty() || rest.front() != '(') return false;
  return rest.back() == ':' || rest.back() == '(' || rest.back() == ',';
}

bool looks_like_python(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (text.starts_with("#!")) {
    auto first = text.substr(0, text.find('\n'));
    if (first.find("python") != std::string_view::npos) return true;
  }
  auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  if (text[start] == '{' || text[start] == '[' || text[start] == '<') return false;  // JSON, XML
  if (text.substr(start).starts_with("---")) return false;  // YAML / model-card front matter
  int imports = 0, definitions = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("```") || line.starts_with("~~~")) return false;  // markdown fence
    if (line.find('\0') != std::string_view::npos) return false;
    // Only top-level statements (column 0) count: code quoted inside other text is indented.
    if (line.starts_with(" ") || line.starts_with("\t")) continue;
    if (python_import_line(line))
      ++imports;
    else if (python_definition_line(line))
      ++definitions;
  }
  return imports > 0 || definitions > 0;
}

class PythonSourceHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "python"; }

  bool accepts(const Artifact& artifact) const override {
    const auto sample = as_text(artifact.bytes.first(std::min(artifact.bytes.size(), kSniffBytes)));
    // A cut in the middle of the last line must not count against it.
    auto last_newline = sample.rfind('\n');
    const auto whole_lines =
        artifact.bytes.size() > kSniffBytes && last_newline != std::string_view::npos
            ? sample.substr(0, last_newline)
            : sample;
    return looks_like_python(whole_lines);
  }

  void scan(const Artifact& artifact, ScanContext& ctx) const override {
    const auto text = as_text(artifact.bytes);
    const auto role = python::python_source_role(text);
    // One byte past the limit is kept so the analysis knows the source was cut.
    const std::size_t keep = static_cast<std::size_t>(
        std::min<std::uint64_t>(text.size(), ctx.limits().max_source_size + 1));
    ctx.add_code({CodeKind::python_source, std::string(text.substr(0, keep)), 0,
                  role.empty() ? std::string("python source") : std::string(role)});
  }
};

}  // namespace

const FormatHandler& python_source_handler() {
  static const PythonSourceHandler handler;
  return handler;
}

}  // namespace hubguard::scan
