#include "hubguard/stars/generator.hpp"

#include <algorithm>
#include <cmath>

#include "hubguard/stars/generator_model.hpp"

namespace hubguard::stars {

std::string_view star_kind_name(StarKind k) {
  switch (k) {
    case StarKind::kOrganic:
      return "organic";
    case StarKind::kOneTime:
      return "one_time";
    case StarKind::kViral:
      return "viral";
    case StarKind::kLaunch:
      return "launch";
    case StarKind::kCourse:
      return "course";
    case StarKind::kLowActivityCampaign:
      return "low_activity";
    case StarKind::kLockstepCampaign:
      return "lockstep";
  }
  return "unknown";
}

GeneratorParams generator_params_for_scale(double scale, std::uint64_t seed) {
  GeneratorParams p;
  p.seed = seed;
  scale = std::max(scale, 0.01);
  auto times = [&](std::uint32_t v) {
    return static_cast<std::uint32_t>(std::max(1.0, std::round(v * scale)));
  };
  p.organic_users = times(p.organic_users);
  p.organic_repos = times(p.organic_repos);
  p.viral_repos = times(p.viral_repos);
  p.launch_weeks = times(p.launch_weeks);
  p.courses = times(p.courses);
  p.lockstep_sellers = times(p.lockstep_sellers);
  p.low_activity_campaigns = times(p.low_activity_campaigns);
  // Past a year of data the window grows too, as the archive does.
  if (scale >= 50) p.days = 730;
  return p;
}

namespace {

// Accumulates stars and the per-account activity summary exactly as ingestion defines it:
// distinct counts saturate (3 timestamps, 2 repositories, 2 organisations).
class InputBuilder final : public EventSink {
 public:
  explicit InputBuilder(const SyntheticModel& model) : model_(model) {}

  void on_event(const GenEvent& e) override {
    if (e.actor >= acc_.size()) acc_.resize(std::max<std::size_t>(e.actor + 1, acc_.size() * 2));
    Acc& a = acc_[e.actor];
    if (a.events == 0) {
      a.first = a.last = e.time;
    } else {
      a.first = std::min(a.first, e.time);
      a.last = std::max(a.last, e.time);
    }
    ++a.events;
    if (a.ntimes < 3 && !(a.ntimes >= 1 && a.t[0] == e.time) &&
        !(a.ntimes >= 2 && a.t[1] == e.time)) {
      if (a.ntimes < 2) a.t[a.ntimes] = e.time;
      ++a.ntimes;
    }
    const std::uint64_t repo_key =
        e.own == kNotOwn ? e.repo
                         : (std::uint64_t{1} << 63) | (std::uint64_t{e.actor} << 8) | e.own;
    if (a.nrepos == 0) {
      a.repo = repo_key;
      a.nrepos = 1;
    } else if (a.nrepos == 1 && a.repo != repo_key) {
      a.nrepos = 2;
    }
    const std::uint32_t org = e.own == kNotOwn ? model_.repo_org[e.repo] : kNoId;
    if (org != kNoId) {
      if (a.norgs == 0) {
        a.org = org;
        a.norgs = 1;
      } else if (a.norgs == 1 && a.org != org) {
        a.norgs = 2;
      }
    }
    if (e.type == EventType::kWatch) stars_.push_back({{e.actor, e.repo, e.time}, e.kind});
  }

  SyntheticInput finish(SyntheticModel&& model) {
    SyntheticInput out;
    std::sort(stars_.begin(), stars_.end(), [](const KindStar& a, const KindStar& b) {
      if (a.star.time != b.star.time) return a.star.time < b.star.time;
      if (a.star.actor != b.star.actor) return a.star.actor < b.star.actor;
      return a.star.repo < b.star.repo;
    });
    out.input.stars.reserve(stars_.size());
    out.star_kind.reserve(stars_.size());
    for (const KindStar& s : stars_) {
      out.input.stars.push_back(s.star);
      out.star_kind.push_back(s.kind);
    }
    stars_ = {};
    out.input.activity.resize(model.actors.size());
    for (std::size_t i = 0; i < model.actors.size() && i < acc_.size(); ++i) {
      const Acc& a = acc_[i];
      out.input.activity[i] = {a.first, a.last, a.events, a.ntimes, a.nrepos, a.norgs};
    }
    out.input.actors = std::move(model.actors);
    out.input.repos = std::move(model.repos);
    out.campaigns = std::move(model.campaigns);
    return out;
  }

 private:
  struct Acc {
    std::int64_t first = 0, last = 0;
    std::int64_t t[2] = {0, 0};
    std::uint64_t repo = 0;
    std::uint32_t events = 0, org = 0;
    std::uint8_t ntimes = 0, nrepos = 0, norgs = 0;
  };
  struct KindStar {
    Star star;
    StarKind kind;
  };
  const SyntheticModel& model_;
  std::vector<Acc> acc_;
  std::vector<KindStar> stars_;
};

}  // namespace

SyntheticInput generate_detection_input(const GeneratorParams& params) {
  SyntheticModel model;
  InputBuilder builder(model);
  run_synthetic_model(params, model, builder);
  return builder.finish(std::move(model));
}

}  // namespace hubguard::stars
