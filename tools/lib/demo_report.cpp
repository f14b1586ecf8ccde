// What `escalator demo` prints: each case's timeline as the engine recorded it,
// and the figures administrators report (domain.md, "Numbers from the
// programmes"). Residents are never named: the demo has no names to print.
#include <chrono>
#include <cstdio>
#include <map>

#include "demo_plan.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "text_table.hpp"

namespace escalator::tools::demo_parts {
namespace {

using namespace std::chrono;


// "10-08 周三 09:42" (or without the weekday), China Standard Time.
std::string when(Timestamp t, bool with_weekday = true) {
  static constexpr const char* kWeekdays[] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};
  const auto local = t + kChinaOffset;
  const sys_days day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> tod{local - day};
  char text[48];
  std::snprintf(text, sizeof text, "%02u-%02u %s%s%02d:%02d", unsigned(ymd.month()), unsigned(ymd.day()),
                with_weekday ? kWeekdays[weekday{day}.c_encoding()] : "", with_weekday ? " " : "",
                int(tod.hours().count()), int(tod.minutes().count()));
  return text;
}

// Working-day deadlines end at the midnight closing their last day, which
// 12345 staff write as that day's 24:00 ("10-09 24:00"), not the next day's 00:00.
std::string deadline(Timestamp t) {
  const auto local = t + kChinaOffset;
  if (local != floor<days>(local)) return when(t, false);
  return when(t - seconds{1}, false).substr(0, 6) + "24:00";
}

std::string duration_zh(const Duration& d) {
  static constexpr const char* kUnitNames[] = {"小时", "个工作小时", "天", "个工作日"};
  return std::to_string(d.amount) + kUnitNames[int(d.unit)];
}

// clang-format off
constexpr std::pair<const char*, const char*> kUnits[] = {
    {"hotline.12345", "12345热线"},
    {"yangguang-garden.property", "阳光花园物业"}, {"yangguang-garden.branch", "阳光花园党支部"},
    {"heping-li.property", "和平里物业"},
    {"xingfu-court.property", "幸福苑物业"},       {"xingfu-court.branch", "幸福苑党支部"},
    {"yangguang-1.station", "第一网格工作站"},     {"yangguang-2.station", "第二网格工作站"},
    {"yangguang.office", "阳光社区居委会"},         {"yangguang.party-committee", "阳光社区党委"},
    {"jiyang.office", "济阳街道办"},               {"370811.office", "任城区"},
};
constexpr std::pair<const char*, const char*> kCompoundNames[] = {
    {"yangguang-garden", "阳光花园"}, {"heping-li", "和平里"}, {"xingfu-court", "幸福苑"}};
constexpr const char* kChannels[] = {"12345热线", "微信", "企业微信", "小程序", "来访", "走访", "设备告警", "Open311"};
constexpr const char* kDeadlines[] = {"签收", "办理", "答复", "评价", "回访"};
// clang-format on

std::string unit_label(const std::string& unit) {
  for (const auto& [id, name] : kUnits) {
    if (unit == id) return name;
  }
  return unit;
}

std::string compound_label(const std::string& compound) {
  for (const auto& [id, name] : kCompoundNames) {
    if (compound == id) return name;
  }
  return compound;
}

std::string step_label(const ev::StepAssignment& to) {
  if (to.step_id.empty()) return "";
  const std::string step = "第" + std::to_string(to.step + 1) + "级 " + std::string(label_zh(to.level));
  if (to.waiting_for_dispatcher) return step + "·无承办单位，待人工分拨";
  return step + "·" + unit_label(to.lead_unit) + "，签收时限 " + deadline(*to.accept_by);
}

std::string escalation_reason(const std::string& reason) {
  if (reason == "accept_timeout") return "超时未签收";
  if (reason == "resolve_timeout") return "超时未办结";
  return reason;
}

// The event's Chinese label and the part of it that matters in a timeline.
std::pair<std::string, std::string> describe(const Event& e) {
  return std::visit(
      [](const auto& d) -> std::pair<std::string, std::string> {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, ev::CaseOpened>) {
          return {"受理", "首问 " + unit_label(d.owner.unit) + "，答复时限 " + deadline(d.reply_by)};
        } else if constexpr (std::is_same_v<T, ev::CaseDispatched>) {
          return {"派单", step_label(d.to)};
        } else if constexpr (std::is_same_v<T, ev::CaseAccepted>) {
          return {"签收", unit_label(d.unit) + "，办理时限 " + deadline(d.resolve_by)};
        } else if constexpr (std::is_same_v<T, ev::CaseReplied>) {
          return {d.on_spot ? "现场答复" : "答复", std::string(label_zh(d.outcome)) + "：" + d.answer};
        } else if constexpr (std::is_same_v<T, ev::AnswerRelayed>) {
          return {"同步答复", unit_label(d.unit) + "（" + d.from + "）" + std::string(label_zh(d.outcome)) + "：" + d.answer};
        } else if constexpr (std::is_same_v<T, ev::CaseReturned>) {
          return {"退回", unit_label(d.from_unit) + "：" + d.reason};
        } else if constexpr (std::is_same_v<T, ev::CaseSentBack>) {
          return {"发回重办", step_label(d.to) + "：" + d.reason};
        } else if constexpr (std::is_same_v<T, ev::CaseEscalated>) {
          return {"上报", escalation_reason(d.reason) + " → " + step_label(d.to)};
        } else if constexpr (std::is_same_v<T, ev::CaseUrged>) {
          return {"催办", d.note};
        } else if constexpr (std::is_same_v<T, ev::CaseHandedOver>) {
          return {"移交", unit_label(d.from.unit) + " → " + unit_label(d.to.unit)};
        } else if constexpr (std::is_same_v<T, ev::CaseSuspended>) {
          return {"挂起", d.reason};
        } else if constexpr (std::is_same_v<T, ev::CaseResumed>) {
          return {"恢复办理", d.resolve_by ? "办理时限顺延至 " + deadline(*d.resolve_by) : ""};
        } else if constexpr (std::is_same_v<T, ev::ExtensionRequested>) {
          return {"延期申请", duration_zh(d.extra) + "：" + d.reason};
        } else if constexpr (std::is_same_v<T, ev::ExtensionDecided>) {
          return {"延期审批", std::string(d.approved ? "同意" : "不同意") +
                                  (d.resolve_by ? "，办理时限 " + deadline(*d.resolve_by) : "")};
        } else if constexpr (std::is_same_v<T, ev::FollowUpStarted>) {
          return {"回访", "评价时限 " + deadline(d.rating_by)};
        } else if constexpr (std::is_same_v<T, ev::CaseRated>) {
          return {"评价", std::string(label_zh(d.rating)) + (d.reason.empty() ? "" : "：" + d.reason)};
        } else if constexpr (std::is_same_v<T, ev::CaseReopened>) {
          return {"重启", step_label(d.to)};
        } else if constexpr (std::is_same_v<T, ev::CaseWithdrawn>) {
          return {"撤单", d.reason};
        } else if constexpr (std::is_same_v<T, ev::CaseMerged>) {
          return {"合并", "并入 " + d.into};
        } else if constexpr (std::is_same_v<T, ev::CaseClosed>) {
          return {"办结", d.note};
        } else if constexpr (std::is_same_v<T, ev::CoHandlerReplied>) {
          return {"会签", d.unit + "：" + d.answer};
        } else if constexpr (std::is_same_v<T, ev::WarningRaised>) {
          return {"预警", std::string(kDeadlines[int(d.kind)]) + "将到（时限 " + deadline(d.due) + "）"};
        } else if constexpr (std::is_same_v<T, ev::DeadlinesRecomputed>) {
          return {"时限重算", "按新日历 " + d.calendar};
        } else if constexpr (std::is_same_v<T, ev::PersonalDataErased>) {
          return {"个人信息删除", d.reason};
        } else if constexpr (std::is_same_v<T, ev::DuplicateMergedIn>) {
          return {"并案", "重复件 " + d.duplicate + " 并入本件"};
        } else if constexpr (std::is_same_v<T, ev::ParkedForDispatcher>) {
          return {"待人工分拨", d.reason};
        } else if constexpr (std::is_same_v<T, ev::CaseLocated>) {
          return {"人工定位", compound_label(d.location.compound) + "：" + d.reason};
        } else if constexpr (std::is_same_v<T, ev::CaseDiscussed>) {
          return {"上会议事", d.note};
        } else if constexpr (std::is_same_v<T, ev::CoHandlersAdded>) {
          std::string units;
          for (const auto& u : d.units) units += (units.empty() ? "" : "、") + unit_label(u);
          return {"增加协办", units + "：" + d.reason};
        } else if constexpr (std::is_same_v<T, ev::CaseReturnedToOwner>) {
          return {"退回来源", "退回 " + unit_label(d.to) + "：" + d.reason};
        } else {
          static_assert(std::is_same_v<T, ev::OverdueMarked>, "every event has a label");
          return {"逾期", std::string(kDeadlines[int(d.kind)]) + "超期（时限 " + deadline(d.due) + "）"};
        }
      },
      e.payload);
}

bool timeout_escalation(const Event& e) {
  const auto* up = std::get_if<ev::CaseEscalated>(&e.payload);
  return up && (up->reason == "accept_timeout" || up->reason == "resolve_timeout");
}

void row(std::ostream& out, const std::string& label, const std::string& value) {
  out << "  " << pad(label, 20) << value << "\n";
}

std::string share(int part, int whole) {
  char text[32];
  std::snprintf(text, sizeof text, "%d (%.1f%%)", part, whole ? 100.0 * part / whole : 0.0);
  return text;
}

}  // namespace

void print_timeline(const Engine& engine, const CasePlan& plan, const std::string& case_id,
                    std::ostream& out) {
  const auto state = engine.get(case_id);
  const auto events = engine.history(case_id);
  if (!state || !events) return;
  const auto& k = *state;
  out << "■ " << k.id << "  " << k.external_id << "  " << kChannels[int(k.channel)] << " · "
      << label_zh(k.request_type) << " · " << k.category << " · " << compound_label(k.location.compound)
      << (k.urgent ? " · 紧急" : "") << (k.collective ? " · 共性问题" : "") << "\n"
      << "  诉求：" << k.content << "\n";
  for (const auto& e : *events) {
    const auto [label, detail] = describe(e);
    out << "  " << when(e.time) << "  " << pad(label, 9)
        << pad(std::string(event_type_name(event_type(e.payload))), 19) << detail << "\n";
  }
  out << "  → " << label_zh(k.state);
  if (k.rating) out << " · " << label_zh(*k.rating);
  if (plan.fate == Fate::kMerged) out << " · 并入 " << k.merged_into;
  out << "\n\n";
}

void print_summary(const Engine& engine, const std::vector<CasePlan>& plans,
                   const std::vector<CaseRun>& runs, const std::vector<Refusal>& refusals,
                   std::ostream& out) {
  const auto catalog = builtin_workflows();
  int received = 0, closed = 0, on_spot = 0, by_timeout = 0, manual_up = 0, overdue = 0, reopened = 0;
  int withdrawn = 0, merged = 0, returned = 0, suspended = 0, extended = 0, urged = 0, open = 0;
  int warned = 0;
  std::map<int, int> at_step;                  // closed cases by the step that answered
  std::map<Rating, int> ratings;               // every rating given, reopening ones too
  std::map<std::string, int> categories;       // first level of the category tree
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (runs[i].id.empty()) continue;
    const auto k = engine.get(runs[i].id);
    const auto events = engine.history(runs[i].id);
    if (!k || !events) continue;
    ++received;
    ++categories[k->category.substr(0, k->category.find('/'))];
    bool up_by_timer = false, up_by_hand = false, paused = false;
    for (const auto& e : *events) {
      up_by_timer |= timeout_escalation(e);
      up_by_hand |= std::holds_alternative<ev::CaseEscalated>(e.payload) && !timeout_escalation(e);
      paused |= std::holds_alternative<ev::CaseSuspended>(e.payload);
      if (const auto* r = std::get_if<ev::CaseRated>(&e.payload)) ++ratings[r->rating];
    }
    by_timeout += up_by_timer;
    manual_up += up_by_hand;
    suspended += paused;
    overdue += !k->overdue.empty();
    warned += k->warnings > 0;
    reopened += k->reopens > 0;
    returned += k->returns > 0;
    extended += k->extensions_granted > 0;
    urged += k->urges > 0;
    switch (k->state) {
      case LifecycleState::kClosed:
        ++closed;
        if (k->answered_on_spot) {
          ++on_spot;
        } else {
          ++at_step[k->step];
        }
        break;
      case LifecycleState::kWithdrawn: ++withdrawn; break;
      case LifecycleState::kMerged: ++merged; break;
      default: ++open; break;
    }
  }

  out << "== 汇总 2025-11-03 至 2025-12-02（" << plans.size() << " 件样例诉求）\n";
  row(out, "受理", std::to_string(received));
  row(out, "办结", share(closed, received));
  row(out, "  现场解决", share(on_spot, closed));
  const Workflow* workflow = nullptr;
  if (auto found = catalog->find({"property-first", 1})) workflow = *found;
  for (const auto& [step, count] : at_step) {
    std::string name = "第" + std::to_string(step + 1) + "级";
    if (workflow && step >= 0 && step < int(workflow->steps.size())) {
      const auto& s = workflow->steps[step];
      name = std::string(label_zh(s.level)) + "·" + s.name;
    }
    row(out, "  " + name, share(count, closed));
  }
  for (const auto& [label, count] : std::initializer_list<std::pair<const char*, int>>{
           {"在办", open}, {"超时上报", by_timeout}, {"主动上报", manual_up}, {"预警", warned}, {"逾期", overdue},
           {"重启", reopened}, {"撤单", withdrawn}, {"合并", merged}, {"退回", returned}, {"挂起", suspended},
           {"延期", extended}, {"催办", urged}}) {
    row(out, label, std::to_string(count));
  }
  const int happy = ratings[Rating::kSatisfied] + ratings[Rating::kBasicallySatisfied];
  const int answered = happy + ratings[Rating::kUnsatisfied];
  char rate[16];
  std::snprintf(rate, sizeof rate, "%.1f%%", answered ? 100.0 * happy / answered : 0.0);
  const auto count_of = [&](Rating r) { return std::to_string(ratings[r]) + " " + std::string(label_zh(r)); };
  row(out, "满意率", std::string(rate) + " = (" + count_of(Rating::kSatisfied) + " + " +
                                    count_of(Rating::kBasicallySatisfied) + ") / " + std::to_string(answered) +
                                    " 有效回访；" + count_of(Rating::kUnsatisfied) + "，" +
                                    count_of(Rating::kNoAnswer));
  std::string mix;
  for (const auto& [category, count] : categories) mix += (mix.empty() ? "" : "，") + category + " " + std::to_string(count);
  row(out, "类别", mix);
  row(out, "被拒命令", std::to_string(refusals.size()));
  for (const auto& r : refusals) {
    out << "    " << when(r.at) << "  " << r.case_id << "  " << r.command << ": " << r.message << "\n";
  }
}

}  // namespace escalator::tools::demo_parts
