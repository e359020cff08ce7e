// The synthetic archive's population model (see generator.hpp) as a stream of events pushed
// into a sink, so the same draws feed the in-memory DetectionInput builder and the GH Archive
// hour-file writer. Internal to the generator.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hubguard/stars/dictionary.hpp"
#include "hubguard/stars/generator.hpp"

namespace hubguard::stars {

enum class EventType : std::uint8_t {
  kWatch,
  kPush,
  kCreate,
  kFork,
  kIssues,
  kIssueComment,
  kPullRequest
};
std::string_view event_type_name(EventType type);  // "WatchEvent", ...

inline constexpr std::uint8_t kNotOwn = 0xFF;

struct GenEvent {
  std::int64_t time = 0;
  std::uint32_t actor = 0;     // id in SyntheticModel::actors
  std::uint32_t repo = 0;      // id in SyntheticModel::repos, unless `own` != kNotOwn
  std::uint8_t own = kNotOwn;  // the actor's own repository number k (named login/projk)
  EventType type = EventType::kWatch;
  StarKind kind = StarKind::kOrganic;  // meaningful for stars
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(const GenEvent& event) = 0;
};

struct SyntheticModel {
  Dictionary actors;
  Dictionary repos;
  Dictionary orgs;
  std::vector<std::uint32_t> repo_org;  // by repo id: org id or kNoId
  std::vector<std::pair<std::uint32_t, StarKind>> campaigns;
};

// Runs the model, naming every account and repository in `model` before its first event.
void run_synthetic_model(const GeneratorParams& params, SyntheticModel& model, EventSink& sink);

}  // namespace hubguard::stars
