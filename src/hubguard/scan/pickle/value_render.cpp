#include "hubguard/scan/pickle/value_render.hpp"

#include <fmt/format.h>

namespace hubguard::scan::pickle {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

void append_escaped(std::string& out, std::string_view s, std::size_t max, bool is_bytes) {
  std::size_t shown = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (shown >= max) {
      out += kEllipsis;
      return;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    ++shown;
    switch (c) {
      case '\\': out += "\\\\"; continue;
      case '\'': out += "\\'"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F || (is_bytes && c >= 0x80)) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c >= 0x80) {
      // Copy a whole UTF-8 sequence so truncation never splits a character.
      std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (i + len > s.size()) len = s.size() - i;
      out.append(s.substr(i, len));
      i += len - 1;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

struct Renderer {
  const Program& p;
  const RenderOptions& o;
  std::string out;

  bool full() const { return out.size() >= o.max_total; }

  void seq(const Node& n, std::string_view open, std::string_view close, unsigned depth,
           bool pairs) {
    out += open;
    std::size_t step = pairs ? 2 : 1;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < n.items.size(); i += step) {
      if (i) out += ", ";
      if (shown++ >= o.max_items || full()) {
        out += kEllipsis;
        break;
      }
      value(n.items[i], depth + 1);
      if (pairs) {
        out += ": ";
        if (i + 1 < n.items.size()) value(n.items[i + 1], depth + 1);
      }
    }
    if (n.kind == NodeKind::tuple && n.items.size() == 1) out += ",";
    out += close;
  }

  void value(NodeId id, unsigned depth) {
    if (id == kNoNode || id >= p.nodes.size()) {
      out += "<missing>";
      return;
    }
    if (depth > o.max_depth || full()) {
      out += kEllipsis;
      return;
    }
    const Node& n = p.nodes[id];
    switch (n.kind) {
      case NodeKind::none: out += "None"; break;
      case NodeKind::boolean: out += n.integer ? "True" : "False"; break;
      case NodeKind::integer: out += fmt::format("{}", n.integer); break;
      case NodeKind::big_integer:
        if (n.raw)
          out += fmt::format("<int of {} bytes>", n.text.size());
        else
          append_escaped(out, n.text, o.max_string, true);
        break;
      case NodeKind::floating: out += fmt::format("{}", n.floating); break;
      case NodeKind::str: append_str_literal(out, n.text, o.max_string); break;
      case NodeKind::bytes: append_bytes_literal(out, n.text, o.max_string); break;
      case NodeKind::bytearray:
        out += "bytearray(";
        append_bytes_literal(out, n.text, o.max_string);
        out += ")";
        break;
      case NodeKind::list: seq(n, "[", "]", depth, false); break;
      case NodeKind::tuple: seq(n, "(", ")", depth, false); break;
      case NodeKind::dict: seq(n, "{", "}", depth, true); break;
      case NodeKind::set:
        if (n.items.empty())
          out += "set()";
        else
          seq(n, "{", "}", depth, false);
        break;
      case NodeKind::frozenset: seq(n, "frozenset({", "})", depth, false); break;
      case NodeKind::global: {
        auto idx = static_cast<std::size_t>(n.integer);
        if (o.import_names && idx < o.import_names->size() && !(*o.import_names)[idx].empty())
          out += (*o.import_names)[idx];
        else if (idx < p.imports.size())
          out += import_path(p.imports[idx]);
        break;
      }
      case NodeKind::call:
      case NodeKind::persistent: out += fmt::format("_var{}", n.integer); break;
      case NodeKind::buffer: out += "<out-of-band buffer>"; break;
      case NodeKind::unknown: out += fmt::format("<{}>", n.text); break;
    }
  }
};

}  // namespace

void append_str_literal(std::string& out, std::string_view text, std::size_t max) {
  out.push_back('\'');
  append_escaped(out, text, max, false);
  out.push_back('\'');
}

void append_bytes_literal(std::string& out, std::string_view bytes, std::size_t max) {
  out += "b'";
  append_escaped(out, bytes, max, true);
  out.push_back('\'');
}

std::string import_path(const Import& im) {
  if (im.kind == ImportKind::ext) return fmt::format("<extension {}>", im.ext_code);
  if (!im.constant) return fmt::format("getattr(__import__({}), {})", im.module, im.name);
  std::string s;
  s.reserve(im.module.size() + 1 + im.name.size());
  s.append(im.module).append(".").append(im.name);
  return s;
}

std::string render_value(const Program& program, NodeId id, const RenderOptions& options) {
  Renderer r{program, options, {}};
  r.value(id, 0);
  return std::move(r.out);
}

}  // namespace hubguard::scan::pickle
