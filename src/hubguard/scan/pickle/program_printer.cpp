#include "hubguard/scan/pickle/program_printer.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "hubguard/scan/pickle/value_render.hpp"

namespace hubguard::scan::pickle {

namespace {

bool simple_identifier(std::string_view s) {
  if (s.empty() || (s.front() >= '0' && s.front() <= '9')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool dotted_identifier(std::string_view s) {
  std::size_t start = 0;
  while (true) {
    auto dot = s.find('.', start);
    if (!simple_identifier(s.substr(start, dot == std::string_view::npos ? dot : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// Chooses how each import is written and referred to, avoiding name clashes.
struct ImportPlan {
  std::vector<std::string> names;  // display name per import
  std::vector<std::string> lines;  // import statements
};

ImportPlan plan_imports(const Program& p) {
  ImportPlan plan;
  plan.names.resize(p.imports.size());
  std::map<std::string, std::string> taken;  // display name -> "module.name" owning it
  std::set<std::string> emitted;
  for (std::size_t i = 0; i < p.imports.size(); ++i) {
    const Import& im = p.imports[i];
    if (im.kind == ImportKind::ext || !im.constant) continue;  // rendered inline
    std::string full = std::string(im.module) + "." + std::string(im.name);
    std::string_view head = im.name.substr(0, im.name.find('.'));
    std::string rest = im.name.find('.') == std::string_view::npos
                           ? std::string()
                           : std::string(im.name.substr(im.name.find('.')));
    std::string owner = std::string(im.module) + "." + std::string(head);
    bool readable = dotted_identifier(im.module) && simple_identifier(head);
    auto it = taken.find(std::string(head));
    if (readable && (it == taken.end() || it->second == owner)) {
      taken[std::string(head)] = owner;
      plan.names[i] = std::string(head) + rest;
      std::string line = fmt::format("from {} import {}", im.module, head);
      if (emitted.insert(line).second) plan.lines.push_back(std::move(line));
    } else if (readable) {
      plan.names[i] = full;
      std::string line = fmt::format("import {}", im.module);
      if (emitted.insert(line).second) plan.lines.push_back(std::move(line));
    } else {
      std::string m, n;
      append_str_literal(m, im.module, 200);
      append_str_literal(n, im.name, 200);
      plan.names[i] = fmt::format("getattr(__import__({}), {})", m, n);
    }
  }
  return plan;
}

std::string args_list(const Program& p, NodeId args, const RenderOptions& ro) {
  if (args == kNoNode) return "";
  const Node& a = p.nodes[args];
  if (a.kind != NodeKind::tuple) return "*" + render_value(p, args, ro);
  std::string out;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (i) out += ", ";
    if (i >= ro.max_items) {
      out += "\xE2\x80\xA6";
      break;
    }
    out += render_value(p, a.items[i], ro);
  }
  return out;
}

}  // namespace

std::string to_python(const Program& p) {
  ImportPlan plan = plan_imports(p);
  RenderOptions ro;
  ro.import_names = &plan.names;
  std::string out = fmt::format("# pickle at offset {}, protocol {}, {} opcodes\n", p.start,
                                p.protocol, p.opcodes);
  for (const auto& line : plan.lines) out += line + "\n";
  for (const Import& im : p.imports) {
    if (im.kind == ImportKind::ext)
      out += fmt::format("# offset {}: EXT opcode imports extension code {} (copyreg registry)\n",
                         im.offset, im.ext_code);
    else if (!im.constant)
      out += fmt::format("# offset {}: STACK_GLOBAL with computed operands\n", im.offset);
  }

  for (std::size_t i = 0; i < p.calls.size(); ++i) {
    const Call& c = p.calls[i];
    std::string target = c.callable == kNoNode ? "" : render_value(p, c.callable, ro);
    switch (c.kind) {
      case CallKind::reduce:
      case CallKind::obj:
      case CallKind::inst:
        out += fmt::format("_var{} = {}({})\n", i, target, args_list(p, c.args, ro));
        break;
      case CallKind::newobj: {
        std::string a = args_list(p, c.args, ro);
        out += fmt::format("_var{} = {}.__new__({}{}{})\n", i, target, target, a.empty() ? "" : ", ", a);
        break;
      }
      case CallKind::newobj_ex:
        out += fmt::format("_var{} = {}.__new__({}, *{}, **{})\n", i, target, target,
                           render_value(p, c.args, ro), render_value(p, c.kwargs, ro));
        break;
      case CallKind::build:
        out += fmt::format("{}.__setstate__({})\n", target, render_value(p, c.args, ro));
        break;
      case CallKind::persistent_load:
        out += fmt::format("_var{} = persistent_load({})\n", i, render_value(p, c.args, ro));
        break;
      case CallKind::append:
      case CallKind::additems: {
        const char* method = c.kind == CallKind::append ? "append" : "add";
        const Node& a = p.nodes[c.args];
        for (std::size_t k = 0; k < a.items.size(); ++k) {
          if (k >= ro.max_items) {
            out += fmt::format("# \xE2\x80\xA6 {} more\n", a.items.size() - k);
            break;
          }
          out += fmt::format("{}.{}({})\n", target, method, render_value(p, a.items[k], ro));
        }
        break;
      }
      case CallKind::setitem: {
        const Node& a = p.nodes[c.args];
        for (std::size_t k = 0; k + 1 < a.items.size(); k += 2) {
          if (k / 2 >= ro.max_items) {
            out += fmt::format("# \xE2\x80\xA6 {} more\n", (a.items.size() - k) / 2);
            break;
          }
          out += fmt::format("{}[{}] = {}\n", target, render_value(p, a.items[k], ro),
                             render_value(p, a.items[k + 1], ro));
        }
        break;
      }
    }
  }
  if (p.calls_truncated) out += "# \xE2\x80\xA6 further calls not recorded (limit)\n";
  if (p.stopped) {
    out += "result = " + render_value(p, p.result, ro) + "\n";
  } else {
    out += fmt::format("# stream broke at offset {}: {}\n", p.error_offset, p.error);
  }
  for (const auto& l : p.limits)
    out += fmt::format("# limit {} ({}) reached at offset {}\n", l.limit, l.value, l.offset);
  return out;
}

std::string render_call(const Program& p, std::size_t index) {
  RenderOptions ro;
  ro.max_total = 1024;
  ro.max_depth = 6;
  const Call& c = p.calls[index];
  std::string target = c.callable == kNoNode ? "" : render_value(p, c.callable, ro);
  switch (c.kind) {
    case CallKind::build: return fmt::format("{}.__setstate__({})", target, render_value(p, c.args, ro));
    case CallKind::persistent_load: return fmt::format("persistent_load({})", render_value(p, c.args, ro));
    case CallKind::append: return fmt::format("{}.extend({})", target, render_value(p, c.args, ro));
    case CallKind::additems: return fmt::format("{}.update({})", target, render_value(p, c.args, ro));
    case CallKind::setitem: return fmt::format("{}.update({})", target, render_value(p, c.args, ro));
    case CallKind::newobj_ex:
      return fmt::format("{}.__new__({}, *{}, **{})", target, target, render_value(p, c.args, ro),
                         render_value(p, c.kwargs, ro));
    default: break;
  }
  return fmt::format("{}({})", target, args_list(p, c.args, ro));
}

}  // namespace hubguard::scan::pickle
