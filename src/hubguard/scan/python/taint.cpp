#include "hubguard/scan/python/taint.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "hubguard/scan/python/shell_command.hpp"
#include "hubguard/scan/python/sources_sinks.hpp"
#include "hubguard/scan/python/string_fold.hpp"
#include "hubguard/scan/python/value.hpp"

namespace hubguard::scan::python {
namespace {

using report::Finding;
using report::Indicator;
using report::Severity;
using report::Verdict;

// Recursion bounds: deeper code is read by the iterative fallback scan instead.
constexpr unsigned kMaxExprDepth = 40;
constexpr unsigned kMaxBlockDepth = 40;
constexpr unsigned kMaxFlatNesting = 2;

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  return s;
}

std::string first_word(std::string_view s) {
  s = trim_left(s);
  auto end = s.find_first_of(" \t\n;|&");
  return std::string(s.substr(0, end));
}

// A value that says nothing: untainted, unknown, not a name.
bool is_plain(const Value& v) {
  return !v.tainted() && v.handles == 0 && !v.str && v.prefix.empty() && !v.integer &&
         v.qual.empty() && !v.items && v.type.empty();
}

std::string_view role_category(Taint t) {
  switch (t) {
    case Taint::credential:
      return "credential-theft";
    case Taint::host:
      return "reconnaissance";
    case Taint::network:
      return "downloader";
    case Taint::decoded:
      return "obfuscation";
  }
  return "code-execution";
}

struct Arg {
  TSNode node{};
  Value value;
};

struct Args {
  std::vector<Arg> pos;
  std::vector<std::pair<std::string, Arg>> kw;
  Value all;  // taint of every argument

  const Arg* get(std::size_t index, std::string_view name = {}) const {
    if (!name.empty())
      for (const auto& [k, a] : kw)
        if (k == name) return &a;
    if (index < pos.size()) return &pos[index];
    return nullptr;
  }
  const Value* value(std::size_t index, std::string_view name = {}) const {
    const Arg* a = get(index, name);
    return a ? &a->value : nullptr;
  }
  const Value* keyword(std::string_view name) const {
    for (const auto& [k, a] : kw)
      if (k == name) return &a.value;
    return nullptr;
  }
};

struct FunctionDef {
  TSNode node{};
  std::string cls;
  bool is_static = false;
};

struct Frame {
  std::unordered_map<std::string, Value> vars;
  std::unordered_set<std::string> globals;
  std::string cls;
  std::string self_name;
  Value returns;
  bool has_returns = false;
  bool module = false;
};

class Analyzer {
 public:
  Analyzer(const PythonTree& tree, const TaintOptions& options) : tree_(tree), opt_(options) {}

  TaintReport run() {
    register_definitions();
    Frame module;
    module.module = true;
    frames_.push_back(&module);
    // Two passes: the first fills module globals, class attributes and dropped-file paths
    // that later code reads before earlier code writes them; the second reports.
    for (pass_ = 1; pass_ <= 2 && !exhausted_; ++pass_) {
      reporting_ = pass_ == 2;
      plain_cache_.clear();
      exec_block(tree_.root(), 0);
      for (const auto& key : function_order_) {
        if (exhausted_) break;
        if (plain_cache_.count(key)) continue;
        Value ret = analyze_function(key, nullptr, false);
        plain_cache_[key] = ret;
      }
    }
    finish_patterns();
    frames_.clear();
    out_.budget_exhausted = exhausted_;
    out_.operations = ops_;
    return std::move(out_);
  }

 private:
  // ---------------------------------------------------------------- infrastructure

  bool tick() {
    if (exhausted_) return false;
    if (++ops_ > opt_.max_operations) {
      exhausted_ = true;
      return false;
    }
    return true;
  }

  std::string_view text(TSNode n) const { return tree_.text(n); }
  std::uint32_t line(TSNode n) const { return tree_.line(n); }
  std::string snip(TSNode n, std::size_t max = 100) const { return snippet(text(n), max); }
  Frame& cur() { return *frames_.back(); }
  Frame& module_frame() { return *frames_.front(); }

  // ---------------------------------------------------------------- findings

  std::string context() const {
    std::string c = opt_.origin;
    if (!opt_.role.empty() && opt_.role != opt_.origin) c = opt_.role + ", " + c;
    return " [" + c + "]";
  }

  void add_finding(TSNode at, Verdict verdict, Severity severity, std::string_view category,
                   std::string sentence, std::string evidence,
                   std::vector<Indicator> indicators = {}) {
    if (!reporting_) return;
    const std::uint64_t offset = opt_.base_offset + ts_node_start_byte(at);
    std::string rule = "python." + std::string(category);
    if (!seen_.insert(rule + "@" + std::to_string(offset) + "@" + std::string(category)).second)
      return;
    if (out_.findings.size() >= opt_.max_findings) return;
    Finding f;
    f.rule = std::move(rule);
    f.severity = severity;
    f.verdict = verdict;
    f.category = std::string(category);
    f.message = std::move(sentence) + context();
    f.location.offset = offset;
    f.evidence = std::move(evidence);
    f.indicators = std::move(indicators);
    out_.findings.push_back(std::move(f));
  }

  std::string sink_step(TSNode at) const {
    return snip(at) + " (line " + std::to_string(line(at)) + ")";
  }

  void add_flow(TSNode at, const Fact& fact, Verdict verdict, Severity severity,
                std::string_view category, std::string sentence, std::vector<Indicator> ind = {}) {
    if (!fact.label.empty()) sentence += " (source: " + fact.label + ")";
    add_finding(at, verdict, severity, category, std::move(sentence),
                render_path(fact) + " -> " + sink_step(at), std::move(ind));
  }

  void add_direct(TSNode at, Verdict verdict, Severity severity, std::string_view category,
                  std::string sentence, std::vector<Indicator> ind = {}) {
    add_finding(at, verdict, severity, category, std::move(sentence), sink_step(at),
                std::move(ind));
  }

  // ---------------------------------------------------------------- definitions

  // Every def and class in the module, found iteratively before anything runs, so a call
  // may precede the definition it reaches. Methods are keyed "Class.method".
  void register_definitions() {
    struct Item {
      TSNode node;
      std::string cls;
    };
    std::vector<Item> stack{{tree_.root(), {}}};
    while (!stack.empty() && tick()) {
      Item item = std::move(stack.back());
      stack.pop_back();
      const auto type = node_type(item.node);
      if (type == "function_definition" || type == "decorated_definition") {
        TSNode def = item.node;
        bool is_static = false;
        if (type == "decorated_definition") {
          def = field(item.node, "definition");
          if (ts_node_is_null(def)) continue;
          for (TSNode d : named_children(item.node))
            if (node_type(d) == "decorator" &&
                text(d).find("staticmethod") != std::string_view::npos)
              is_static = true;
          if (node_type(def) == "class_definition") {
            stack.push_back({def, item.cls});
            continue;
          }
        }
        TSNode name = field(def, "name");
        if (ts_node_is_null(name)) continue;
        std::string key = std::string(text(name));
        if (!item.cls.empty()) key = item.cls + "." + key;
        if (!functions_.count(key)) function_order_.push_back(key);
        functions_[key] = {def, item.cls, is_static};
        TSNode body = field(def, "body");
        if (!ts_node_is_null(body)) stack.push_back({body, {}});
        continue;
      }
      if (type == "class_definition") {
        TSNode name = field(item.node, "name");
        if (ts_node_is_null(name)) continue;
        std::string cls(text(name));
        auto& bases = classes_[cls];
        TSNode supers = field(item.node, "superclasses");
        if (!ts_node_is_null(supers))
          for (TSNode b : named_children(supers)) bases.emplace_back(text(b));
        TSNode body = field(item.node, "body");
        if (!ts_node_is_null(body)) stack.push_back({body, cls});
        continue;
      }
      auto children = named_children(item.node);
      for (auto it = children.rbegin(); it != children.rend(); ++it) {
        // Only statement containers: expressions hold no definitions (lambdas aside).
        auto ct = node_type(*it);
        if (ct == "expression_statement" || ct == "identifier" || ct == "string" || ct == "call" ||
            ct == "attribute")
          continue;
        stack.push_back({*it, item.cls});
      }
    }
  }

  // The method `name` of class `cls` or of its module-local bases.
  std::string find_method_key(const std::string& cls, std::string_view name) {
    std::string c = cls;
    for (int hops = 0; hops < 8 && !c.empty(); ++hops) {
      std::string key = c + "." + std::string(name);
      if (functions_.count(key)) return key;
      auto it = classes_.find(c);
      if (it == classes_.end()) break;
      std::string next;
      for (const auto& b : it->second)
        if (classes_.count(b)) {
          next = b;
          break;
        }
      c = next;
    }
    return {};
  }

  const Value* find_class_attr(const std::string& cls, std::string_view name) {
    std::string c = cls;
    for (int hops = 0; hops < 8 && !c.empty(); ++hops) {
      auto it = class_attrs_.find(c);
      if (it != class_attrs_.end()) {
        auto a = it->second.find(std::string(name));
        if (a != it->second.end()) return &a->second;
      }
      auto k = classes_.find(c);
      if (k == classes_.end()) break;
      std::string next;
      for (const auto& b : k->second)
        if (classes_.count(b)) {
          next = b;
          break;
        }
      c = next;
    }
    return nullptr;
  }

  // ---------------------------------------------------------------- variables

  void set_var(const std::string& name, Value v, bool weak = false) {
    Frame* f = &cur();
    if (!f->module && f->globals.count(name)) f = &module_frame();
    auto it = f->vars.find(name);
    // Module variables are merged in the second pass (functions may have written them);
    // weak updates (container mutation, attribute stores) always merge.
    if (it != f->vars.end() && (weak || (f->module && pass_ == 2))) {
      Value merged = v;
      merge_taint(merged, it->second);
      if (weak) {
        merged.str = it->second.str;
        merged.qual = it->second.qual;
        merged.type = it->second.type;
        merged.items = nullptr;
        merged.written_path = it->second.written_path;
      }
      it->second = std::move(merged);
      return;
    }
    f->vars[name] = std::move(v);
  }

  Value lookup(std::string_view name) {
    Frame& f = cur();
    const std::string key(name);
    if (!f.module && !f.globals.count(key)) {
      auto it = f.vars.find(key);
      if (it != f.vars.end()) return it->second;
    }
    auto& m = module_frame().vars;
    if (auto it = m.find(key); it != m.end()) return it->second;
    Value v;
    if (functions_.count(key)) {
      v.qual = "<local:" + key + ">";
      return v;
    }
    if (classes_.count(key)) {
      v.qual = "<class:" + key + ">";
      return v;
    }
    for (const auto& mod : wildcard_modules_) {
      std::string q = normalize_qualname(mod + "." + key);
      if (find_callable(q) || find_source_attribute(q)) {
        v.qual = q;
        return v;
      }
    }
    if (name == "__builtins__" || name == "builtins") {
      v.qual = "builtins";
      return v;
    }
    if (is_builtin_name(name)) v.qual = "builtins." + key;
    return v;
  }

  // ---------------------------------------------------------------- statements

  void exec_block(TSNode block, unsigned depth) {
    for (TSNode s : named_children(block)) {
      if (exhausted_) return;
      exec_stmt(s, depth);
    }
  }

  void exec_stmt(TSNode s, unsigned depth) {
    if (!tick()) return;
    if (depth > kMaxBlockDepth) {
      flat_scan(s);
      return;
    }
    const auto type = node_type(s);
    if (type == "expression_statement") {
      for (TSNode e : named_children(s)) {
        auto et = node_type(e);
        if (et == "assignment")
          exec_assignment(e, depth);
        else if (et == "augmented_assignment")
          exec_augmented(e, depth);
        else
          eval(e, 0);
      }
    } else if (type == "import_statement") {
      exec_import(s);
    } else if (type == "import_from_statement") {
      exec_import_from(s);
    } else if (type == "function_definition" || type == "future_import_statement" ||
               type == "pass_statement" || type == "break_statement" ||
               type == "continue_statement" || type == "comment") {
    } else if (type == "decorated_definition") {
      TSNode def = field(s, "definition");
      if (!ts_node_is_null(def) && node_type(def) == "class_definition") exec_class(def, depth);
    } else if (type == "class_definition") {
      exec_class(s, depth);
    } else if (type == "block" || type == "module") {
      exec_block(s, depth + 1);
    } else if (type == "for_statement") {
      exec_for(s, depth);
    } else if (type == "with_statement") {
      exec_with(s, depth);
    } else if (type == "return_statement") {
      Value v;
      for (TSNode e : named_children(s)) v = join(v, eval(e, 0));
      Frame& f = cur();
      if (!f.has_returns) {
        f.returns = v;
        f.has_returns = true;
      } else {
        f.returns = join(f.returns, v);
      }
    } else if (type == "global_statement" || type == "nonlocal_statement") {
      for (TSNode id : named_children(s)) cur().globals.insert(std::string(text(id)));
    } else if (type == "if_statement" || type == "while_statement" || type == "try_statement" ||
               type == "elif_clause" || type == "else_clause" || type == "except_clause" ||
               type == "except_group_clause" || type == "finally_clause") {
      for (TSNode c : named_children(s)) {
        auto ct = node_type(c);
        if (ct == "block" || ct.ends_with("_clause"))
          exec_stmt(c, depth + 1);
        else
          eval(c, 0);
      }
    } else if (type == "exec_statement") {
      TSNode code = field(s, "code");
      if (!ts_node_is_null(code)) handle_code_exec(s, "exec", eval(code, 0));
    } else if (type == "delete_statement") {
    } else if (type == "ERROR") {
      scan_error(s);
    } else {
      flat_scan(s);
    }
  }

  void exec_class(TSNode cls, unsigned depth) {
    TSNode name = field(cls, "name");
    TSNode body = field(cls, "body");
    if (ts_node_is_null(name) || ts_node_is_null(body)) return;
    const std::string cname(text(name));
    for (TSNode s : named_children(body)) {
      if (!tick()) return;
      auto t = node_type(s);
      if (t == "function_definition") continue;
      if (t == "decorated_definition") {
        TSNode def = field(s, "definition");
        if (!ts_node_is_null(def) && node_type(def) == "class_definition")
          exec_class(def, depth + 1);
        continue;
      }
      if (t == "expression_statement") {
        bool handled = false;
        for (TSNode e : named_children(s)) {
          if (node_type(e) != "assignment") continue;
          TSNode left = field(e, "left");
          TSNode right = field(e, "right");
          if (ts_node_is_null(left) || node_type(left) != "identifier") continue;
          Value v = ts_node_is_null(right) ? Value{} : eval(right, 0);
          auto& slot = class_attrs_[cname][std::string(text(left))];
          Value merged = v;
          merge_taint(merged, slot);
          slot = std::move(merged);
          handled = true;
        }
        if (handled) continue;
      }
      exec_stmt(s, depth + 1);
    }
  }

  Value exec_assignment(TSNode a, unsigned depth) {
    TSNode left = field(a, "left");
    TSNode right = field(a, "right");
    if (ts_node_is_null(right)) return {};
    Value v;
    auto rt = node_type(right);
    if (rt == "assignment")
      v = exec_assignment(right, depth);
    else if (rt == "augmented_assignment")
      v = exec_augmented(right, depth);
    else
      v = eval(right, 0);
    if (!ts_node_is_null(left)) bind(left, v, line(a), 0);
    return v;
  }

  Value exec_augmented(TSNode a, unsigned) {
    TSNode left = field(a, "left");
    TSNode right = field(a, "right");
    if (ts_node_is_null(left) || ts_node_is_null(right)) return {};
    Value l = eval(left, 0);
    Value r = eval(right, 0);
    Value v = taint_of(l);
    merge_taint(v, r);
    TSNode op = field(a, "operator");
    if (!ts_node_is_null(op) && text(op) == "+=") {
      if (l.str && r.str && l.str->size() + r.str->size() <= kMaxFoldedString)
        v.str = *l.str + *r.str;
      else if (l.str)
        v.prefix = *l.str;
      else
        v.prefix = l.prefix;
    }
    bind(left, v, line(a), 0);
    return v;
  }

  void exec_for(TSNode s, unsigned depth) {
    TSNode left = field(s, "left");
    TSNode right = field(s, "right");
    Value it = ts_node_is_null(right) ? Value{} : eval(right, 0);
    if (!ts_node_is_null(left)) bind(left, element_of(it), line(s), 0);
    for (TSNode c : named_children(s)) {
      auto ct = node_type(c);
      if (ct == "block" || ct == "else_clause") exec_stmt(c, depth + 1);
    }
  }

  // What iterating over `v` yields.
  Value element_of(const Value& v) {
    Value e = taint_of(v);
    if (v.items)
      for (const auto& item : *v.items) e = join(e, item);
    return e;
  }

  void exec_with(TSNode s, unsigned depth) {
    for (TSNode c : named_children(s)) {
      auto ct = node_type(c);
      if (ct == "with_clause") {
        for (TSNode item : named_children(c)) {
          TSNode value = node_type(item) == "with_item" ? field(item, "value") : item;
          if (ts_node_is_null(value)) continue;
          if (node_type(value) == "as_pattern") {
            auto parts = named_children(value);
            TSNode alias = field(value, "alias");
            Value v = parts.empty() ? Value{} : eval(parts.front(), 0);
            if (!ts_node_is_null(alias)) {
              auto targets = named_children(alias);
              if (!targets.empty()) bind(targets.front(), v, line(item), 0);
            }
          } else {
            eval(value, 0);
          }
        }
      } else if (ct == "block") {
        exec_stmt(c, depth + 1);
      }
    }
  }

  void exec_import(TSNode s) {
    for (TSNode n : named_children(s)) {
      auto t = node_type(n);
      if (t == "dotted_name") {
        std::string full(text(n));
        std::string first = full.substr(0, full.find('.'));
        Value v;
        v.qual = normalize_qualname(first);
        set_var(first, v);
      } else if (t == "aliased_import") {
        TSNode name = field(n, "name");
        TSNode alias = field(n, "alias");
        if (ts_node_is_null(name) || ts_node_is_null(alias)) continue;
        Value v;
        v.qual = normalize_qualname(text(name));
        set_var(std::string(text(alias)), v);
      }
    }
  }

  void exec_import_from(TSNode s) {
    TSNode module = field(s, "module_name");
    if (ts_node_is_null(module)) return;
    const bool relative = node_type(module) == "relative_import";
    const std::string mod = normalize_qualname(text(module));
    TSTreeCursor cursor = ts_tree_cursor_new(s);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        TSNode n = ts_tree_cursor_current_node(&cursor);
        const char* fname = ts_tree_cursor_current_field_name(&cursor);
        auto t = node_type(n);
        if (t == "wildcard_import") {
          if (!relative) wildcard_modules_.push_back(mod);
          continue;
        }
        if (fname == nullptr || std::string_view(fname) != "name") continue;
        std::string name, bound;
        if (t == "aliased_import") {
          TSNode nn = field(n, "name");
          TSNode alias = field(n, "alias");
          if (ts_node_is_null(nn) || ts_node_is_null(alias)) continue;
          name = text(nn);
          bound = text(alias);
        } else {
          name = text(n);
          bound = name;
        }
        Value v;
        if (!relative) v.qual = normalize_qualname(mod + "." + name);
        set_var(bound, v);
      } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
  }

  // ---------------------------------------------------------------- binding

  void bind(TSNode target, const Value& v, std::uint32_t at_line, unsigned depth) {
    if (!tick() || depth > kMaxExprDepth) return;
    const auto t = node_type(target);
    if (t == "identifier") {
      std::string name(text(target));
      set_var(name, with_step(v, name, at_line));
    } else if (t == "pattern_list" || t == "tuple_pattern" || t == "list_pattern" || t == "tuple" ||
               t == "list" || t == "expression_list") {
      auto parts = named_children(target);
      const bool exact = v.items && v.items->size() == parts.size();
      for (std::size_t i = 0; i < parts.size(); ++i)
        bind(parts[i], exact ? (*v.items)[i] : element_of(v), at_line, depth + 1);
    } else if (t == "list_splat_pattern" || t == "list_splat" || t == "parenthesized_expression") {
      for (TSNode c : named_children(target)) bind(c, v, at_line, depth + 1);
    } else if (t == "attribute") {
      TSNode obj = field(target, "object");
      TSNode attr = field(target, "attribute");
      if (ts_node_is_null(obj) || ts_node_is_null(attr)) return;
      const std::string attr_name(text(attr));
      Frame& f = cur();
      if (node_type(obj) == "identifier" && !f.cls.empty() && text(obj) == f.self_name) {
        auto& slot = class_attrs_[f.cls][attr_name];
        Value merged = with_step(v, "self." + attr_name, at_line);
        merge_taint(merged, slot);
        slot = std::move(merged);
        return;
      }
      const std::string key = std::string(text(obj)) + "." + attr_name;
      set_var(key, with_step(v, key, at_line), true);
      if (node_type(obj) == "identifier") set_var(std::string(text(obj)), taint_of(v), true);
    } else if (t == "subscript") {
      TSNode base = field(target, "value");
      if (ts_node_is_null(base)) return;
      Value tv = taint_of(v);
      if (!tv.tainted() && tv.handles == 0) return;
      if (node_type(base) == "identifier") {
        std::string name(text(base));
        set_var(name, with_step(tv, name, at_line), true);
      } else {
        bind(base, tv, at_line, depth + 1);
      }
    }
  }

  // ---------------------------------------------------------------- expressions

  Value eval(TSNode e, unsigned depth) {
    if (ts_node_is_null(e) || !tick()) return {};
    if (depth > kMaxExprDepth) return flat_scan(e);
    const auto t = node_type(e);
    if (t == "identifier") return lookup(text(e));
    if (t == "string") return eval_string(e, depth);
    if (t == "concatenated_string") {
      Value out;
      out.str = std::string();
      for (TSNode part : named_children(e)) {
        Value p = eval(part, depth + 1);
        merge_taint(out, p);
        if (out.str && p.str && out.str->size() + p.str->size() <= kMaxFoldedString) {
          *out.str += *p.str;
        } else if (out.str) {
          out.prefix = *out.str + p.prefix;
          out.str.reset();
        }
      }
      return out;
    }
    if (t == "integer") {
      Value v;
      v.integer = parse_int_literal(text(e));
      return v;
    }
    if (t == "true") {
      Value v;
      v.integer = 1;
      return v;
    }
    if (t == "false" || t == "none" || t == "float" || t == "ellipsis") return {};
    if (t == "attribute") {
      TSNode obj = field(e, "object");
      TSNode attr = field(e, "attribute");
      if (ts_node_is_null(obj) || ts_node_is_null(attr)) return {};
      Value base = eval(obj, depth + 1);
      return attribute_of(base, text(attr), obj, e);
    }
    if (t == "subscript") return eval_subscript(e, depth);
    if (t == "call") return eval_call(e, depth);
    if (t == "binary_operator") return eval_binary(e, depth);
    if (t == "parenthesized_expression" || t == "await" || t == "not_operator" ||
        t == "unary_operator") {
      Value out;
      for (TSNode c : named_children(e)) out = eval(c, depth + 1);
      if (t == "not_operator") return taint_of(out);
      if (t == "unary_operator") {
        Value r = taint_of(out);
        TSNode op = field(e, "operator");
        if (out.integer && !ts_node_is_null(op) && text(op) == "-") r.integer = -*out.integer;
        return r;
      }
      return out;
    }
    if (t == "list" || t == "tuple" || t == "set" || t == "expression_list") {
      Value out;
      auto items = std::make_shared<std::vector<Value>>();
      for (TSNode c : named_children(e)) {
        Value v = eval(c, depth + 1);
        merge_taint(out, v);
        if (items->size() < kMaxItems) items->push_back(std::move(v));
      }
      out.items = std::move(items);
      return out;
    }
    if (t == "dictionary") {
      Value out;
      for (TSNode c : named_children(e)) {
        if (node_type(c) == "pair") {
          for (TSNode kv : named_children(c)) merge_taint(out, eval(kv, depth + 1));
        } else {
          merge_taint(out, eval(c, depth + 1));
        }
      }
      return out;
    }
    if (t == "list_comprehension" || t == "set_comprehension" || t == "generator_expression" ||
        t == "dictionary_comprehension")
      return eval_comprehension(e, depth);
    if (t == "conditional_expression" || t == "boolean_operator") {
      Value out;
      bool first = true;
      for (TSNode c : named_children(e)) {
        Value v = eval(c, depth + 1);
        out = first ? v : join(out, v);
        first = false;
      }
      return out;
    }
    if (t == "named_expression") {
      TSNode name = field(e, "name");
      Value v = eval(field(e, "value"), depth + 1);
      if (!ts_node_is_null(name)) bind(name, v, line(e), 0);
      return v;
    }
    if (t == "lambda") {
      // The body runs whenever the lambda is called: look at it once, arguments unknown.
      TSNode body = field(e, "body");
      if (!ts_node_is_null(body)) eval(body, depth + 1);
      return {};
    }
    if (t == "keyword_argument") return eval(field(e, "value"), depth + 1);
    if (t == "list_splat" || t == "dictionary_splat" || t == "yield" ||
        t == "comparison_operator" || t == "slice" || t == "pair" || t == "format_expression") {
      Value out;
      for (TSNode c : named_children(e)) merge_taint(out, eval(c, depth + 1));
      return out;
    }
    if (t == "ERROR") return scan_error(e);
    if (t == "assignment") return exec_assignment(e, 0);
    return flat_scan(e);
  }

  Value eval_string(TSNode s, unsigned depth) {
    Value out;
    std::string constant;
    bool partial = false;
    bool raw = false;
    for (TSNode c : all_children(s)) {
      auto ct = node_type(c);
      if (ct == "string_start") {
        for (char ch : text(c)) {
          if (ch == 'r' || ch == 'R') raw = true;
          if (ch == '"' || ch == '\'') break;
        }
      } else if (ct == "string_content") {
        std::string piece = decode_string_escapes(text(c), raw, kMaxFoldedString);
        check_string_markers(c, piece, out);
        if (!partial && constant.size() + piece.size() <= kMaxFoldedString) constant += piece;
      } else if (ct == "interpolation") {
        TSNode expr = field(c, "expression");
        Value v = ts_node_is_null(expr) ? Value{} : eval(expr, depth + 1);
        merge_taint(out, v);
        if (!partial && v.str && constant.size() + v.str->size() <= kMaxFoldedString)
          constant += *v.str;
        else if (!partial && v.integer)
          constant += std::to_string(*v.integer);
        else
          partial = true;
      }
    }
    if (partial) {
      out.prefix = std::move(constant);
    } else {
      // A path the script wrote downloaded data to: reading it back is reading the download.
      if (auto it = path_taint_.find(constant); it != path_taint_.end())
        merge_taint(out, it->second);
      out.str = std::move(constant);
    }
    return out;
  }

  // Constants that are sources or findings by themselves.
  void check_string_markers(TSNode at, std::string_view piece, Value& out) {
    if (piece.size() < 4) return;
    if (auto label = sensitive_path_label(piece); !label.empty() && !out.fact(Taint::credential))
      out.fact(Taint::credential) = make_fact(Taint::credential, std::string(label),
                                              "'" + snippet(piece, 60) + "'", line(at));
    if (auto label = mining_marker(piece); !label.empty())
      add_direct(at, Verdict::malicious, Severity::high, "crypto-mining",
                 "names a cryptocurrency mining endpoint (" + std::string(label) + ")",
                 {{"url", snippet(piece, 200)}});
  }

  Value attribute_of(const Value& base, std::string_view attr, TSNode obj, TSNode at) {
    Value out;
    if (starts_with(base.qual, "<self:") || starts_with(base.qual, "<class:")) {
      const bool instance = starts_with(base.qual, "<self:");
      const std::string cls =
          base.qual.substr(instance ? 6 : 7, base.qual.size() - (instance ? 7 : 8));
      if (const Value* v = find_class_attr(cls, attr)) return *v;
      std::string key = find_method_key(cls, attr);
      if (!key.empty()) {
        out.qual = "<local:" + key + ">";
        out.bound_self = instance;
      }
      return out;
    }
    if (base.qual == "<globals>") return lookup(attr);
    if (!base.qual.empty() && !is_reference(base.qual) && base.type.empty()) {
      out.qual = normalize_qualname(base.qual + "." + std::string(attr));
      // The running interpreter: what `[sys.executable, script]` starts.
      if (out.qual == "sys.executable") out.str = "python3";
      if (const CallableInfo* src = find_source_attribute(out.qual))
        out.fact(src->taint) = make_fact(src->taint, "environment", out.qual, line(at));
      return out;
    }
    out = taint_of(base);
    if (!base.type.empty()) out.qual = base.type + "." + std::string(attr);
    if (!ts_node_is_null(obj)) {
      const std::string key = std::string(text(obj)) + "." + std::string(attr);
      Frame& f = cur();
      if (auto it = f.vars.find(key); it != f.vars.end()) merge_taint(out, it->second);
    }
    return out;
  }

  Value eval_subscript(TSNode e, unsigned depth) {
    TSNode base_node = field(e, "value");
    Value base = eval(base_node, depth + 1);
    Value index;
    bool reverse = false;
    for (TSNode c : named_children(e)) {
      if (ts_node_eq(c, base_node)) continue;
      if (node_type(c) == "slice") {
        // s[::-1]: the cheapest string obfuscation there is.
        auto st = snippet(text(c), 16);
        if (st == "::-1") reverse = true;
        merge_taint(index, eval(c, depth + 1));
      } else {
        index = eval(c, depth + 1);
      }
    }
    if (base.qual == "os.environ" || base.qual == "os.environb") return env_value(e, index.str);
    if (base.qual == "sys.modules" && index.str) {
      Value v;
      v.qual = normalize_qualname(*index.str);
      return v;
    }
    if (base.qual == "<globals>" && index.str) return lookup(*index.str);
    if (index.str && (base.qual == "builtins" || base.qual.ends_with(".__dict__"))) {
      std::string mod =
          base.qual == "builtins" ? base.qual : base.qual.substr(0, base.qual.size() - 9);
      Value v;
      v.qual = normalize_qualname(mod + "." + *index.str);
      return v;
    }
    Value out = taint_of(base);
    if (reverse && base.str) out.str = std::string(base.str->rbegin(), base.str->rend());
    if (base.items && index.integer && *index.integer >= 0 &&
        static_cast<std::size_t>(*index.integer) < base.items->size())
      return (*base.items)[static_cast<std::size_t>(*index.integer)];
    if (base.str && index.integer && *index.integer >= 0 &&
        static_cast<std::size_t>(*index.integer) < base.str->size())
      out.str = std::string(1, (*base.str)[static_cast<std::size_t>(*index.integer)]);
    return out;
  }

  Value eval_binary(TSNode e, unsigned depth) {
    Value l = eval(field(e, "left"), depth + 1);
    Value r = eval(field(e, "right"), depth + 1);
    TSNode opn = field(e, "operator");
    const std::string_view op = ts_node_is_null(opn) ? std::string_view() : text(opn);
    Value out = taint_of(l);
    merge_taint(out, r);
    if (op == "+") {
      if (l.str && r.str && l.str->size() + r.str->size() <= kMaxFoldedString)
        out.str = *l.str + *r.str;
      else if (l.str)
        out.prefix = *l.str + r.prefix;
      else
        out.prefix = l.prefix;
      if (l.integer && r.integer) out.integer = *l.integer + *r.integer;
      if (l.items && r.items) {
        auto items = std::make_shared<std::vector<Value>>(*l.items);
        for (const auto& v : *r.items)
          if (items->size() < kMaxItems) items->push_back(v);
        out.items = std::move(items);
      }
    } else if (op == "%") {
      if (l.str) out.prefix = l.str->substr(0, l.str->find('%'));
      if (l.integer && r.integer && *r.integer != 0) out.integer = *l.integer % *r.integer;
    } else if (op == "/") {
      // pathlib: Path.home() / ".bashrc"
      if (l.str && r.str)
        out.str = *l.str + "/" + *r.str;
      else if (l.str)
        out.prefix = *l.str + "/";
      if (l.integer && r.integer && *r.integer != 0) out.integer = *l.integer / *r.integer;
    } else if (l.integer && r.integer) {
      const long long a = *l.integer, b = *r.integer;
      if (op == "-")
        out.integer = a - b;
      else if (op == "*" && a < (1LL << 31) && b < (1LL << 31))
        out.integer = a * b;
      else if (op == "^")
        out.integer = a ^ b;
      else if (op == "&")
        out.integer = a & b;
      else if (op == "|")
        out.integer = a | b;
    } else if (op == "*" && l.str && r.integer && *r.integer >= 0 &&
               l.str->size() * static_cast<std::size_t>(*r.integer) <= 4096) {
      std::string s;
      for (long long i = 0; i < *r.integer; ++i) s += *l.str;
      out.str = std::move(s);
    }
    return out;
  }

  Value eval_comprehension(TSNode e, unsigned depth) {
    Value body_value;
    TSNode body = field(e, "body");
    for (TSNode c : named_children(e)) {
      auto ct = node_type(c);
      if (ct == "for_in_clause") {
        TSNode left = field(c, "left");
        Value it;
        for (TSNode r : named_children(c))
          if (!ts_node_eq(r, left)) it = join(it, eval(r, depth + 1));
        if (!ts_node_is_null(left)) bind(left, element_of(it), line(c), 0);
      } else if (ct == "if_clause") {
        for (TSNode r : named_children(c)) eval(r, depth + 1);
      }
    }
    if (!ts_node_is_null(body)) {
      if (node_type(body) == "pair") {
        for (TSNode kv : named_children(body)) merge_taint(body_value, eval(kv, depth + 1));
      } else {
        body_value = eval(body, depth + 1);
      }
    }
    Value out = taint_of(body_value);
    return out;
  }

  // The iterative fallback: everything under `n` is visited once without recursion; calls
  // and assignments found are evaluated (their own subtrees bounded again), identifiers
  // contribute their taint. A nesting counter stops fallback scans from re-entering each
  // other without bound.
  Value flat_scan(TSNode n) {
    Value acc;
    if (flat_nesting_ >= kMaxFlatNesting) {
      walk_subtree(n, [&](TSNode c) {
        if (!tick()) return false;
        if (node_type(c) == "identifier") merge_taint(acc, lookup(text(c)));
        return true;
      });
      return acc;
    }
    ++flat_nesting_;
    bool root = true;
    walk_subtree(n, [&](TSNode c) {
      if (!tick()) return false;
      const bool is_root = root;
      root = false;
      const auto t = node_type(c);
      if (t == "call" && !is_root) {
        merge_taint(acc, eval_call(c, 0));
        return false;
      }
      if (t == "assignment" && !is_root) {
        merge_taint(acc, exec_assignment(c, 0));
        return false;
      }
      if (t == "import_statement") {
        exec_import(c);
        return false;
      }
      if (t == "import_from_statement") {
        exec_import_from(c);
        return false;
      }
      if (t == "function_definition" || t == "class_definition") return false;
      if (t == "ERROR" && !is_root) {
        merge_taint(acc, scan_error(c));
        return false;
      }
      if (t == "string" && !is_root) {
        merge_taint(acc, eval_string(c, kMaxExprDepth));
        return false;
      }
      if (t == "identifier") merge_taint(acc, lookup(text(c)));
      if (t == "call" && is_root) {
        merge_taint(acc, eval_call(c, 0));
        return false;
      }
      return true;
    });
    --flat_nesting_;
    return acc;
  }

  // Broken code: tree-sitter leaves runs like `exec ( X.b64decode ( "..."` as flat ERROR
  // children. Rebuild the calls from the tokens: an expression followed by "(" opens a call
  // whose arguments are the expressions up to the matching ")" (or the end of the run).
  Value scan_error(TSNode err) {
    if (flat_nesting_ >= kMaxFlatNesting) return flat_scan(err);
    ++flat_nesting_;
    struct Pending {
      TSNode callee_node;
      Value callee;
      Value recv;
      bool has_recv = false;
      std::string method, recv_text;
      Args args;
    };
    std::vector<Pending> pending;
    Value acc;
    auto children = all_children(err);
    auto close = [&]() {
      Pending p = std::move(pending.back());
      pending.pop_back();
      Value r = apply_call(p.callee_node, p.callee, p.has_recv ? &p.recv : nullptr, p.method,
                           p.recv_text, TSNode{}, p.args);
      merge_taint(acc, r);
      if (!pending.empty()) {
        merge_taint(pending.back().args.all, r);
        pending.back().args.pos.push_back({p.callee_node, std::move(r)});
      }
    };
    for (std::size_t i = 0; i < children.size() && !exhausted_; ++i) {
      TSNode c = children[i];
      const auto t = node_type(c);
      if (!ts_node_is_named(c)) {
        if (t == ")" && !pending.empty()) close();
        continue;
      }
      const bool opens = i + 1 < children.size() && node_type(children[i + 1]) == "(" &&
                         (t == "identifier" || t == "attribute");
      if (opens && pending.size() < 64) {
        Pending p;
        p.callee_node = c;
        if (t == "attribute") {
          TSNode obj = field(c, "object");
          TSNode attr = field(c, "attribute");
          p.recv = eval(obj, 0);
          p.has_recv = true;
          p.method = ts_node_is_null(attr) ? std::string() : std::string(text(attr));
          p.recv_text = ts_node_is_null(obj) ? std::string() : std::string(text(obj));
          p.callee = attribute_of(p.recv, p.method, obj, c);
        } else {
          p.callee = lookup(text(c));
        }
        pending.push_back(std::move(p));
        ++i;  // the "("
        continue;
      }
      Value v;
      if (t == "ERROR")
        v = scan_error(c);
      else if (t == "block" || t == "expression_statement" || t.ends_with("_statement")) {
        exec_stmt(c, kMaxBlockDepth);
        continue;
      } else
        v = eval(c, 0);
      merge_taint(acc, v);
      if (!pending.empty()) {
        merge_taint(pending.back().args.all, v);
        pending.back().args.pos.push_back({c, std::move(v)});
      }
    }
    while (!pending.empty() && !exhausted_) close();
    --flat_nesting_;
    return acc;
  }

  // ---------------------------------------------------------------- calls

  Value eval_call(TSNode call, unsigned depth) {
    TSNode fn = field(call, "function");
    TSNode args_node = field(call, "arguments");
    Value callee, recv;
    bool has_recv = false;
    std::string method, recv_text;
    TSNode recv_node{};
    if (!ts_node_is_null(fn) && node_type(fn) == "attribute") {
      TSNode obj = field(fn, "object");
      TSNode attr = field(fn, "attribute");
      recv = eval(obj, depth + 1);
      has_recv = true;
      recv_node = obj;
      method = ts_node_is_null(attr) ? std::string() : std::string(text(attr));
      recv_text = ts_node_is_null(obj) ? std::string() : std::string(text(obj));
      callee = attribute_of(recv, method, obj, fn);
    } else if (!ts_node_is_null(fn)) {
      callee = eval(fn, depth + 1);
    }
    Args args;
    if (!ts_node_is_null(args_node)) {
      if (node_type(args_node) == "generator_expression") {
        Value v = eval(args_node, depth + 1);
        merge_taint(args.all, v);
        args.pos.push_back({args_node, std::move(v)});
      } else {
        for (TSNode a : named_children(args_node)) {
          const auto at = node_type(a);
          if (at == "keyword_argument") {
            TSNode name = field(a, "name");
            TSNode value = field(a, "value");
            Value v = eval(value, depth + 1);
            merge_taint(args.all, v);
            args.kw.push_back({ts_node_is_null(name) ? std::string() : std::string(text(name)),
                               Arg{value, std::move(v)}});
          } else if (at == "list_splat") {
            auto inner = named_children(a);
            Value v = inner.empty() ? Value{} : eval(inner.front(), depth + 1);
            merge_taint(args.all, v);
            if (v.items)
              for (const auto& item : *v.items) args.pos.push_back({a, item});
            else
              args.pos.push_back({a, std::move(v)});
          } else if (at == "dictionary_splat") {
            auto inner = named_children(a);
            Value v = inner.empty() ? Value{} : eval(inner.front(), depth + 1);
            merge_taint(args.all, v);
          } else {
            Value v = eval(a, depth + 1);
            merge_taint(args.all, v);
            args.pos.push_back({a, std::move(v)});
          }
        }
      }
    }
    return apply_call(call, callee, has_recv ? &recv : nullptr, method, recv_text, recv_node, args);
  }

  Value apply_call(TSNode at, const Value& callee, const Value* recv, const std::string& method,
                   const std::string& recv_text, TSNode recv_node, Args& args) {
    if (!tick()) return {};
    const std::string& q = callee.qual;
    if (starts_with(q, "<local:"))
      return call_local(at, q.substr(7, q.size() - 8), callee.bound_self, args);
    if (starts_with(q, "<class:")) return instantiate(at, q.substr(7, q.size() - 8), args);
    const bool data_recv = recv && (recv->qual.empty() || !recv->type.empty());
    const CallableInfo* info = nullptr;
    if (!q.empty() && !is_reference(q)) info = find_callable(q);
    // A method judged by name (the receiver's type is unknown): for path-like methods the
    // receiver is the path.
    bool by_method = false;
    if (!info && data_recv) {
      info = find_method(method, recv->handles, recv_text);
      by_method = info != nullptr;
    }
    Value result;
    if (data_recv) result = taint_of(*recv);
    merge_taint(result, args.all);
    merge_taint(result, taint_of(callee));
    if (!info) {
      plain_call(at, q, recv, data_recv, method, recv_node, args, result);
      return result;
    }
    const Value* a0 = args.value(0);
    switch (info->role) {
      case Role::none:
        if (!q.empty() && !is_reference(q)) result.type = q;
        break;
      case Role::source: {
        const bool sock = recv && (recv->handles & socket_handle);
        std::string label = sock ? "socket read" : std::string(to_string(info->taint)) + " read";
        if (info->taint == Taint::host) label = "host facts";
        if (info->taint == Taint::credential) label = "credential store";
        result.fact(info->taint) = make_fact(info->taint, label, snip(at, 60), line(at), sock);
        break;
      }
      case Role::env_lookup: {
        Value env = env_value(at, a0 ? a0->str : std::nullopt);
        if (const Value* dflt = args.value(1, "default")) merge_taint(env, *dflt);
        return env;
      }
      case Role::decoder:
        return decode_call(at, q, method, recv, data_recv, args, result);
      case Role::chr:
        if (a0 && a0->integer && *a0->integer >= 0 && *a0->integer < 0x110000) {
          if (*a0->integer < 0x80) result.str = std::string(1, static_cast<char>(*a0->integer));
        }
        break;
      case Role::compile:
        if (a0) {
          Value code = *a0;
          merge_taint(code, result);
          return code;
        }
        break;
      case Role::code_exec: {
        const Value* code = a0;
        if (q == "timeit.timeit" || q == "timeit.repeat") code = args.value(0, "stmt");
        if (q == "runpy.run_path") code = args.value(0, "path_name");
        if (code) handle_code_exec(at, q.empty() ? method : q, *code);
        break;
      }
      case Role::dynamic_import: {
        const Value* name = args.value(0, "name");
        if (name && name->str) {
          Value v;
          v.qual = normalize_qualname(*name->str);
          return v;
        }
        if (name)
          dynamic_name(at, q, *name, "imports a module whose name is computed at run time", false);
        break;
      }
      case Role::dynamic_attr: {
        const Value* obj = args.value(0);
        const Value* name = args.value(1);
        if (!obj || !name) break;
        if (name->str) return attribute_of(*obj, *name->str, TSNode{}, at);
        std::string root = obj->qual.substr(0, obj->qual.find('.'));
        if (!obj->qual.empty() && !is_reference(obj->qual) && is_dangerous_module(root))
          dynamic_name(at, q, *name, "fetches an attribute of " + obj->qual + " by a computed name",
                       true);
        break;
      }
      case Role::shell_string:
      case Role::process:
      case Role::exec_program:
      case Role::spawn_program:
      case Role::pty_spawn:
        handle_process(at, info->role, args, result);
        break;
      case Role::send:
      case Role::send_get:
      case Role::dns_lookup:
      case Role::request_method:
        handle_send(at, q.empty() ? method : q, info, recv, args, result);
        break;
      case Role::file_open:
        handle_open(at, q, by_method ? recv : nullptr, method, args, result);
        break;
      case Role::copy_file: {
        const Value* src = args.value(0, "src");
        const Value* dst = args.value(1, "dst");
        if (dst) check_persistence_write(at, *dst);
        if (src && dst) taint_path(path_key(*dst, args.get(1, "dst")), *src);
        if (src && src->fact(Taint::credential))
          add_direct(at, Verdict::suspicious, Severity::medium, "file-access",
                     "copies a credential store (" + src->fact(Taint::credential)->label + ")");
        break;
      }
      case Role::download_to: {
        auto fact = make_fact(Taint::network, "download", snip(at, 60), line(at));
        result.fact(Taint::network) = fact;
        const Arg* dst = args.get(1, "filename");
        if (!dst) dst = args.get(1, "out");
        if (!dst) dst = args.get(1, "dst");
        if (dst) {
          check_persistence_write(at, dst->value);
          mark_dropped(dst->value, dst, fact);
        }
        break;
      }
      case Role::destructive: {
        const Value* path = by_method ? recv : args.value(0, "path");
        if (path && (is_broad_path(path->known_text()) || (path->handles & broad_path)))
          add_direct(at, Verdict::malicious, Severity::critical, "destructive",
                     "deletes a broad location (" +
                         (path->str ? *path->str : std::string("files listed from one")) + ")",
                     {{"path", std::string(path->known_text())}});
        break;
      }
      case Role::chmod: {
        const Value* path = by_method ? recv : args.value(0, "path");
        if (path && path->fact(Taint::network))
          add_flow(at, *path->fact(Taint::network), Verdict::malicious, Severity::critical,
                   "downloader", "makes a downloaded file executable");
        break;
      }
      case Role::dup2:
        if (a0 && (a0->handles & socket_handle) && ts_node_is_null(dup2_at_)) dup2_at_ = at;
        break;
      case Role::socket_ctor:
        result.handles |= socket_handle;
        if (q == "socket.create_connection") socket_connected_ = true;
        break;
      case Role::http_client_ctor:
        result.handles |= http_client;
        result.type = q;
        break;
      case Role::list_dir: {
        const Value* path = by_method ? recv : args.value(0, "path");
        if (path && (is_broad_path(path->known_text()) || (path->handles & broad_path)))
          result.handles |= broad_path;
        break;
      }
      case Role::path_join:
        return join_path(q, args, result);
      case Role::home_dir:
        result.str = "~";
        break;
      case Role::registry_write:
        for (const auto& a : args.pos) {
          if (!persistence_path_label(a.value.known_text()).empty() ||
              !persistence_path_label(a.value.written_path).empty()) {
            add_direct(at, Verdict::malicious, Severity::critical, "persistence",
                       "writes a Windows Run registry key");
            break;
          }
        }
        break;
      case Role::cron_object:
        add_direct(at, Verdict::malicious, Severity::critical, "persistence",
                   "creates cron jobs (python-crontab)");
        break;
    }
    return result;
  }

  // Calls the catalogue does not know: constant folding of string methods, container
  // mutation, writes through a file object opened for writing, instances of library classes.
  void plain_call(TSNode at, const std::string& q, const Value* recv, bool data_recv,
                  const std::string& method, TSNode recv_node, Args& args, Value& result) {
    const Value* a0 = args.value(0);
    if (q == "builtins.globals" || q == "builtins.locals") {
      result.qual = "<globals>";
      return;
    }
    if (q == "builtins.vars") {
      if (a0 && !a0->qual.empty() && !is_reference(a0->qual))
        result.qual = a0->qual + ".__dict__";
      else
        result.qual = "<globals>";
      return;
    }
    if (q == "builtins.bytes" || q == "builtins.bytearray" || q == "str" || q == "builtins.str") {
      if (a0 && a0->str) result.str = a0->str;
      return;
    }
    if (q == "winreg.OpenKey" || q == "winreg.CreateKey" || q == "winreg.CreateKeyEx" ||
        q == "winreg.OpenKeyEx") {
      for (const auto& a : args.pos)
        if (a.value.str) result.written_path = *a.value.str;
      return;
    }
    if (data_recv && recv) {
      if (recv->str)
        fold_string_method(*recv, method, args, result);
      else if (!recv->prefix.empty() &&
               (method == "format" || method == "encode" || method == "decode" ||
                method == "strip" || method == "lstrip" || method == "rstrip" || method == "lower"))
        result.prefix = method == "lower" ? lower_ascii(recv->prefix) : recv->prefix;
      if (method == "append" || method == "extend" || method == "insert" || method == "add" ||
          method == "update" || method == "setdefault" || method == "appendleft" ||
          method == "put" || method == "__setitem__") {
        if (!ts_node_is_null(recv_node) && (args.all.tainted() || args.all.handles))
          bind(recv_node, taint_of(args.all), line(at), 0);
      }
      if ((method == "write" || method == "writelines") && !recv->written_path.empty()) {
        check_persistence_write(at, recv_path_value(*recv));
        if (args.all.fact(Taint::network))
          mark_dropped_key(recv->written_path, args.all.fact(Taint::network));
      }
      if (method == "write_text" || method == "write_bytes") {
        check_persistence_write(at, *recv);
        if (args.all.fact(Taint::network) && recv->str)
          mark_dropped_key("const:" + *recv->str, args.all.fact(Taint::network));
      }
      return;
    }
    if (!q.empty() && !is_reference(q)) {
      auto last = q.substr(q.rfind('.') + 1);
      if (!last.empty() && std::isupper(static_cast<unsigned char>(last[0]))) result.type = q;
    }
  }

  static Value recv_path_value(const Value& recv) {
    Value v;
    if (starts_with(recv.written_path, "const:")) v.str = recv.written_path.substr(6);
    return v;
  }

  void fold_string_method(const Value& recv, const std::string& method, const Args& args,
                          Value& result) {
    const std::string& s = *recv.str;
    const Value* a0 = args.value(0);
    if (method == "join" && a0) {
      std::vector<Value> parts;
      if (a0->items) parts = *a0->items;
      bool ok = a0->items != nullptr;
      std::string out;
      for (std::size_t i = 0; ok && i < parts.size(); ++i) {
        if (!parts[i].str) {
          ok = false;
          break;
        }
        if (i) out += s;
        out += *parts[i].str;
        if (out.size() > kMaxFoldedString) ok = false;
      }
      if (ok) result.str = std::move(out);
      return;
    }
    if (method == "format") {
      std::string out;
      std::size_t next = 0;
      bool ok = true;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '}') {
          const Value* v = args.value(next++);
          if (!v || !v->str) {
            ok = false;
            break;
          }
          out += *v->str;
          ++i;
        } else if (s[i] == '{') {
          ok = false;
          break;
        } else {
          out += s[i];
        }
      }
      if (ok && out.size() <= kMaxFoldedString)
        result.str = std::move(out);
      else
        result.prefix = s.substr(0, s.find('{'));
      return;
    }
    if (method == "replace" && a0 && a0->str && !a0->str->empty()) {
      const Value* a1 = args.value(1);
      if (!a1 || !a1->str) return;
      std::string out;
      std::size_t pos = 0;
      while (out.size() <= kMaxFoldedString) {
        auto hit = s.find(*a0->str, pos);
        if (hit == std::string::npos) {
          out += s.substr(pos);
          break;
        }
        out += s.substr(pos, hit - pos) + *a1->str;
        pos = hit + a0->str->size();
      }
      if (out.size() <= kMaxFoldedString) result.str = std::move(out);
      return;
    }
    if (method == "lower")
      result.str = lower_ascii(s);
    else if (method == "upper") {
      std::string out(s);
      for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      result.str = std::move(out);
    } else if (method == "strip" || method == "lstrip" || method == "rstrip") {
      std::string_view v(s);
      auto ws = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
      if (method != "rstrip")
        while (!v.empty() && ws(v.front())) v.remove_prefix(1);
      if (method != "lstrip")
        while (!v.empty() && ws(v.back())) v.remove_suffix(1);
      result.str = std::string(v);
    } else if (method == "encode" || method == "decode" || method == "casefold" ||
               method == "title" || method == "capitalize") {
      if (method == "decode" && a0 && a0->str && (*a0->str == "rot13" || *a0->str == "rot_13")) {
        result.str = rot13(s);
        result.fact(Taint::decoded) = make_fact(Taint::decoded, "rot13", "rot13 decode", 0);
      } else {
        result.str = s;
      }
    }
  }

  Value env_value(TSNode at, const std::optional<std::string>& name) {
    Value v;
    if (!name) {
      v.fact(Taint::host) = make_fact(Taint::host, "environment", "os.environ", line(at));
      return v;
    }
    if (*name == "HOME" || *name == "USERPROFILE") v.str = "~";
    if (is_secret_env_name(*name))
      v.fact(Taint::credential) =
          make_fact(Taint::credential, "secret environment variable " + *name,
                    "os.environ['" + *name + "']", line(at));
    else
      v.fact(Taint::host) =
          make_fact(Taint::host, "environment", "os.environ['" + *name + "']", line(at));
    return v;
  }

  Value decode_call(TSNode at, const std::string& q, const std::string& method, const Value* recv,
                    bool data_recv, const Args& args, Value result) {
    const Value* input = args.value(0);
    if (data_recv && recv && (method == "fromhex")) input = args.value(0);
    std::optional<std::string> decoded;
    std::string label = q.empty() ? method : q;
    if (input && input->str) {
      const std::string& s = *input->str;
      if (q.find("b64decode") != std::string::npos || q == "base64.decodebytes" ||
          q == "base64.decodestring" || q == "binascii.a2b_base64")
        decoded = base64_decode(s, kMaxFoldedString);
      else if (q == "base64.b32decode")
        decoded = base32_decode(s, kMaxFoldedString);
      else if (q == "base64.b16decode" || q == "binascii.unhexlify" || q == "binascii.a2b_hex" ||
               q.ends_with("fromhex"))
        decoded = hex_decode(s, kMaxFoldedString);
      else if (q == "codecs.decode") {
        const Value* enc = args.value(1, "encoding");
        std::string e = enc && enc->str ? lower_ascii(*enc->str) : "";
        if (e == "rot13" || e == "rot_13")
          decoded = rot13(s);
        else if (e == "hex")
          decoded = hex_decode(s, kMaxFoldedString);
        else if (e == "base64")
          decoded = base64_decode(s, kMaxFoldedString);
      }
    }
    if (decoded) result.str = std::move(decoded);
    result.fact(Taint::decoded) = make_fact(Taint::decoded, "decoded data", snip(at, 60), line(at));
    return result;
  }

  Value join_path(const std::string& q, const Args& args, Value result) {
    if (q == "os.path.expanduser" || q == "os.path.expandvars" || q == "os.path.abspath" ||
        q == "os.path.realpath" || q == "os.path.normpath" || starts_with(q, "pathlib.")) {
      const Value* a0 = args.value(0);
      if (a0) {
        result.str = a0->str;
        result.prefix = a0->prefix;
        if (a0->str && (*a0->str == "$HOME" || *a0->str == "%USERPROFILE%")) result.str = "~";
      }
      if (starts_with(q, "pathlib.") && args.pos.size() > 1) {
        // Path(a, b) joins like os.path.join.
      } else {
        return result;
      }
    }
    std::string out;
    bool known = true;
    for (std::size_t i = 0; i < args.pos.size(); ++i) {
      const Value& v = args.pos[i].value;
      if (!v.str) {
        if (known) result.prefix = out.empty() ? v.prefix : out + "/" + v.prefix;
        known = false;
        break;
      }
      if (!v.str->empty() && (v.str->front() == '/'))
        out = *v.str;
      else if (out.empty())
        out = *v.str;
      else
        out += (out.back() == '/' ? "" : "/") + *v.str;
    }
    if (known) {
      result.str = std::move(out);
      result.prefix.clear();
    }
    return result;
  }

  // ---------------------------------------------------------------- local functions

  Value call_local(TSNode at, const std::string& key, bool bound_self, Args& args) {
    if (!functions_.count(key)) return taint_of(args.all);
    const bool recursive = std::find(active_.begin(), active_.end(), key) != active_.end();
    if (recursive || active_.size() > opt_.max_call_depth) return taint_of(args.all);
    bool plain = true;
    for (const auto& a : args.pos) plain = plain && is_plain(a.value);
    for (const auto& [k, a] : args.kw) plain = plain && is_plain(a.value);
    const std::string step = key + "()";
    if (plain) {
      if (auto it = plain_cache_.find(key); it != plain_cache_.end())
        return with_step(it->second, step, line(at));
    }
    Value ret = analyze_function(key, &args, bound_self);
    if (plain) plain_cache_[key] = ret;
    return with_step(ret, step, line(at));
  }

  Value instantiate(TSNode at, const std::string& cls, Args& args) {
    std::string init = find_method_key(cls, "__init__");
    if (!init.empty()) call_local(at, init, true, args);
    Value v = taint_of(args.all);
    v.qual = "<self:" + cls + ">";
    return v;
  }

  Value analyze_function(const std::string& key, const Args* args, bool bound_self) {
    auto it = functions_.find(key);
    if (it == functions_.end() || !tick()) return {};
    const FunctionDef def = it->second;
    Frame frame;
    frame.cls = def.cls;
    TSNode params = field(def.node, "parameters");
    const std::uint32_t def_line = line(def.node);
    std::size_t next_pos = 0;
    bool first = true;
    // Called as C.m(obj, ...): the first argument is self.
    if (args && !def.cls.empty() && !def.is_static && !bound_self) next_pos = 1;
    if (!ts_node_is_null(params)) {
      for (TSNode p : named_children(params)) {
        const auto t = node_type(p);
        std::string name;
        bool star = false, dstar = false;
        if (t == "identifier")
          name = text(p);
        else if (t == "default_parameter" || t == "typed_default_parameter")
          name = text(field(p, "name"));
        else if (t == "typed_parameter") {
          for (TSNode c : named_children(p)) {
            auto ct = node_type(c);
            if (ct == "identifier")
              name = text(c);
            else if (ct == "list_splat_pattern") {
              star = true;
              auto in = named_children(c);
              if (!in.empty()) name = text(in[0]);
            } else if (ct == "dictionary_splat_pattern") {
              dstar = true;
              auto in = named_children(c);
              if (!in.empty()) name = text(in[0]);
            }
            if (!name.empty()) break;
          }
        } else if (t == "list_splat_pattern" || t == "dictionary_splat_pattern") {
          star = t == "list_splat_pattern";
          dstar = !star;
          auto in = named_children(p);
          if (!in.empty()) name = text(in[0]);
        } else {
          continue;
        }
        if (name.empty()) continue;
        Value v;
        if (first && !def.cls.empty() && !def.is_static) {
          v.qual = "<self:" + def.cls + ">";
          frame.self_name = name;
        } else if (args) {
          if (star) {
            for (; next_pos < args->pos.size(); ++next_pos)
              merge_taint(v, args->pos[next_pos].value);
          } else if (dstar) {
            for (const auto& [k, a] : args->kw) merge_taint(v, a.value);
          } else if (const Value* kv = args->keyword(name)) {
            v = *kv;
          } else if (next_pos < args->pos.size()) {
            v = args->pos[next_pos++].value;
          }
          v = with_step(v, name, def_line);
        }
        first = false;
        frame.vars[name] = std::move(v);
      }
    }
    TSNode body = field(def.node, "body");
    active_.push_back(key);
    frames_.push_back(&frame);
    if (!ts_node_is_null(body)) exec_block(body, 0);
    frames_.pop_back();
    active_.pop_back();
    return frame.returns;
  }

  // ---------------------------------------------------------------- sinks

  void handle_code_exec(TSNode at, const std::string& what, const Value& code) {
    if (const auto& f = code.fact(Taint::network)) {
      add_flow(at, *f, Verdict::malicious, Severity::critical,
               f->from_socket ? "reverse-shell" : "downloader",
               "runs code received from the network with " + what);
      return;
    }
    if (const auto& f = code.fact(Taint::decoded)) {
      if (code.str && looks_textual(*code.str)) remember_exec_constant(*code.str);
      add_flow(at, *f, Verdict::malicious, Severity::high, "obfuscation",
               "runs code hidden behind a decoding layer with " + what);
      return;
    }
    for (Taint t : {Taint::credential, Taint::host}) {
      if (const auto& f = code.fact(t)) {
        add_flow(at, *f, Verdict::dangerous, Severity::high, "code-execution",
                 "runs code built from " + std::string(to_string(t)) + " data with " + what);
        return;
      }
    }
    if (code.str) {
      remember_exec_constant(*code.str);
      add_direct(at, Verdict::suspicious, Severity::medium, "code-execution",
                 "runs a constant code string with " + what);
      return;
    }
    add_direct(at, Verdict::dangerous, Severity::high, "code-execution",
               "runs code computed at run time with " + what);
  }

  void remember_exec_constant(const std::string& code) {
    if (!reporting_ || out_.exec_constants.size() >= 32) return;
    if (std::find(out_.exec_constants.begin(), out_.exec_constants.end(), code) ==
        out_.exec_constants.end())
      out_.exec_constants.push_back(code);
  }

  // A module or attribute named at run time. Plugin loaders do this with harmless names, so
  // alone it is suspicious; a computed attribute of os/builtins/subprocess is dangerous.
  void dynamic_name(TSNode at, const std::string& what, const Value& name, std::string sentence,
                    bool dangerous) {
    for (Taint t : {Taint::network, Taint::decoded}) {
      if (const auto& f = name.fact(t)) {
        add_flow(at, *f, Verdict::malicious, Severity::high,
                 t == Taint::network ? "downloader" : "obfuscation", sentence + " (" + what + ")");
        return;
      }
    }
    add_direct(at, dangerous ? Verdict::dangerous : Verdict::suspicious, Severity::medium,
               "code-execution", sentence + " (" + what + ")");
  }

  void handle_process(TSNode at, Role role, const Args& args, Value& result) {
    const Value* line_value = nullptr;
    std::vector<Value> argv;
    auto take_argv = [&](const Value& v) {
      if (v.items)
        argv = *v.items;
      else
        argv.push_back(v);
    };
    switch (role) {
      case Role::shell_string:
        line_value = args.value(0, "cmd");
        if (!line_value) line_value = args.value(0, "command");
        break;
      case Role::process: {
        const Value* v = args.value(0, "args");
        if (!v) break;
        if (v->items)
          argv = *v->items;
        else
          line_value = v;
        break;
      }
      case Role::exec_program:
      case Role::spawn_program: {
        const std::size_t at_index = role == Role::spawn_program ? 1 : 0;
        const Value* prog = args.value(at_index, "path");
        if (!prog) prog = args.value(at_index, "file");
        if (!prog) break;
        argv.push_back(*prog);
        for (std::size_t i = at_index + 1; i < args.pos.size(); ++i) {
          const Value& v = args.pos[i].value;
          if (v.items) {
            // execv(path, [argv0, ...]): argv0 repeats the program.
            for (std::size_t k = 1; k < v.items->size(); ++k) argv.push_back((*v.items)[k]);
          } else {
            if (i == at_index + 1) continue;  // execl(path, argv0, ...)
            argv.push_back(v);
          }
        }
        break;
      }
      case Role::pty_spawn: {
        const Value* v = args.value(0, "argv");
        if (v) take_argv(*v);
        break;
      }
      default:
        break;
    }

    std::string const_text;
    Value program_taint, all_taint;
    bool computed = false;
    if (line_value) {
      const_text = std::string(line_value->known_text());
      all_taint = taint_of(*line_value);
      computed = !line_value->str && line_value->prefix.empty();
      const std::string prog = first_word(const_text);
      const bool program_complete =
          line_value->str ||
          trim_left(line_value->prefix).find_first_of(" \t") != std::string_view::npos;
      if (!program_complete || is_interpreter_program(prog) || program_basename(prog) == "chmod")
        program_taint = taint_of(*line_value);
    } else if (!argv.empty()) {
      for (std::size_t i = 0; i < argv.size(); ++i) {
        if (i) const_text += ' ';
        const_text +=
            argv[i].str ? *argv[i].str : (argv[i].prefix.empty() ? "?" : argv[i].prefix + "?");
        merge_taint(all_taint, argv[i]);
      }
      computed = !argv[0].str;
      program_taint = taint_of(argv[0]);
      const std::string prog = argv[0].str ? *argv[0].str : std::string();
      if (is_interpreter_program(prog) || program_basename(prog) == "chmod")
        program_taint = all_taint;
    } else {
      computed = true;
      all_taint = taint_of(args.all);
    }

    // The command itself is in the evidence; indicators keep to the shared vocabulary.
    std::vector<Indicator> ind;

    // Standard streams wired to a socket: the textbook reverse shell.
    for (const char* stream : {"stdin", "stdout", "stderr"}) {
      const Value* v = args.keyword(stream);
      if (v && (v->handles & socket_handle)) {
        add_direct(at, Verdict::malicious, Severity::critical, "reverse-shell",
                   "starts a process whose standard streams are a network socket", ind);
        return;
      }
    }
    if (const auto& f = program_taint.fact(Taint::network)) {
      add_flow(at, *f, Verdict::malicious, Severity::critical,
               f->from_socket ? "reverse-shell" : "downloader",
               f->from_socket ? "runs commands received over a socket"
                              : "runs a program or command obtained from the network",
               ind);
      return;
    }
    if (const auto& f = program_taint.fact(Taint::decoded)) {
      add_flow(at, *f, Verdict::malicious, Severity::high, "obfuscation",
               "runs a command hidden behind a decoding layer", ind);
      return;
    }
    ShellVerdict sv = const_text.empty() ? ShellVerdict{} : classify_shell_command(const_text);
    auto malicious = [&](std::string_view category, const char* what) {
      add_direct(at, Verdict::malicious, Severity::critical, category,
                 std::string(what) + ": " + sv.reason, ind);
    };
    switch (sv.cls) {
      case ShellClass::reverse_shell:
        malicious("reverse-shell", "shell command opens a reverse shell");
        return;
      case ShellClass::downloader:
        malicious("downloader", "shell command downloads and runs a program");
        return;
      case ShellClass::persistence:
        malicious("persistence", "shell command installs persistence");
        return;
      case ShellClass::destructive:
        malicious("destructive", "shell command destroys data");
        return;
      case ShellClass::crypto_mining:
        malicious("crypto-mining", "shell command runs a miner");
        return;
      case ShellClass::credential_theft:
        malicious("credential-theft", "shell command exfiltrates credentials");
        return;
      default:
        break;
    }
    const std::string lowered = lower_ascii(const_text);
    const bool ships = sv.cls == ShellClass::network_fetch ||
                       lowered.find("curl") != std::string::npos ||
                       lowered.find("wget") != std::string::npos ||
                       lowered.find("http") != std::string::npos || first_word(lowered) == "nc";
    if (ships) {
      for (Taint t : {Taint::credential, Taint::host}) {
        if (const auto& f = all_taint.fact(t)) {
          add_flow(at, *f, Verdict::malicious, Severity::critical, role_category(t),
                   t == Taint::credential
                       ? "sends credentials over the network with a command"
                       : "sends host information over the network with a command",
                   ind);
          return;
        }
      }
    }
    switch (sv.cls) {
      case ShellClass::interactive_shell:
        if (ts_node_is_null(shell_at_)) shell_at_ = at;
        add_direct(at, Verdict::dangerous, Severity::high, "shell-command",
                   "starts an interactive shell", ind);
        return;
      case ShellClass::data_tool:
        add_direct(at, Verdict::suspicious, Severity::low, "shell-command",
                   "runs a command: " + sv.reason, ind);
        return;
      case ShellClass::network_fetch:
        result.fact(Taint::network) = make_fact(Taint::network, "download", snip(at, 60), line(at));
        add_direct(at, Verdict::suspicious, Severity::medium, "shell-command",
                   "runs a download tool: " + sv.reason, ind);
        return;
      case ShellClass::reconnaissance:
        result.fact(Taint::host) = make_fact(Taint::host, "host facts", snip(at, 60), line(at));
        add_direct(at, Verdict::suspicious, Severity::medium, "reconnaissance",
                   "runs a host reconnaissance command", ind);
        return;
      case ShellClass::interpreter:
        add_direct(at, Verdict::dangerous, Severity::high, "shell-command",
                   "runs an interpreter: " + sv.reason, ind);
        return;
      default:
        break;
    }
    if (computed)
      add_direct(at, Verdict::dangerous, Severity::high, "shell-command",
                 "runs a command computed at run time", ind);
    else
      add_direct(at, Verdict::dangerous, Severity::high, "shell-command",
                 "runs a shell command: " + snippet(const_text, 80), ind);
  }

  void handle_send(TSNode at, const std::string& what, const CallableInfo* info, const Value* recv,
                   const Args& args, Value& result) {
    Role role = info->role;
    std::size_t url_index = 0;
    if (role == Role::request_method) {
      const Value* m = args.value(0, "method");
      std::string verb = m && m->str ? lower_ascii(*m->str) : "post";
      role = (verb == "get" || verb == "head" || verb == "options") ? Role::send_get : Role::send;
      url_index = 1;
    }
    const bool socket_call = recv && (recv->handles & socket_handle);
    if (socket_call && info->name == "connect") socket_connected_ = true;
    Value sent;
    const Value* url = args.value(url_index, "url");
    if (role == Role::send) {
      sent = taint_of(args.all);
    } else if (role == Role::send_get) {
      if (url) merge_taint(sent, *url);
      for (const char* k : {"params", "data", "json", "body"})
        if (const Value* v = args.keyword(k)) merge_taint(sent, *v);
      if (args.pos.size() > url_index + 1) merge_taint(sent, args.pos[url_index + 1].value);
      // The response is a network read.
      if (info->taint == Taint::network || role == Role::send_get)
        result.fact(Taint::network) =
            make_fact(Taint::network, "HTTP response", snip(at, 60), line(at));
    } else {  // dns_lookup / connect
      if (const Value* host = args.value(0, "host")) merge_taint(sent, *host);
    }
    if (role == Role::send && info->taint == Taint::network && !socket_call)
      result.fact(Taint::network) =
          make_fact(Taint::network, "HTTP response", snip(at, 60), line(at));

    std::vector<Indicator> ind;
    std::string endpoint;
    if (url && !url->known_text().empty()) {
      ind.push_back({"url", snippet(url->known_text(), 200)});
      if (auto label = exfil_endpoint_label(url->known_text()); !label.empty())
        endpoint = " to a " + std::string(label);
    }
    const std::string how =
        role == Role::dns_lookup ? (socket_call ? "a socket connection" : "a DNS lookup") : what;
    for (Taint t : {Taint::credential, Taint::host}) {
      if (const auto& f = sent.fact(t)) {
        add_flow(at, *f, Verdict::malicious, Severity::critical, role_category(t),
                 (t == Taint::credential ? "sends credentials over the network"
                                         : "sends host information over the network") +
                     endpoint + " via " + how,
                 ind);
        return;
      }
    }
  }

  // `recv` is the path object when the call is a pathlib-style method, else null.
  void handle_open(TSNode at, const std::string& q, const Value* recv, const std::string& method,
                   const Args& args, Value& result) {
    const bool path_method = recv != nullptr;
    const Value* path = path_method ? recv : args.value(0, "file");
    const Arg* path_arg = path_method ? nullptr : args.get(0, "file");
    std::string mode = "r";
    if (method == "write_text" || method == "write_bytes") mode = "w";
    if (const Value* m = args.value(path_method ? 0 : 1, "mode"); m && m->str) mode = *m->str;
    if (q == "sqlite3.connect" || method == "read_text" || method == "read_bytes") mode = "r";
    if (!path) return;
    const bool writes = mode.find_first_of("wax+") != std::string::npos;
    if (writes) {
      check_persistence_write(at, *path);
      result.written_path = path_key(*path, path_arg);
    } else if (const auto& f = path->fact(Taint::credential); f && f->path.size() == 1) {
      add_direct(at, Verdict::suspicious, Severity::medium, "file-access",
                 "reads a credential store (" + f->label + ")",
                 {{"path", std::string(path->known_text())}});
    }
  }

  std::string path_key(const Value& path, const Arg* arg) const {
    if (path.str) return "const:" + *path.str;
    if (arg && !ts_node_is_null(arg->node) && node_type(arg->node) == "identifier")
      return "var:" + std::string(text(arg->node));
    return {};
  }

  void mark_dropped(const Value& path, const Arg* arg, const FactPtr& fact) {
    mark_dropped_key(path_key(path, arg), fact);
  }

  // A path the script wrote network data to: later uses of it carry the network taint.
  void mark_dropped_key(const std::string& key, const FactPtr& fact) {
    if (!fact) return;
    Value v;
    v.fact(Taint::network) = fact;
    taint_path(key, v);
  }

  // What a file now holds (a download written to it, a credential store copied to it)
  // follows the path: a constant path through a registry, a variable by a weak update.
  void taint_path(const std::string& key, const Value& what) {
    if (key.empty() || !what.tainted()) return;
    if (starts_with(key, "const:")) {
      if (path_taint_.size() < 1024) merge_taint(path_taint_[key.substr(6)], taint_of(what));
    } else if (starts_with(key, "var:")) {
      Value v;
      v.facts = what.facts;
      set_var(key.substr(4), v, true);
    }
  }

  void check_persistence_write(TSNode at, const Value& path) {
    auto text_of = path.known_text();
    auto label = persistence_path_label(text_of);
    if (label.empty()) return;
    add_direct(at, Verdict::malicious, Severity::critical, "persistence",
               "writes to a " + std::string(label) + " (" + snippet(text_of, 80) + ")",
               {{"path", std::string(text_of)}});
  }

  // Patterns spread over several calls: a socket, its descriptors duplicated onto the
  // standard streams, and a shell.
  void finish_patterns() {
    if (ts_node_is_null(shell_at_)) return;
    if (ts_node_is_null(dup2_at_) && !socket_connected_) return;
    reporting_ = true;
    add_direct(shell_at_, Verdict::malicious, Severity::critical, "reverse-shell",
               ts_node_is_null(dup2_at_)
                   ? "connects a socket and starts an interactive shell"
                   : "duplicates a socket onto the standard streams (line " +
                         std::to_string(line(dup2_at_)) + ") and starts a shell");
  }

  const PythonTree& tree_;
  const TaintOptions& opt_;
  TaintReport out_;
  std::vector<Frame*> frames_;
  std::unordered_map<std::string, FunctionDef> functions_;
  std::vector<std::string> function_order_;
  std::unordered_map<std::string, std::vector<std::string>> classes_;
  std::unordered_map<std::string, std::unordered_map<std::string, Value>> class_attrs_;
  std::unordered_map<std::string, Value> path_taint_;  // constant path -> taint of what it holds
  std::unordered_map<std::string, Value> plain_cache_;
  std::vector<std::string> wildcard_modules_;
  std::vector<std::string> active_;
  std::unordered_set<std::string> seen_;
  TSNode dup2_at_{};
  TSNode shell_at_{};
  bool socket_connected_ = false;
  std::uint64_t ops_ = 0;
  bool exhausted_ = false;
  bool reporting_ = false;
  int pass_ = 0;
  unsigned flat_nesting_ = 0;
};

}  // namespace

TaintReport analyze_tree(const PythonTree& tree, const TaintOptions& options) {
  Analyzer analyzer(tree, options);
  return analyzer.run();
}

}  // namespace hubguard::scan::python
