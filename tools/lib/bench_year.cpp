#include "bench_year.hpp"

#include <algorithm>
#include <future>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

#include "bench_routing.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/store/stats_report.hpp"
#include "escalator/store/store.hpp"
#include "escalator/workflow/workflow_registry.hpp"

namespace escalator::tools::bench_parts {
namespace {

// A district of about a million residents: 2,000 compounds, 250 grids, 50
// communities, 5 streets.
constexpr int kBuildings = 20000;
constexpr int kDaysOpening = 365;
// Cases opened in late December are finished in the new year.
constexpr int kDaysRunning = kDaysOpening + 120;
// Units work from 09:00 to 17:59; a command falls on an hour's slot.
constexpr int kFirstHour = 9, kLastHour = 17;
const Timestamp kNewYear = *parse_time("2025-01-01T00:00:00+08:00");

// What a hotline sees, in percent: most cases signed for, answered, rated and
// closed; the rest take the detours the figures count.
struct Mix {
  static constexpr int kLate = 8;         // not signed for in time: the accept deadline escalates it
  static constexpr int kReturned = 3;     // returned as not the unit's own (退回), then dispatched again
  static constexpr int kUrged = 6;        // urged (催办) while being handled
  static constexpr int kSentBack = 2;     // the answer sent back for re-handling (发回重办)
  static constexpr int kWithdrawn = 1;    // withdrawn by the resident (撤单)
  static constexpr int kDuplicate = 1;    // a duplicate of the case opened before it, merged into it
  static constexpr int kNoAnswer = 5;     // the follow-up reaches nobody before the rating deadline
  static constexpr int kPartly = 8;       // first answer partly resolved
  static constexpr int kUnresolved = 6;   // first answer unresolved: property-first climbs a step
  static constexpr int kBasically = 10;   // rated basically satisfied
  static constexpr int kUnsatisfied = 8;  // rated unsatisfied: reopened once
};

struct Category {
  const char* name;
  int weight;
};
constexpr Category kCategories[] = {
    {"物业/房屋漏水", 14}, {"物业/电梯故障", 8},     {"物业/公共设施/楼道灯", 6}, {"环境/垃圾清运", 9},
    {"噪声/施工噪声", 8},  {"噪声/生活噪声", 5},     {"市政/道路破损", 6},        {"供水/停水", 5},
    {"供暖/暖气不热", 7},  {"停车管理/乱停车", 7},   {"消防/通道占用", 3},        {"绿化/树木修剪", 3},
    {"城管/占道经营", 4},  {"市场监管/消费纠纷", 5}, {"社会保障/医保", 4},        {"教育/入学", 2},
    {"交通/公交线路", 2},  {"咨询/政策", 6}};

struct SimCase {
  std::string id;
  std::uint32_t generation = 0;  // a pending command of an older generation is dropped
  LifecycleState state = LifecycleState::kNew;
  std::uint32_t building = 0;
  std::uint8_t category = 0, channel_draw = 0, type_draw = 0;
  int duplicate_of = -1;
  bool late = false, returns = false, urged = false, sends_back = false, withdraws = false, no_answer = false;
  bool collective = false, device = false;
  Outcome outcome = Outcome::kResolved;
  Rating rating = Rating::kSatisfied;
  // How far along its detours it is.
  bool waited_to_sign = false, returned = false, was_urged = false, was_sent_back = false, followed_up = false;
  bool discussed = false;
  int replies = 0, ratings = 0;
};

struct Pending {
  int case_index;
  std::uint32_t generation;
  CommandPayload payload;
};

int day_of(int slot) { return slot / 24; }
int hour_of(int slot) { return slot % 24; }
// The first working slot at or after `slot`.
int working(int slot) {
  if (hour_of(slot) > kLastHour) return (day_of(slot) + 1) * 24 + kFirstHour;
  if (hour_of(slot) < kFirstHour) return day_of(slot) * 24 + kFirstHour;
  return slot;
}

bool finished(LifecycleState s) { return is_over(s); }

class Year {
 public:
  Year(Engine& engine, const WorkflowCatalog& workflows, std::vector<std::string> buildings, int cases,
       YearLoad& load, Tally& tally)
      : buildings_(std::move(buildings)), engine_(engine), workflows_(workflows), load_(load), tally_(tally), slots_(kDaysRunning * 24) {
    cases_.reserve(cases);
    const auto percent = [&] { return static_cast<int>(random_() % 100); };
    int category_total = 0;
    for (const auto& c : kCategories) category_total += c.weight;
    for (int i = 0; i < cases; ++i) {
      SimCase c;
      c.building = static_cast<std::uint32_t>(random_() % buildings_.size());
      int draw = static_cast<int>(random_() % category_total);
      while (draw >= kCategories[c.category].weight) draw -= kCategories[c.category++].weight;
      c.channel_draw = static_cast<std::uint8_t>(percent());
      c.type_draw = static_cast<std::uint8_t>(percent());
      c.collective = c.channel_draw >= 95;
      c.device = c.channel_draw == 94;
      c.late = percent() < Mix::kLate;
      c.returns = percent() < Mix::kReturned;
      c.urged = percent() < Mix::kUrged;
      c.sends_back = percent() < Mix::kSentBack;
      c.withdraws = percent() < Mix::kWithdrawn;
      c.no_answer = percent() < Mix::kNoAnswer;
      // Never a duplicate of a duplicate: that one is merged away before or after.
      if (percent() < Mix::kDuplicate && i > 0 && cases_.back().duplicate_of < 0) c.duplicate_of = i - 1;
      const int outcome = percent(), rating = percent();
      c.outcome = outcome < Mix::kUnresolved                 ? Outcome::kUnresolved
                  : outcome < Mix::kUnresolved + Mix::kPartly ? Outcome::kPartlyResolved
                                                              : Outcome::kResolved;
      c.rating = rating < Mix::kUnsatisfied                     ? Rating::kUnsatisfied
                 : rating < Mix::kUnsatisfied + Mix::kBasically ? Rating::kBasicallySatisfied
                                                                : Rating::kSatisfied;
      const int day = static_cast<int>(static_cast<long>(i) * kDaysOpening / cases);
      slots_[day * 24 + kFirstHour + static_cast<int>(random_() % (kLastHour - kFirstHour + 1))].push_back(
          {i, 0, cmd::Open{}});
      cases_.push_back(std::move(c));
    }
  }

  void run(ManualClock& clock) {
    for (int slot = 0; slot < static_cast<int>(slots_.size()); ++slot) {
      if (hour_of(slot) < kFirstHour || hour_of(slot) > kLastHour) continue;
      clock.set(kNewYear + std::chrono::hours(slot));
      fire_timers(slot);
      std::vector<Pending> due;
      due.swap(slots_[slot]);
      std::vector<std::pair<int, std::future<Result<Decision>>>> waiting;
      waiting.reserve(due.size());
      for (auto& p : due) {
        SimCase& c = cases_[p.case_index];
        if (p.generation != c.generation) continue;
        const bool opening = std::holds_alternative<cmd::Open>(p.payload);
        Command command{opening ? "" : c.id, opening ? "Y-" + std::to_string(p.case_index) : "y" + std::to_string(slot),
                        std::nullopt, "bench", opening ? CommandPayload{open_of(c)} : std::move(p.payload)};
        waiting.emplace_back(p.case_index, engine_.submit(std::move(command)));
      }
      load_.commands += static_cast<long>(waiting.size());
      for (auto& [index, future] : waiting) {
        auto decided = future.get();
        if (!decided) {
          tally_.refuse(decided.error());
          continue;
        }
        SimCase& c = cases_[index];
        if (c.id.empty()) c.id = decided->case_id, ids_.emplace(c.id, index);
        load_.events += static_cast<long>(decided->events.size());
        c.state = decided->state;
        plan(index, slot);
      }
    }
    for (const auto& c : cases_) {
      if (!finished(c.state)) ++tally_.not_closed;
    }
  }

 private:
  // Due timers: a missed deadline that moves the case replans it; a warning does not.
  void fire_timers(int slot) {
    for (auto& fired : engine_.fire_due_timers()) {
      ++load_.commands, ++load_.timer_commands;
      if (!fired) {
        tally_.refuse(fired.error());
        continue;
      }
      load_.events += static_cast<long>(fired->events.size());
      const auto found = ids_.find(fired->case_id);
      if (found == ids_.end()) continue;
      SimCase& c = cases_[found->second];
      const bool moved = std::any_of(fired->events.begin(), fired->events.end(),
                                     [](const Event& e) { return event_type(e.payload) != EventType::kWarningRaised; });
      c.state = fired->state;
      if (moved) plan(found->second, slot - 1);
    }
  }

  void later(int index, int slot, int hours, CommandPayload payload) {
    SimCase& c = cases_[index];
    const int at = working(slot + std::max(1, hours));
    if (at < static_cast<int>(slots_.size())) slots_[at].push_back({index, ++c.generation, std::move(payload)});
  }

  // The case's next command from the state it is in and the path drawn for it.
  void plan(int index, int slot) {
    SimCase& c = cases_[index];
    switch (c.state) {
      case LifecycleState::kNew: {
        if (c.duplicate_of >= 0) {
          const SimCase& primary = cases_[c.duplicate_of];
          const bool open = !primary.id.empty() && !finished(primary.state) && !primary.withdraws;
          const std::string into = open ? primary.id : "";
          c.duplicate_of = -1;
          if (open) return later(index, slot, 1, cmd::Merge{into});
        }
        if (c.returned) return later(index, slot, 1, cmd::Dispatch{"", {}, step_after_the_returning_one(c)});
        return later(index, slot, 1, cmd::Dispatch{});
      }
      case LifecycleState::kDispatched:
        if (c.withdraws) return later(index, slot, 2, cmd::Withdraw{"问题已自行解决"});
        if (c.returns && !c.returned) {
          c.returned = true;
          return later(index, slot, 1, cmd::Return{"不属于本单位职责"});
        }
        if (c.late && !c.waited_to_sign) {
          // Left unsigned: the accept deadline fires first and replans; this is a fallback.
          c.waited_to_sign = true;
          return later(index, slot, 10 * 24, cmd::Accept{});
        }
        return later(index, slot, 1, cmd::Accept{});
      case LifecycleState::kAccepted: {
        if (c.collective) {
          // The council takes the matter up at its next day's meeting (上会议事).
          if (!c.discussed) {
            c.discussed = true;
            return later(index, slot, 24, cmd::Discuss{"四方议事会议定处理方案"});
          }
          if (auto unit = co_handler_to_reply(c)) {
            return later(index, slot, 2, cmd::CoHandlerReply{*unit, Outcome::kResolved, "协办意见：同意议定方案"});
          }
        }
        if (c.urged && !c.was_urged) {
          c.was_urged = true;
          return later(index, slot, 4, cmd::Urge{"居民来电催办"});
        }
        const Outcome outcome = c.replies++ == 0 ? c.outcome : Outcome::kResolved;
        // An alarm is answered within the hour; anything else within one to three days.
        const int hours = c.device ? 1 : 24 + static_cast<int>(random_() % 48);
        return later(index, slot, hours, cmd::Reply{outcome, "已现场处置并答复居民"});
      }
      case LifecycleState::kReplied:
        if (c.sends_back && !c.was_sent_back) {
          c.was_sent_back = true;
          auto state = engine_.get(c.id);
          if (state) return later(index, slot, 2, cmd::SendBack{state->step_id, "答复不规范，发回重办"});
        }
        if (c.no_answer && c.ratings == 0 && !c.followed_up) {
          c.followed_up = true;
          return later(index, slot, 2, cmd::FollowUp{});  // then the rating deadline passes unanswered
        }
        return later(index, slot, 24, cmd::Rate{rating_now(c), ""});
      case LifecycleState::kAwaitingRating:
        if (c.no_answer && c.ratings == 0) return;  // the rating deadline fires
        return later(index, slot, 2, cmd::Rate{rating_now(c), ""});
      case LifecycleState::kRated:
        return later(index, slot, 1, cmd::Close{"已回访，办结"});
      default: return;
    }
  }

  // The dispatcher sends a returned case one rung up, as the unit that
  // returned it may not have it back.
  std::string step_after_the_returning_one(const SimCase& c) {
    auto state = engine_.get(c.id);
    if (!state || state->steps_visited.empty()) return "";
    auto workflow = workflows_.find(state->workflow);
    if (!workflow) return "";
    const auto& steps = (*workflow)->steps;
    const auto next = std::min<std::size_t>(state->steps_visited.back() + 1, steps.size() - 1);
    return steps[next].id;
  }

  Rating rating_now(SimCase& c) { return c.ratings++ == 0 ? c.rating : Rating::kSatisfied; }

  std::optional<std::string> co_handler_to_reply(const SimCase& c) {
    auto state = engine_.get(c.id);
    if (!state) return std::nullopt;
    for (const auto& unit : state->co_handlers) {
      if (std::find(state->co_replied.begin(), state->co_replied.end(), unit) == state->co_replied.end()) return unit;
    }
    return std::nullopt;
  }

  cmd::Open open_of(const SimCase& c) const {
    cmd::Open o;
    const int ch = c.channel_draw;
    o.channel = ch < 50 ? Channel::kHotline : ch < 72 ? Channel::kWeChat : ch < 84 ? Channel::kMiniProgram
                : ch < 89 ? Channel::kWeCom : ch < 94 ? Channel::kWalkIn : ch == 94 ? Channel::kDevice
                : Channel::kWeChat;
    const int t = c.type_draw;
    o.request_type = t < 40 ? RequestType::kComplaint : t < 65 ? RequestType::kHelp
                     : t < 85 ? RequestType::kConsultation : t < 95 ? RequestType::kReport
                     : RequestType::kSuggestion;
    o.category = c.device ? "设备告警/电梯困人" : c.collective ? "停车管理/车位规划" : kCategories[c.category].name;
    o.collective = c.collective;
    o.urgent = c.device;
    o.location.district_code = "370811";
    o.location.building = buildings_[c.building];
    o.location.compound = o.location.building.substr(0, o.location.building.find('-'));
    o.location.address = "2单元501室";
    o.content = std::string(o.category) + "：居民反映问题，请尽快处理";
    if (!c.device) o.reporter = {"居民", "1380531" + std::to_string(1000 + c.building % 9000), ""};
    o.first_contact = Party{"hotline.12345", ""};
    return o;
  }

  const std::vector<std::string> buildings_;
  Engine& engine_;
  const WorkflowCatalog& workflows_;
  YearLoad& load_;
  Tally& tally_;
  std::vector<SimCase> cases_;
  std::vector<std::vector<Pending>> slots_;
  std::unordered_map<std::string, int> ids_;
  std::mt19937_64 random_{20250101};  // the same year every run
};

}  // namespace

YearLoad year_run(const std::filesystem::path& dir, const std::filesystem::path& workflows, int cases, int runs,
                  Tally& tally) {
  YearLoad load;
  load.cases = cases;
  GeneratedDistrict district = generated_district(kBuildings);
  load.units = district.units;
  const OrgFile read = read_org_directory(district.text, "generated.json");
  if (!read.directory) {
    load.error = read.problems.empty() ? "the generated directory was not read" : read.problems.front().text();
    return load;
  }
  auto registry = std::make_shared<WorkflowRegistry>();
  if (auto problems = registry->load_directory(workflows, *read.directory); !problems.empty()) {
    load.error = problems.front().text();
    return load;
  }
  const auto path = dir / "year";
  std::filesystem::remove_all(path);
  DurableStoreOptions store_options;
  store_options.path = path;
  auto store = open_durable_store(store_options);
  if (!store) {
    load.error = store.error().message;
    return load;
  }
  auto clock = std::make_shared<ManualClock>(kNewYear);
  EngineOptions options;
  options.clock = clock;
  options.store = *store;
  options.workflows = registry;
  options.directory = read.directory;
  auto engine = Engine::open(std::move(options));
  if (!engine) {
    load.error = engine.error().message;
    return load;
  }
  {
    Year year(**engine, *registry, std::move(district.buildings), cases, load, tally);
    const auto t0 = BenchClock::now();
    year.run(*clock);
    load.load_seconds = seconds_since(t0);
  }
  const auto calendar = (*engine)->calendar();
  engine->reset();

  using namespace std::chrono;
  const sys_days first = 2025y / January / 1, last = 2025y / December / 31;
  const auto report_ms = [&](stats::Dimension by, int& groups) {
    std::vector<double> times;
    double sink = 0;
    for (int run = 0; run < runs; ++run) {
      const auto t0 = BenchClock::now();
      auto report = stats::read_report(**store, {first, last, by});
      if (!report) {
        load.error = report.error().message;
        return 0.0;
      }
      const stats::Formulas formulas;
      for (const auto& group : report->groups) {
        for (const auto& figure : stats::figures()) {
          sink += stats::value_of(figure, group.tally, report->total, formulas).value_or(0);
        }
      }
      times.push_back(seconds_since(t0) * 1e3);
      groups = static_cast<int>(report->groups.size());
    }
    if (sink < 0) load.error = "a figure came out negative";
    return median(times);
  };
  load.report_by_unit_ms = report_ms(stats::Dimension::kUnit, load.unit_groups);
  load.report_by_category_ms = report_ms(stats::Dimension::kCategory, load.category_groups);

  // The cases behind a count: the busiest unit's year, and a month of the whole district.
  const auto figure_named = [](std::string_view name) {
    const auto& all = stats::figures();
    return *std::find_if(all.begin(), all.end(), [&](const stats::Figure& f) { return f.name == name; });
  };
  const auto behind_ms = [&](const stats::Query& query, const std::string& group, std::string_view count, long& cases) {
    std::vector<double> times;
    for (int run = 0; run < runs; ++run) {
      const auto t0 = BenchClock::now();
      auto shares = stats::cases_behind(**store, query, group, figure_named(count), stats::Formulas{});
      times.push_back(seconds_since(t0) * 1e3);
      if (!shares) {
        load.error = shares.error().message;
        return 0.0;
      }
      cases = static_cast<long>(shares->size());
    }
    return median(times);
  };
  if (auto by_unit = stats::read_report(**store, {first, last, stats::Dimension::kUnit}); by_unit && !by_unit->groups.empty()) {
    const auto busiest = std::max_element(by_unit->groups.begin(), by_unit->groups.end(), [](const auto& a, const auto& b) {
      return a.tally.get(stats::Count::kHanded) < b.tally.get(stats::Count::kHanded);
    });
    load.unit_handed_ms = behind_ms({first, last, stats::Dimension::kUnit}, busiest->name, "handed", load.unit_handed_cases);
  }
  load.november_overdue_ms =
      behind_ms({2025y / November / 1, 2025y / November / 30}, "", "overdue", load.november_overdue_cases);

  auto kept = (*store)->stats_cells(stats::kCellsFrom, stats::kCellsTo);
  if (!kept) {
    load.error = kept.error().message;
    return load;
  }
  load.cells = static_cast<long>(kept->size());
  const auto t0 = BenchClock::now();
  auto recounted = stats::recount(**store, *calendar);
  load.recount_seconds = seconds_since(t0);
  if (!recounted) {
    load.error = recounted.error().message;
    return load;
  }
  load.recount_agrees = std::equal(kept->begin(), kept->end(), recounted->begin(), recounted->end(),
                                   [](const auto& a, const auto& b) { return a.first == b.first && a.second == b.second; });
  const auto t1 = BenchClock::now();
  if (auto replaced = stats::recount_into(**store, *calendar); !replaced) {
    load.error = replaced.error().message;
  }
  load.replace_seconds = seconds_since(t1);
  return load;
}

}  // namespace escalator::tools::bench_parts
