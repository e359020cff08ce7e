#include "hubguard/scan/python/bytecode_pseudo_source.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace hubguard::scan::python {
namespace {

using Kind = MarshalValue::Kind;

struct Expr {
  std::string text;
  bool null = false;                     // the NULL a call sequence pushes
  std::optional<std::string> str;        // a known string value
  bool call = false;                     // the result of a call
  bool binding = false;                  // an import or attribute chain worth aliasing
  std::vector<std::string> names;        // a constant tuple of strings (keyword names)
  const MarshalValue* constant = nullptr;
};

void quote_into(std::string& out, std::string_view s, bool bytes, std::size_t max_size) {
  if (bytes) out.push_back('b');
  out.push_back('\'');
  static const char* hex = "0123456789abcdef";
  for (char ch : s) {
    if (out.size() >= max_size) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f || (bytes && c >= 0x80)) {
          out += "\\x";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('\'');
}

std::string identifier(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out.push_back(ok ? c : '_');
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out.insert(out.begin(), '_');
  return out;
}

class Printer {
 public:
  Printer(const PseudoSourceLimits& limits, PseudoSource& out) : limits_(limits), out_(out) {}

  void collect(const MarshalPtr& root) {
    std::vector<const MarshalValue*> stack{root.get()};
    std::set<const MarshalValue*> seen;
    while (!stack.empty()) {
      const MarshalValue* v = stack.back();
      stack.pop_back();
      if (v == nullptr || !seen.insert(v).second) continue;
      if (seen.size() > limits_.max_code_objects * 64) {
        out_.truncated = true;
        break;
      }
      if (v->kind == Kind::code && v->code) {
        if (codes_.size() >= limits_.max_code_objects) {
          out_.truncated = true;
          continue;
        }
        codes_.push_back(v->code.get());
        // Reverse so the first constant's code object is printed first.
        if (v->code->consts)
          for (auto it = v->code->consts->items.rbegin(); it != v->code->consts->items.rend(); ++it)
            stack.push_back(it->get());
        continue;
      }
      if (v->kind == Kind::str || v->kind == Kind::bytes) add_string(v->text);
      for (auto it = v->items.rbegin(); it != v->items.rend(); ++it) stack.push_back(it->get());
    }
  }

  void choose_family(CodeLayout layout) {
    if (layout != CodeLayout::py311) {
      out_.family = BytecodeFamily::py36_310;
      return;
    }
    int votes = 0;
    for (const CodeObject* c : codes_) {
      for (std::size_t i = 0; i + 1 < c->code.size(); i += 2)
        votes += version_vote_312(static_cast<std::uint8_t>(c->code[i]));
    }
    out_.family = votes > 0 ? BytecodeFamily::py312 : BytecodeFamily::py311;
  }

  void print_all() {
    for (std::size_t i = 0; i < codes_.size(); ++i) {
      if (instructions_ >= limits_.max_instructions || out_.text.size() >= limits_.max_output) {
        out_.truncated = true;
        break;
      }
      print_code(*codes_[i], i == 0 && codes_[i]->name == "<module>");
    }
    if (!out_.strings.empty()) {
      emit("# string constants", 0);
      for (const auto& s : out_.strings) {
        std::string line = "_ = ";
        quote_into(line, s, false, limits_.max_expression);
        emit(line, 0);
      }
    }
    if (out_.text.size() > limits_.max_output) {
      out_.text.resize(limits_.max_output);
      out_.truncated = true;
    }
  }

 private:
  void add_string(const std::string& s) {
    if (s.empty() || strings_seen_.count(s) || out_.strings.size() >= 10'000) return;
    strings_seen_.insert(s);
    out_.strings.push_back(s);
  }

  void emit(const std::string& line, int indent) {
    if (out_.text.size() >= limits_.max_output) {
      out_.truncated = true;
      return;
    }
    out_.text.append(static_cast<std::size_t>(indent) * 4, ' ');
    out_.text += line;
    out_.text.push_back('\n');
  }

  std::string clip(std::string s) const {
    if (s.size() > limits_.max_expression) {
      s.resize(limits_.max_expression);
      s += "...";
    }
    return s;
  }

  static std::string_view tuple_item(const MarshalPtr& t, std::size_t i) {
    return t ? t->item_text(i) : std::string_view();
  }

  std::string name_at(const CodeObject& c, std::uint32_t i) const {
    auto n = tuple_item(c.names, i);
    return n.empty() ? "name" + std::to_string(i) : std::string(n);
  }
  std::string local_at(const CodeObject& c, std::uint32_t i) const {
    auto n = tuple_item(c.varnames, i);
    return n.empty() ? "local" + std::to_string(i) : std::string(n);
  }
  std::string deref_at(const CodeObject& c, std::uint32_t i) const {
    if (c.layout == CodeLayout::py311) return local_at(c, i);
    const std::size_t cells = c.cellvars ? c.cellvars->items.size() : 0;
    auto n = i < cells ? tuple_item(c.cellvars, i) : tuple_item(c.freevars, i - cells);
    return n.empty() ? "free" + std::to_string(i) : std::string(n);
  }

  Expr constant(const CodeObject& c, std::uint32_t i) const {
    Expr e;
    if (!c.consts || i >= c.consts->items.size() || !c.consts->items[i]) {
      e.text = "const" + std::to_string(i);
      return e;
    }
    const MarshalValue& v = *c.consts->items[i];
    e.constant = &v;
    e.text = render_constant(v, limits_.max_expression);
    if (v.kind == Kind::str || v.kind == Kind::bytes) e.str = v.text;
    if (v.kind == Kind::tuple)
      for (std::size_t k = 0; k < v.items.size(); ++k) e.names.emplace_back(v.item_text(k));
    return e;
  }

  Expr named(const std::string& name) const {
    Expr e;
    auto it = aliases_.find(name);
    e.text = it != aliases_.end() ? it->second : name;
    e.binding = it != aliases_.end();
    return e;
  }

  Expr pop() {
    if (stack_.empty()) return Expr{"?"};
    Expr e = std::move(stack_.back());
    stack_.pop_back();
    return e;
  }
  void push(Expr e) {
    if (stack_.size() >= 4096) stack_.erase(stack_.begin());
    e.text = clip(std::move(e.text));
    stack_.push_back(std::move(e));
  }

  Expr make_call(Expr callee, std::vector<Expr> args, const std::vector<std::string>& kw_names) {
    std::string text = callee.text + "(";
    const std::size_t positional = args.size() - std::min(args.size(), kw_names.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i > 0) text += ", ";
      if (i >= positional) text += kw_names[i - positional] + "=";
      text += args[i].text;
    }
    text += ")";
    if (out_.calls.size() < 100'000 &&
        std::find(out_.calls.begin(), out_.calls.end(), callee.text) == out_.calls.end())
      out_.calls.push_back(callee.text);
    Expr e;
    e.text = std::move(text);
    e.call = true;
    // `__import__('os')` is as good as a module binding for later attribute chains.
    e.binding = callee.text == "__import__" || callee.text == "importlib.import_module";
    return e;
  }

  std::vector<Expr> pop_n(std::uint32_t n) {
    std::vector<Expr> v(std::min<std::uint32_t>(n, 4096));
    for (std::size_t i = v.size(); i-- > 0;) v[i] = pop();
    return v;
  }

  void store(const std::string& name, Expr value, int indent) {
    if (value.binding) aliases_[name] = value.text;
    else aliases_.erase(name);
    if (value.binding && !value.call && value.text == name) return;  // `import os`: already printed
    emit(name + " = " + value.text, indent);
  }

  void print_code(const CodeObject& c, bool is_module) {
    int indent = 0;
    if (!is_module) {
      std::string header = "def " + identifier(c.qualname.empty() ? c.name : c.qualname) + "(";
      for (std::int64_t i = 0; i < std::min<std::int64_t>(c.argcount, 255); ++i) {
        if (i > 0) header += ", ";
        header += local_at(c, static_cast<std::uint32_t>(i));
      }
      header += "):  # " + c.name + " in " + c.filename + ":" + std::to_string(c.firstlineno);
      emit(header, 0);
      indent = 1;
    }
    const std::size_t text_before = out_.text.size();
    stack_.clear();
    std::vector<std::string> kw_names;
    std::uint32_t ext = 0;
    const BytecodeFamily family = out_.family;
    const bool modern = family != BytecodeFamily::py36_310;
    for (std::size_t pc = 0; pc + 1 < c.code.size(); pc += 2) {
      if (++instructions_ > limits_.max_instructions) {
        out_.truncated = true;
        break;
      }
      const auto opcode = static_cast<std::uint8_t>(c.code[pc]);
      const std::uint32_t arg = static_cast<std::uint8_t>(c.code[pc + 1]) | ext;
      ext = 0;
      const Op op = decode_opcode(family, opcode);
      switch (op) {
        case Op::cache: case Op::nop: case Op::precall: case Op::jump: case Op::get_iter:
          break;
        case Op::extended_arg:
          ext = (arg << 8) & 0xffffff00u;
          break;
        case Op::pop_top: {
          Expr e = pop();
          if (e.call) emit(e.text, indent);
          break;
        }
        case Op::push_null: push(Expr{"", true}); break;
        case Op::dup_top: {
          Expr e = stack_.empty() ? Expr{"?"} : stack_.back();
          push(std::move(e));
          break;
        }
        case Op::copy: {
          Expr e = arg >= 1 && arg <= stack_.size() ? stack_[stack_.size() - arg] : Expr{"?"};
          push(std::move(e));
          break;
        }
        case Op::rot_two:
          if (stack_.size() >= 2) std::swap(stack_[stack_.size() - 1], stack_[stack_.size() - 2]);
          break;
        case Op::swap:
          if (arg >= 2 && arg <= stack_.size()) std::swap(stack_.back(), stack_[stack_.size() - arg]);
          break;
        case Op::load_const: push(constant(c, arg)); break;
        case Op::load_name: push(named(name_at(c, arg))); break;
        case Op::load_global:
          if (modern) {
            if (arg & 1) push(Expr{"", true});
            push(named(name_at(c, arg >> 1)));
          } else {
            push(named(name_at(c, arg)));
          }
          break;
        case Op::load_fast: push(named(local_at(c, arg))); break;
        case Op::load_deref: push(named(deref_at(c, arg))); break;
        case Op::load_attr: {
          const bool method = family == BytecodeFamily::py312 && (arg & 1);
          const std::uint32_t index = family == BytecodeFamily::py312 ? arg >> 1 : arg;
          Expr obj = pop();
          Expr e;
          e.text = obj.text + "." + name_at(c, index);
          e.binding = obj.binding;
          if (method) push(Expr{"", true});
          push(std::move(e));
          break;
        }
        case Op::load_method: {
          Expr obj = pop();
          Expr e;
          e.text = obj.text + "." + name_at(c, arg);
          e.binding = obj.binding;
          push(Expr{"", true});
          push(std::move(e));
          break;
        }
        case Op::load_super_attr: {
          pop_n(3);
          push(Expr{"super()." + name_at(c, arg >> 2)});
          break;
        }
        case Op::store_name: case Op::store_global:
          store(name_at(c, arg), pop(), indent);
          break;
        case Op::store_fast: store(local_at(c, arg), pop(), indent); break;
        case Op::store_deref: store(deref_at(c, arg), pop(), indent); break;
        case Op::store_attr: {
          Expr obj = pop();
          Expr value = pop();
          emit(obj.text + "." + name_at(c, modern ? arg : arg) + " = " + value.text, indent);
          break;
        }
        case Op::store_subscr: {
          Expr key = pop();
          Expr obj = pop();
          Expr value = pop();
          emit(obj.text + "[" + key.text + "] = " + value.text, indent);
          break;
        }
        case Op::import_name: {
          const Expr fromlist = pop();
          pop();  // level
          const std::string module = name_at(c, arg);
          if (std::find(out_.imports.begin(), out_.imports.end(), module) == out_.imports.end() &&
              out_.imports.size() < 10'000)
            out_.imports.push_back(module);
          emit("import " + module, indent);
          // `import a.b` binds `a`; with a fromlist the module itself is on the stack.
          Expr e;
          e.text = fromlist.text == "None" ? module.substr(0, module.find('.')) : module;
          e.binding = true;
          push(std::move(e));
          break;
        }
        case Op::import_from: {
          const Expr& module = stack_.empty() ? Expr{"?"} : stack_.back();
          Expr e;
          e.text = module.text + "." + name_at(c, arg);
          e.binding = true;
          emit("from " + module.text + " import " + name_at(c, arg), indent);
          push(std::move(e));
          break;
        }
        case Op::kw_names:
          kw_names = constant(c, arg).names;
          break;
        case Op::call_function: {
          auto args = pop_n(arg);
          push(make_call(pop(), std::move(args), {}));
          break;
        }
        case Op::call_function_kw: {
          Expr names = pop();
          auto args = pop_n(arg);
          push(make_call(pop(), std::move(args), names.names));
          break;
        }
        case Op::call_method: case Op::call: {
          auto args = pop_n(arg);
          Expr callee = pop();
          // 3.11+/CALL_METHOD: below the callable sits NULL (or it is `self` of a method).
          if (!stack_.empty() && stack_.back().null) pop();
          if (callee.null && !stack_.empty()) callee = pop();
          push(make_call(std::move(callee), std::move(args), kw_names));
          kw_names.clear();
          break;
        }
        case Op::call_function_ex: {
          Expr kwargs = (arg & 1) ? pop() : Expr{};
          Expr args = pop();
          Expr callee = pop();
          if (!stack_.empty() && stack_.back().null) pop();
          std::vector<Expr> list{Expr{"*" + args.text}};
          if (arg & 1) list.push_back(Expr{"**" + kwargs.text});
          push(make_call(std::move(callee), std::move(list), {}));
          break;
        }
        case Op::binary_add: case Op::binary_op: {
          Expr b = pop();
          Expr a = pop();
          const bool add = op == Op::binary_add || arg == 0 || arg == 13;
          Expr e;
          if (add && a.str && b.str && a.str->size() + b.str->size() <= limits_.max_expression) {
            e.str = *a.str + *b.str;
            e.text.clear();
            quote_into(e.text, *e.str, false, limits_.max_expression);
            add_string(*e.str);  // folded constants are strings the code really uses
          } else {
            static const char* ops[] = {"+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^"};
            const char* sym = op == Op::binary_add ? "+" : ops[arg % 13];
            e.text = a.text + " " + sym + " " + b.text;
          }
          push(std::move(e));
          break;
        }
        case Op::binary_subscr: {
          Expr key = pop();
          Expr obj = pop();
          push(Expr{obj.text + "[" + key.text + "]"});
          break;
        }
        case Op::compare: {
          Expr b = pop();
          Expr a = pop();
          push(Expr{a.text + " == " + b.text});
          break;
        }
        case Op::build_tuple: case Op::build_list: case Op::build_set: {
          auto items = pop_n(arg);
          const char* open = op == Op::build_tuple ? "(" : op == Op::build_list ? "[" : "{";
          const char* close = op == Op::build_tuple ? ")" : op == Op::build_list ? "]" : "}";
          std::string text = open;
          for (std::size_t i = 0; i < items.size(); ++i) text += (i ? ", " : "") + items[i].text;
          if (op == Op::build_tuple && items.size() == 1) text += ",";
          push(Expr{text + close});
          break;
        }
        case Op::list_extend: {
          Expr items = pop();
          if (!stack_.empty()) {
            Expr& list = stack_.back();
            if (list.text == "[]" && items.constant && items.constant->kind == Kind::tuple) {
              std::string t = items.text;
              if (t.size() >= 2) t = "[" + t.substr(1, t.size() - 2) + "]";
              if (t.size() >= 3 && t[t.size() - 2] == ',') t.erase(t.size() - 2, 1);
              list.text = clip(t);
            } else {
              list.text = clip(list.text + " + list(" + items.text + ")");
            }
          }
          break;
        }
        case Op::collection_update: pop(); break;
        case Op::build_map: {
          auto items = pop_n(arg * 2);
          std::string text = "{";
          for (std::size_t i = 0; i + 1 < items.size(); i += 2)
            text += (i ? ", " : "") + items[i].text + ": " + items[i + 1].text;
          push(Expr{text + "}"});
          break;
        }
        case Op::build_const_key_map: {
          Expr keys = pop();
          auto values = pop_n(arg);
          std::string text = "{";
          for (std::size_t i = 0; i < values.size(); ++i) {
            std::string key;
            if (i < keys.names.size()) quote_into(key, keys.names[i], false, limits_.max_expression);
            else key = "?";
            text += (i ? ", " : "") + key + ": " + values[i].text;
          }
          push(Expr{text + "}"});
          break;
        }
        case Op::format_value: {
          if ((arg & 0x04) != 0) pop();  // format spec
          Expr v = pop();
          push(Expr{"str(" + v.text + ")"});
          break;
        }
        case Op::build_string: {
          auto parts = pop_n(arg);
          bool all_const = true;
          std::string folded, text;
          for (std::size_t i = 0; i < parts.size(); ++i) {
            if (parts[i].str) folded += *parts[i].str;
            else all_const = false;
            text += (i ? " + " : "") + parts[i].text;
          }
          Expr e;
          if (all_const) {
            e.str = folded;
            quote_into(e.text, folded, false, limits_.max_expression);
          } else {
            e.text = text;
          }
          push(std::move(e));
          break;
        }
        case Op::make_function: {
          Expr code = pop();
          if (!modern && code.constant == nullptr) code = pop();  // 3.6-3.10 push the qualname last
          for (std::uint32_t bit : {0x08u, 0x04u, 0x02u, 0x01u})
            if (arg & bit) pop();
          std::string name = "function";
          if (code.constant && code.constant->kind == Kind::code && code.constant->code)
            name = identifier(code.constant->code->qualname);
          push(Expr{name});
          break;
        }
        case Op::return_value: {
          Expr e = pop();
          if (e.text != "None" && e.text != "?") emit("return " + e.text, indent);
          break;
        }
        case Op::return_const: {
          Expr e = constant(c, arg);
          if (e.text != "None") emit("return " + e.text, indent);
          break;
        }
        case Op::call_intrinsic_1: {
          Expr e = pop();
          push(Expr{"intrinsic(" + e.text + ")"});
          break;
        }
        case Op::pop_jump: pop(); break;
        case Op::unpack_sequence: {
          Expr e = pop();
          for (std::uint32_t i = 0; i < std::min<std::uint32_t>(arg, 256); ++i)
            push(Expr{e.text + "[" + std::to_string(i) + "]"});
          break;
        }
        case Op::for_iter: {
          Expr e = stack_.empty() ? Expr{"?"} : stack_.back();
          push(Expr{"next(" + e.text + ")"});
          break;
        }
        case Op::other:
          // Unknown stack effect: forget what the stack held rather than misattribute it.
          stack_.clear();
          break;
      }
    }
    // Calls left on the stack (a linear sweep across branches) still matter.
    for (const Expr& e : stack_)
      if (e.call) emit(e.text, indent);
    if (!is_module && out_.text.size() == text_before) emit("pass", indent);
  }

  const PseudoSourceLimits& limits_;
  PseudoSource& out_;
  std::vector<const CodeObject*> codes_;
  std::vector<Expr> stack_;
  std::map<std::string, std::string> aliases_;
  std::set<std::string> strings_seen_;
  std::size_t instructions_ = 0;
};

}  // namespace

std::string render_constant(const MarshalValue& v, std::size_t max_size) {
  std::string out;
  switch (v.kind) {
    case Kind::none: case Kind::null: return "None";
    case Kind::boolean: return v.integer ? "True" : "False";
    case Kind::ellipsis: return "...";
    case Kind::stop_iteration: return "StopIteration";
    case Kind::integer: return std::to_string(v.integer);
    case Kind::big_integer: return "0";
    case Kind::floating: return std::to_string(v.real);
    case Kind::complex: return "complex(" + std::to_string(v.real) + ", " + std::to_string(v.imag) + ")";
    case Kind::str: quote_into(out, v.text, false, max_size); return out;
    case Kind::bytes: quote_into(out, v.text, true, max_size); return out;
    case Kind::code: return v.code ? "<code " + v.code->name + ">" : "<code>";
    case Kind::unresolved_ref: return "<loop>";
    case Kind::tuple: case Kind::list: case Kind::set: case Kind::frozenset: case Kind::dict: {
      const bool tuple = v.kind == Kind::tuple;
      out = tuple ? "(" : v.kind == Kind::list ? "[" : (v.kind == Kind::dict || !v.items.empty()) ? "{" : "frozenset(";
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (out.size() >= max_size) {
          out += "...";
          break;
        }
        if (i > 0) out += v.kind == Kind::dict && i % 2 == 1 ? ": " : ", ";
        // Nested containers are rendered shallowly: a hostile graph of shared refs must not
        // expand exponentially.
        const auto& item = *v.items[i];
        const bool nested = item.kind == Kind::tuple || item.kind == Kind::list || item.kind == Kind::dict ||
                            item.kind == Kind::set || item.kind == Kind::frozenset;
        out += nested ? std::string("(...)") : render_constant(item, max_size - std::min(max_size, out.size()) + 16);
      }
      if (tuple && v.items.size() == 1) out += ",";
      out += tuple ? ")" : v.kind == Kind::list ? "]" : (v.kind == Kind::dict || !v.items.empty()) ? "}" : ")";
      return out;
    }
  }
  return "?";
}

PseudoSource pseudo_source(const MarshalDocument& doc, const PseudoSourceLimits& limits) {
  PseudoSource out;
  if (!doc.root) return out;
  Printer printer(limits, out);
  printer.collect(doc.root);
  printer.choose_family(doc.layout);
  printer.print_all();
  return out;
}

}  // namespace hubguard::scan::python
