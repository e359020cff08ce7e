// Builds one account's ActorSummary event by event. The summary's distinct counts saturate
// (the low-activity rule asks only "<= 2 timestamps, <= 1 repository, <= 1 org"), so the
// accumulator remembers just enough distinct values to count exactly up to the cap: two
// timestamps, one repository, one org. Order of events does not matter.
#pragma once

#include <cstdint>
#include <limits>

#include "hubguard/stars/detection_input.hpp"

namespace hubguard::stars {

class ActivityAccumulator {
 public:
  void add(std::int64_t time, std::uint32_t repo, std::uint32_t org) {
    if (events_ == 0 || time < first_) first_ = time;
    if (events_ == 0 || time > last_) last_ = time;
    if (events_ < std::numeric_limits<std::uint32_t>::max()) ++events_;
    if (times_ < 3) {
      if (times_ == 0 || (time != t0_ && (times_ < 2 || time != t1_))) {
        if (times_ == 0) t0_ = time;
        else if (times_ == 1) t1_ = time;
        ++times_;
      }
    }
    if (repo != kNoId && repos_ < 2 && (repos_ == 0 || repo != repo0_)) {
      if (repos_ == 0) repo0_ = repo;
      ++repos_;
    }
    if (org != kNoId && orgs_ < 2 && (orgs_ == 0 || org != org0_)) {
      if (orgs_ == 0) org0_ = org;
      ++orgs_;
    }
  }

  ActorSummary summary() const {
    ActorSummary s;
    s.first_time = first_;
    s.last_time = last_;
    s.events = events_;
    s.distinct_times = times_;
    s.distinct_repos = repos_;
    s.distinct_orgs = orgs_;
    return s;
  }

 private:
  std::int64_t first_ = 0, last_ = 0;
  std::int64_t t0_ = 0, t1_ = 0;
  std::uint32_t events_ = 0;
  std::uint32_t repo0_ = kNoId, org0_ = kNoId;
  std::uint8_t times_ = 0, repos_ = 0, orgs_ = 0;
};

}  // namespace hubguard::stars
