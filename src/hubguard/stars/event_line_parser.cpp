#include "hubguard/stars/event_line_parser.hpp"

#include <utility>

#include "hubguard/stars/timestamp.hpp"

namespace hubguard::stars {
namespace {

namespace od = simdjson::ondemand;

// A string member of an object ("login" of actor/org, "action" of payload). Missing, null or
// non-string values give an empty view: the caller decides whether that is fatal.
std::string_view string_member(od::value& v, std::string_view name) {
  od::object obj;
  if (v.get_object().get(obj)) return {};
  std::string_view s;
  if (obj.find_field_unordered(name).get_string().get(s)) return {};
  return s;
}

std::string_view string_value(od::value& v) {
  std::string_view s;
  if (v.get_string().get(s)) return {};
  return s;
}

bool name_ok(std::string_view s) { return s.size() <= kMaxNameBytes; }

}  // namespace

LineStatus EventLineParser::parse(const char* line, std::size_t size, std::size_t capacity,
                                  ParsedLine& out) {
  out = ParsedLine{};
  od::document doc;
  if (parser_.iterate(simdjson::padded_string_view(line, size, capacity)).get(doc))
    return LineStatus::kMalformed;
  od::object obj;
  if (doc.get_object().get(obj)) return LineStatus::kMalformed;

  std::string_view created_at;
  std::string_view actor_attr_login;
  std::string_view repo_owner, repo_short_name, repo_org;
  bool have_time_field = false;
  bool type_known = false;

  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field)) return LineStatus::kMalformed;
    const od::raw_json_string key = field.key();
    od::value& v = field.value();
    if (key == "type") {
      out.type = string_value(v);
      type_known = true;
    } else if (key == "created_at") {
      created_at = string_value(v);
      have_time_field = true;
    } else if (key == "actor") {
      // 2015+: {"login": ...}; Timeline: the login itself.
      od::json_type t;
      if (v.type().get(t)) return LineStatus::kMalformed;
      if (t == od::json_type::object) {
        out.actor = string_member(v, "login");
      } else if (t == od::json_type::string) {
        out.actor = string_value(v);
      }
    } else if (key == "actor_attributes") {
      actor_attr_login = string_member(v, "login");
    } else if (key == "repo") {
      out.repo = string_member(v, "name");
    } else if (key == "repository") {
      od::object repo;
      if (v.get_object().get(repo) == simdjson::SUCCESS) {
        for (auto rf_result : repo) {
          od::field rf;
          if (std::move(rf_result).get(rf)) return LineStatus::kMalformed;
          const od::raw_json_string rk = rf.key();
          if (rk == "name") {
            repo_short_name = string_value(rf.value());
          } else if (rk == "owner") {
            repo_owner = string_value(rf.value());
          } else if (rk == "organization") {
            repo_org = string_value(rf.value());
          }
        }
      }
    } else if (key == "org") {
      out.org = string_member(v, "login");
    } else if (key == "payload") {
      // The action matters only for WatchEvent. In 2015+ lines "type" comes first, so other
      // payloads (large push/PR bodies) are skipped unread; a Timeline line may put the type
      // after the payload, and then the action is read just in case.
      if (!type_known || out.type == "WatchEvent") out.action = string_member(v, "action");
    }
  }
  // Trailing bytes after the object ("{...} {...}" glued lines) make the line malformed.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return LineStatus::kMalformed;

  if (out.actor.empty()) out.actor = actor_attr_login;
  if (out.repo.empty() && !repo_short_name.empty() && !repo_owner.empty()) {
    if (repo_owner.size() + repo_short_name.size() + 1 > kMaxNameBytes) return LineStatus::kUnknownShape;
    repo_scratch_.assign(repo_owner);
    repo_scratch_.push_back('/');
    repo_scratch_.append(repo_short_name);
    out.repo = repo_scratch_;
  }
  if (out.org.empty()) out.org = repo_org;

  if (out.type.empty() || out.actor.empty() || !have_time_field) return LineStatus::kUnknownShape;
  if (!name_ok(out.actor) || !name_ok(out.repo) || !name_ok(out.org) || out.type.size() > 64)
    return LineStatus::kUnknownShape;
  auto t = parse_timestamp(created_at);
  if (!t) return LineStatus::kUnknownShape;
  out.time = *t;
  return LineStatus::kEvent;
}

}  // namespace hubguard::stars
