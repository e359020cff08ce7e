// Hand-made DetectionInputs for rule tests: name accounts and repositories, add stars at
// chosen times, give accounts activity summaries; finish() sorts stars as ingestion does.
#pragma once

#include <algorithm>
#include <string>

#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars::testing {

inline constexpr std::int64_t kDay = 86400;
inline constexpr std::int64_t kT0 = 1672531200;  // 2023-01-01T00:00:00Z

class HandInput {
 public:
  std::uint32_t actor(const std::string& login) {
    const auto id = in_.actors.intern(login);
    if (in_.activity.size() <= id) in_.activity.resize(id + 1);
    return id;
  }
  std::uint32_t repo(const std::string& name) { return in_.repos.intern(name); }
  // A star also counts as one event of the account, at its own timestamp.
  void star(std::uint32_t a, std::uint32_t r, std::int64_t t, bool count_event = true) {
    in_.stars.push_back({a, r, t});
    if (!count_event) return;
    ActorSummary& s = in_.activity[a];
    if (s.events == 0) s.first_time = s.last_time = t;
    s.first_time = std::min(s.first_time, t);
    s.last_time = std::max(s.last_time, t);
    ++s.events;
  }
  ActorSummary& summary(std::uint32_t a) { return in_.activity[a]; }
  // An organic-looking account: many other events over many days.
  void make_established(std::uint32_t a, std::uint32_t other_events = 50,
                        std::int64_t span_days = 200) {
    ActorSummary& s = in_.activity[a];
    const bool fresh = s.events == 0;
    s.events += other_events;
    s.first_time = fresh ? kT0 : std::min(s.first_time, kT0);
    s.last_time = fresh ? kT0 + span_days * kDay : std::max(s.last_time, kT0 + span_days * kDay);
    s.distinct_times = 3;
    s.distinct_repos = 2;
  }
  DetectionInput finish() {
    std::sort(in_.stars.begin(), in_.stars.end(), [](const Star& a, const Star& b) {
      if (a.time != b.time) return a.time < b.time;
      if (a.actor != b.actor) return a.actor < b.actor;
      return a.repo < b.repo;
    });
    // Summaries of accounts that only starred: timestamps/repos from their stars.
    for (std::size_t a = 0; a < in_.activity.size(); ++a) {
      ActorSummary& s = in_.activity[a];
      if (s.distinct_times != 0) continue;
      std::vector<std::int64_t> times;
      std::vector<std::uint32_t> repos;
      for (const Star& st : in_.stars)
        if (st.actor == a) {
          times.push_back(st.time);
          repos.push_back(st.repo);
        }
      std::sort(times.begin(), times.end());
      std::sort(repos.begin(), repos.end());
      s.distinct_times = static_cast<std::uint8_t>(
          std::min<std::size_t>(3, std::unique(times.begin(), times.end()) - times.begin()));
      s.distinct_repos = static_cast<std::uint8_t>(
          std::min<std::size_t>(2, std::unique(repos.begin(), repos.end()) - repos.begin()));
    }
    return std::move(in_);
  }

 private:
  DetectionInput in_;
};

}  // namespace hubguard::stars::testing
