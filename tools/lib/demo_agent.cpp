// The people around a demo case: dispatchers, property staff, the party branch,
// grid workers, supervisors and the resident. Each time a case changes, they
// look at it afresh and decide what to do next and when; the timers are the
// engine's, so a holder who does nothing is escalated by the engine itself.
//
// Staff act within working hours; the resident answers a follow-up call from
// 08:00 to 21:00 on any day. Every action is timed before the deadline that
// would make it moot, so no command is refused unless the demo or the engine
// is wrong.
#include <algorithm>
#include <chrono>

#include "demo_plan.hpp"

namespace escalator::tools::demo_parts {
namespace {

using namespace std::chrono;

sys_days china_day(Timestamp t) { return floor<days>(t + kChinaOffset); }
Timestamp at_clock(sys_days day, int hour, int minute) {
  return Timestamp{day} - kChinaOffset + hours{hour} + minutes{minute};
}

// `amount` minutes of working time after `from`.
Timestamp after_working(Timestamp from, int amount, const Calendar& calendar) {
  Timestamp t = working_time(from, calendar);
  seconds left = minutes{amount};
  for (;;) {
    const sys_days day = china_day(t);
    const Timestamp block_end = t < at_clock(day, 12, 0) ? at_clock(day, 12, 0) : at_clock(day, 17, 0);
    if (t + left < block_end) return t + left;
    left -= block_end - t;
    t = working_time(block_end, calendar);
  }
}

// A working day after `from`'s, at hh:mm.
Timestamp next_working_day(Timestamp from, int hour, int minute, const Calendar& calendar) {
  sys_days day = china_day(from) + days{1};
  while (!calendar.is_working_day(day)) day += days{1};
  return working_time(at_clock(day, hour, minute), calendar);
}

// `amount` minutes after `from`, moved out of the night (21:00-08:00).
Timestamp resident_time(Timestamp from, int amount) {
  const Timestamp t = from + minutes{amount};
  const sys_days day = china_day(t);
  if (t < at_clock(day, 8, 0)) return at_clock(day, 8, 0) + minutes{amount % 60};
  if (t >= at_clock(day, 21, 0)) return at_clock(day + days{1}, 8, 0) + minutes{amount % 60};
  return t;
}

// `t`, or earlier if it would miss `deadline`: people in the demo act in time
// unless their fate says otherwise.
Timestamp in_time(Timestamp t, const std::optional<Timestamp>& deadline, Timestamp now) {
  if (!deadline || t < *deadline - hours{1}) return t;
  return std::max(now + minutes{1}, *deadline - hours{8});
}

// How many steps let the accept deadline pass before someone signs for it.
int steps_missed(Fate f) {
  if (f == Fate::kMissedAccept) return 1;
  if (f == Fate::kMissedTwice) return 2;
  return 0;
}

const char* unsatisfied_reason(const CasePlan& p) {
  return p.outcome == Outcome::kPartlyResolved ? "问题仍然存在，整改不到位" : "处理后问题复发，仍未解决";
}

}  // namespace

Timestamp working_time(Timestamp t, const Calendar& calendar) {
  for (sys_days day = china_day(t), last = day + days{366}; day < last; day += days{1}) {
    if (!calendar.is_working_day(day)) continue;
    for (const auto& [begin, end] : {std::pair{9, 12}, std::pair{13, 17}}) {
      if (t < at_clock(day, end, 0)) return std::max(t, at_clock(day, begin, 0));
    }
  }
  return t;  // a calendar with no working day in a year: act at once
}

std::optional<Action> next_action(const CasePlan& p, CaseRun& r, const CaseState& k,
                                  const std::vector<CaseRun>& all, Timestamp now,
                                  const Calendar& calendar) {
  const auto pick = [&r](int lo, int hi) { return lo + static_cast<int>(r.rng() % unsigned(hi - lo + 1)); };
  const auto staff = [&](int lo, int hi) { return after_working(now, pick(lo, hi), calendar); };
  const bool first_round = k.reopens == 0;
  const std::string& dispatcher = p.open.first_contact.unit;
  const std::string& holder = k.lead_unit;
  const std::string& owner = k.owner.unit;
  using enum LifecycleState;

  switch (k.state) {
    case kNew:
      if (p.fate == Fate::kOnSpot) {
        return Action{staff(10, 40), dispatcher, cmd::ReplyOnSpot{p.outcome, "现场答复：" + p.answer}};
      }
      if (p.fate == Fate::kMerged && !all[p.merge_into].id.empty()) {
        return Action{staff(20, 90), dispatcher, cmd::Merge{all[p.merge_into].id}};
      }
      if (p.fate == Fate::kWithdrawn && p.index % 2 == 0) {
        return Action{resident_time(now, pick(30, 180)), owner, cmd::Withdraw{"问题已自行解决，申请撤单"}};
      }
      if (p.fate == Fate::kReturned && k.returns == 0) {
        return Action{staff(15, 90), dispatcher, cmd::Dispatch{p.wrong_unit, {}, ""}};
      }
      return Action{staff(15, 90), dispatcher, cmd::Dispatch{}};

    case kDispatched:
      if (p.fate == Fate::kReturned && k.returns == 0) {
        return Action{in_time(staff(60, 180), k.accept_by, now), holder,
                      cmd::Return{"经核实该地址不在本单位服务范围，退回重新派单"}};
      }
      if (p.fate == Fate::kWithdrawn) {
        return Action{resident_time(now, pick(60, 240)), owner, cmd::Withdraw{"已与邻居协商解决，申请撤单"}};
      }
      if (first_round && k.step < steps_missed(p.fate)) return std::nullopt;  // the timer escalates it
      if (p.fate == Fate::kUrged && first_round && k.urges == 0) {
        return Action{next_working_day(now, 9, 30, calendar), "jiyang.office",
                      cmd::Urge{"超过一个工作日未签收，请立即签收办理"}};
      }
      return Action{in_time(staff(30, 240), k.accept_by, now), holder, cmd::Accept{}};

    case kAccepted:
      if (p.fate == Fate::kManualEscalate && first_round && k.step == 0) {
        return Action{in_time(staff(120, 360), k.resolve_by, now), holder,
                      cmd::Escalate{"需协调多方住户和单位，物业无法单独解决，报小区党支部统筹"}};
      }
      if (p.fate == Fate::kSuspended && !r.suspended_once) {
        return Action{in_time(staff(60, 240), k.resolve_by, now), holder,
                      cmd::Suspend{"居民外出，需待其返家后入户查看"}};
      }
      if (p.fate == Fate::kExtension && first_round && k.extensions_granted == 0) {
        if (!k.extension_requested) {
          return Action{in_time(staff(240, 480), k.resolve_by, now), holder,
                        cmd::RequestExtension{{2, Duration::Unit::kWorkingDays}, "需协调专业维修单位，配件到货需要时间"}};
        }
        return Action{in_time(staff(30, 120), k.resolve_by, now), "yangguang.office",
                      cmd::DecideExtension{true, "同意延期2个工作日"}};
      }
      if (p.fate == Fate::kDragging && k.reply_by) return std::nullopt;  // sits on it until overdue
      {
        const int late = p.fate == Fate::kExtension ? 900 : 0;  // the extra time is used
        const std::string answer = first_round ? p.answer : "再次上门处理：" + p.answer;
        return Action{in_time(staff(180 + late, 900 + late), k.resolve_by, now), holder,
                      cmd::Reply{p.outcome, answer}};
      }

    case kSuspended:
      r.suspended_once = true;
      return Action{staff(2 * 420, 4 * 420), holder, cmd::Resume{}};

    case kReplied:
      return Action{next_working_day(now, pick(9, 15), pick(0, 59), calendar), owner, cmd::FollowUp{}};

    case kAwaitingRating: {
      if (p.fate == Fate::kNoAnswer) return std::nullopt;  // the rating deadline answers for them
      const bool unhappy = p.fate == Fate::kUnsatisfied && first_round;
      return Action{in_time(resident_time(now, pick(5, 90)), k.rating_by, now), owner,
                    cmd::Rate{unhappy ? Rating::kUnsatisfied : p.rating, unhappy ? unsatisfied_reason(p) : ""}};
    }

    case kRated:
      return Action{staff(30, 120), owner,
                    cmd::Close{k.rating == Rating::kNoAnswer ? "回访未接通，依规办结" : "已回访，办结"}};

    case kClosed:
    case kWithdrawn:
    case kMerged:
    case kReturned:
      break;
  }
  return std::nullopt;
}

}  // namespace escalator::tools::demo_parts
