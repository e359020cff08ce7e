#include "hubguard/scan/formats/jinja_template_check.hpp"
#include "hubguard/scan/formats/metadata_text_check.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace hubguard::scan {
namespace {

constexpr std::size_t kMaxReasons = 8;
constexpr std::size_t kExcerpt = 240;

// Names that only an escape uses: frame and function internals, Jinja's private context.
constexpr std::array<std::string_view, 12> kInternalNames{
    "mro", "func_globals", "gi_frame", "gi_code", "f_globals", "f_back", "f_builtins", "f_locals",
    "tb_frame", "cr_frame", "_TemplateReference__context", "__self__"};
// What an escape reaches for to run something.
constexpr std::array<std::string_view, 16> kCommandNames{
    "popen", "system", "subprocess", "eval", "exec", "__import__", "check_output", "getoutput",
    "spawnl", "spawnv", "execv", "execl", "import_module", "load_module", "os", "Popen"};

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool is_dunder(std::string_view s) {
  return s.size() > 4 && s.starts_with("__") && s.ends_with("__") && ident_start(s[2]);
}

struct Token {
  enum Kind { ident, string, symbol } kind;
  std::string text;         // identifier, string content (escapes kept raw), or symbol char
  bool escaped_underscore = false;  // string spelling '_' through an escape (\x5f, \137, \u005f)
};

// Tokens of one code block: identifiers, string literals, single-character symbols.
std::vector<Token> tokenize(std::string_view code) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < code.size();) {
    const char c = code[i];
    if (ident_start(c)) {
      std::size_t j = i;
      while (j < code.size() && ident_char(code[j])) ++j;
      out.push_back({Token::ident, std::string(code.substr(i, j - i))});
      i = j;
    } else if (c == '\'' || c == '"') {
      Token t{Token::string, {}};
      std::size_t j = i + 1;
      while (j < code.size() && code[j] != c) {
        if (code[j] == '\\' && j + 1 < code.size()) {
          auto rest = code.substr(j + 1, 5);
          if (rest.starts_with("x5f") || rest.starts_with("x5F") || rest.starts_with("137") ||
              rest.starts_with("u005f") || rest.starts_with("u005F") || rest.starts_with("N{LOW"))
            t.escaped_underscore = true;
          t.text += code[j];
          ++j;
        }
        t.text += code[j];
        ++j;
      }
      out.push_back(std::move(t));
      i = j + 1;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else {
      out.push_back({Token::symbol, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

// The code blocks of a template: the inside of {{ }} and {% %}; comments and
// {% raw %}...{% endraw %} bodies are skipped (they are output, not code).
std::vector<std::string_view> code_blocks(std::string_view t) {
  std::vector<std::string_view> blocks;
  std::size_t pos = 0;
  bool raw = false;
  while (pos < t.size()) {
    auto open = t.find('{', pos);
    if (open == std::string_view::npos || open + 1 >= t.size()) break;
    const char kind = t[open + 1];
    std::string_view close;
    if (kind == '{') close = "}}";
    else if (kind == '%') close = "%}";
    else if (kind == '#') close = "#}";
    else {
      pos = open + 1;
      continue;
    }
    auto end = t.find(close, open + 2);
    if (end == std::string_view::npos) end = t.size();
    std::string_view body = t.substr(open + 2, end - open - 2);
    pos = end + 2;
    if (kind == '#') continue;
    std::string_view trimmed = body;
    while (!trimmed.empty() && (trimmed.front() == '-' || trimmed.front() == '+' || std::isspace(static_cast<unsigned char>(trimmed.front()))))
      trimmed.remove_prefix(1);
    if (kind == '%' && trimmed.starts_with("endraw")) raw = false;
    if (raw) continue;
    if (kind == '%' && trimmed.starts_with("raw")) {
      raw = true;
      continue;
    }
    blocks.push_back(body);
  }
  return blocks;
}

std::string excerpt(std::string_view s) { return one_line_excerpt(s, kExcerpt); }

}  // namespace

TemplateAssessment assess_jinja_template(std::string_view text) {
  TemplateAssessment r;
  bool command_name = false;
  auto reason = [&](std::string why, std::string_view block) {
    r.sandbox_escape = true;
    if (r.evidence.empty()) r.evidence = excerpt(block);
    if (r.reasons.size() < kMaxReasons && std::find(r.reasons.begin(), r.reasons.end(), why) == r.reasons.end())
      r.reasons.push_back(std::move(why));
  };
  for (std::string_view block : code_blocks(text)) {
    const auto tokens = tokenize(block);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const Token& t = tokens[i];
      const bool after_dot = i > 0 && tokens[i - 1].kind == Token::symbol && tokens[i - 1].text == ".";
      if (t.kind == Token::ident) {
        if (is_dunder(t.text)) reason("dunder attribute " + t.text, block);
        for (auto n : kInternalNames)
          if (t.text == n && (after_dot || n.find("__") != std::string_view::npos))
            reason("interpreter internal " + t.text, block);
        for (auto n : kCommandNames)
          if (t.text == n) command_name = true;
        // `|attr(x)` with anything but a plain literal builds the attribute name at run time.
        const bool filter = i > 0 && tokens[i - 1].kind == Token::symbol && tokens[i - 1].text == "|";
        if (filter && t.text == "attr" && i + 2 < tokens.size() &&
            !(tokens[i + 2].kind == Token::string && i + 3 < tokens.size() && tokens[i + 3].text == ")"))
          reason("attribute name computed at run time (|attr)", block);
      } else if (t.kind == Token::string) {
        if (is_dunder(t.text)) reason("dunder name in a string '" + t.text + "'", block);
        if (t.text.find("__") != std::string::npos && t.text.find_first_not_of('_') != std::string::npos &&
            (t.text.starts_with("__") || t.text.ends_with("__")) && !is_dunder(t.text))
          reason("part of a dunder name in a string '" + excerpt(t.text) + "'", block);
        auto joins = [&](std::size_t j) {
          return j < tokens.size() && tokens[j].kind == Token::symbol &&
                 (tokens[j].text == "~" || tokens[j].text == "+" || tokens[j].text == "*");
        };
        if (!t.text.empty() && t.text.find_first_not_of('_') == std::string::npos &&
            ((i > 0 && joins(i - 1)) || joins(i + 1)))
          reason("underscores as a string piece (building a dunder name)", block);
        if (t.escaped_underscore) reason("underscore spelled through an escape sequence", block);
        if (t.text.find("%c") != std::string::npos) reason("characters built with %c formatting", block);
        for (auto n : kCommandNames)
          if (t.text == n) command_name = true;
      }
    }
  }
  r.command = r.sandbox_escape && command_name;
  return r;
}

void check_jinja_template(std::string_view format, std::string_view key, std::string_view text,
                          std::uint64_t offset, ScanContext& ctx) {
  const auto a = assess_jinja_template(text);
  if (!a.sandbox_escape) return;
  std::string why;
  for (const auto& r : a.reasons) why += (why.empty() ? "" : "; ") + r;
  const std::string where = "the chat template '" + std::string(key) + "'";
  ctx.add_finding(make_finding(std::string(format) + ".template-sandbox-escape", report::Severity::high,
                               report::Verdict::dangerous, "template-injection",
                               where + " climbs out of the Jinja sandbox (" + why + ")", offset, a.evidence));
  if (a.command)
    ctx.add_finding(make_finding(std::string(format) + ".template-command", report::Severity::critical,
                                 report::Verdict::malicious, "code-execution",
                                 where + " escapes the sandbox to run commands or evaluate code when the "
                                         "model is used for chat",
                                 offset, a.evidence));
}

}  // namespace hubguard::scan
