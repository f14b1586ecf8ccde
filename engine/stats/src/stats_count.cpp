#include "stats_count.hpp"

#include <algorithm>

#include "appliers.hpp"

namespace escalator::stats {
namespace {

// The step assignment an event hands the case on with, if it does.
const ev::StepAssignment* handing_of(const Event& e) {
  if (const auto* d = std::get_if<ev::CaseDispatched>(&e.payload)) return &d->to;
  if (const auto* x = std::get_if<ev::CaseEscalated>(&e.payload)) return &x->to;
  if (const auto* s = std::get_if<ev::CaseSentBack>(&e.payload)) return &s->to;
  if (const auto* r = std::get_if<ev::CaseReopened>(&e.payload)) return &r->to;
  return nullptr;
}

bool counts_as_overdue(DeadlineKind kind) {
  return kind == DeadlineKind::kAccept || kind == DeadlineKind::kResolve || kind == DeadlineKind::kReply;
}

Count closed_as(Outcome outcome) {
  switch (outcome) {
    case Outcome::kResolved: return Count::kClosedResolved;
    case Outcome::kPartlyResolved: return Count::kClosedPartly;
    case Outcome::kUnresolved: return Count::kClosedUnresolved;
  }
  return Count::kClosedUnresolved;
}

Count rated_as(Rating rating) {
  switch (rating) {
    case Rating::kSatisfied: return Count::kRatedSatisfied;
    case Rating::kBasicallySatisfied: return Count::kRatedBasically;
    case Rating::kUnsatisfied: return Count::kRatedUnsatisfied;
    case Rating::kNoAnswer: return Count::kRatedNoAnswer;
  }
  return Count::kRatedNoAnswer;
}

// Late and not yet over: closed, withdrawn, merged or returned.
bool is_open_overdue(const CaseState& k) {
  if (is_over(k.state)) return false;
  return std::any_of(k.overdue.begin(), k.overdue.end(), counts_as_overdue);
}

}  // namespace

CaseCounter::Before CaseCounter::Before::of(const CaseState& k) {
  Before before{k.lead_unit, k.step_id, k.accept_by, is_open_overdue(k), {}, {}, k.state};
  if (before.open_overdue) {
    before.grid = k.location.grid;
    before.street = k.location.street;
  }
  return before;
}

CaseCounter::CaseCounter(const Calendar& calendar, std::span<const Event> earlier, Marks& out)
    : calendar_(calendar), out_(out) {
  for (const Event& e : earlier) note_handing(e);
}

void CaseCounter::note_handing(const Event& e) {
  const ev::StepAssignment* to = handing_of(e);
  if (to != nullptr && !to->lead_unit.empty()) handings_.push_back({to->lead_unit, to->step_id, e.time});
  if (const auto* relayed = std::get_if<ev::AnswerRelayed>(&e.payload)) {
    answered_by_ = {relayed->unit, relayed->step_id, e.time};
  }
}

void CaseCounter::add_placed(const CaseState& after, const std::string& grid, const std::string& street,
                             Timestamp at, std::uint16_t index, bool case_dimensions, const std::string& unit,
                             const std::string& level) {
  const auto day = local_day(at);
  const auto month = month_number(day), year = year_number(day);
  // One day key, its dimension and group rewritten in place for each.
  key_.assign(6, '\0');
  CellKey::repoint(key_, Period::kDay, day_number(day));
  auto put = [&](Dimension dimension, std::string_view group) {
    key_[0] = static_cast<char>(dimension);
    key_.replace(6, std::string::npos, group);
    out_.add_day_month_year(key_, month, year, index);
  };
  if (case_dimensions) {
    put(Dimension::kAll, "");
    put(Dimension::kCategory, after.category);
    put(Dimension::kChannel, to_string(after.channel));
    put(Dimension::kRequestType, to_string(after.request_type));
    put(Dimension::kGrid, grid);
    put(Dimension::kStreet, street);
  }
  if (!unit.empty()) put(Dimension::kUnit, unit);
  if (!level.empty()) put(Dimension::kLevel, level);
}

void CaseCounter::add_time(const CaseState& after, Timestamp at, Histogram calendar_time,
                           Histogram working_time, Timestamp from, const std::string& unit,
                           const std::string& level) {
  const auto elapsed = at > from ? std::chrono::duration_cast<std::chrono::seconds>(at - from)
                                 : std::chrono::seconds{0};
  add(after, at, index_of(calendar_time, bucket_of(elapsed)), true, unit, level);
  add(after, at, index_of(working_time, bucket_of(calendar_.working_time(from, at))), true, unit, level);
}

void CaseCounter::count(const Before& before, const Event& e, const CaseState& after) {
  static const std::string kNone;
  const auto at = e.time;
  auto add_count = [&](Count c, bool case_dimensions, const std::string& unit, const std::string& level) {
    add(after, at, index_of(c), case_dimensions, unit, level);
  };
  // Against the holder as the event found it: its unit and its rung.
  auto against_holder = [&](Count c) { add_count(c, true, before.lead_unit, before.step_id); };

  if (const auto* opened = std::get_if<ev::CaseOpened>(&e.payload)) {
    add_count(Count::kReceived, true, kNone, kNone);
    // A repeat call counts against whoever held the earlier case when it came.
    if (const auto& earlier = opened->earlier_call; earlier && earlier->opened_at <= at) {
      const auto days = std::chrono::floor<std::chrono::days>(at - earlier->opened_at).count();
      if (days < kRepeatDays) {
        add(after, at, index_of_repeat(static_cast<int>(days)), true, earlier->lead_unit, earlier->step_id);
      }
    }
  }
  if (const ev::StepAssignment* to = handing_of(e); to != nullptr && !to->lead_unit.empty()) {
    bool unit_new = true, level_new = true;
    for (const Handing& h : handings_) {
      unit_new = unit_new && h.unit != to->lead_unit;
      level_new = level_new && h.step_id != to->step_id;
    }
    add_count(Count::kReceived, false, unit_new ? to->lead_unit : kNone, level_new ? to->step_id : kNone);
    add_count(Count::kHanded, true, to->lead_unit, to->step_id);
  }
  if (std::holds_alternative<ev::CaseEscalated>(e.payload)) against_holder(Count::kEscalated);
  if (std::holds_alternative<ev::CaseSentBack>(e.payload)) against_holder(Count::kSentBack);
  if (std::holds_alternative<ev::CaseReopened>(e.payload)) against_holder(Count::kReopened);
  if (std::holds_alternative<ev::CaseUrged>(e.payload)) against_holder(Count::kUrged);
  if (std::holds_alternative<ev::CaseWithdrawn>(e.payload)) against_holder(Count::kWithdrawn);
  if (std::holds_alternative<ev::CaseMerged>(e.payload)) against_holder(Count::kMerged);
  if (const auto* discussed = std::get_if<ev::CaseDiscussed>(&e.payload)) {
    against_holder(Count::kDiscussed);
    // The meeting itself: its day, in the unit's day, month and year cells at its rung.
    const auto day = local_day(at);
    const std::chrono::year_month_day date{day};
    const auto day_of_year = (day - std::chrono::sys_days{date.year() / 1 / 1}).count() + 1;
    std::string key = CellKey{Dimension::kMeeting, Period::kDay, day_number(day), before.step_id + "/" + discussed->unit}.encode();
    out_.add(key, kMeetingDayBase);
    CellKey::repoint(key, Period::kMonth, month_number(day));
    out_.add(key, static_cast<std::uint16_t>(kMeetingDayBase + unsigned(date.day())));
    CellKey::repoint(key, Period::kYear, year_number(day));
    out_.add(key, static_cast<std::uint16_t>(kMeetingDayBase + day_of_year));
  }
  if (const auto* returned = std::get_if<ev::CaseReturned>(&e.payload)) {
    add_count(Count::kReturned, true, returned->from_unit, before.step_id);
  }
  // Returned by a dispatcher, whom no unit's figures hold.
  if (std::holds_alternative<ev::CaseReturnedToOwner>(e.payload)) add_count(Count::kReturned, true, kNone, kNone);
  if (const auto* missed = std::get_if<ev::OverdueMarked>(&e.payload); missed && counts_as_overdue(missed->kind)) {
    against_holder(Count::kOverdue);
  }
  // Answered on the spot by the holder before it signed: an answer is a
  // sign-for and more, so it counts as one, at the moment of the answer.
  if (const auto* replied = std::get_if<ev::CaseReplied>(&e.payload);
      replied && replied->on_spot && before.state == LifecycleState::kDispatched) {
    add_count(Count::kSigned, true, before.lead_unit, before.step_id);
    if (!before.accept_by || at <= *before.accept_by) {
      add_count(Count::kSignedInTime, true, before.lead_unit, before.step_id);
    }
    const Timestamp handed_at = handings_.empty() ? after.opened_at : handings_.back().at;
    add_time(after, at, Histogram::kAcceptCalendar, Histogram::kAcceptWorking, handed_at, before.lead_unit,
             before.step_id);
  }
  if (const auto* accepted = std::get_if<ev::CaseAccepted>(&e.payload)) {
    add_count(Count::kSigned, true, accepted->unit, before.step_id);
    if (!before.accept_by || at <= *before.accept_by) {
      add_count(Count::kSignedInTime, true, accepted->unit, before.step_id);
    }
    const Timestamp handed_at = handings_.empty() ? after.opened_at : handings_.back().at;
    add_time(after, at, Histogram::kAcceptCalendar, Histogram::kAcceptWorking, handed_at, accepted->unit,
             before.step_id);
  }
  if (std::holds_alternative<ev::CaseReplied>(e.payload)) against_holder(Count::kReplied);
  // A duplicate's reporter told its primary's answer: a reply, by the unit that gave it.
  if (const auto* relayed = std::get_if<ev::AnswerRelayed>(&e.payload)) {
    add_count(Count::kReplied, true, relayed->unit, relayed->step_id);
  }
  if (const auto* rated = std::get_if<ev::CaseRated>(&e.payload)) {
    if (before.state == LifecycleState::kMerged) {
      add_count(rated_as(rated->rating), true, answered_by_.unit, answered_by_.step_id);
    } else {
      against_holder(rated_as(rated->rating));
    }
  }
  if (std::holds_alternative<ev::CaseClosed>(e.payload)) {
    add_count(Count::kClosed, true, after.lead_unit, after.step_id);
    if (after.outcome) add_count(closed_as(*after.outcome), true, after.lead_unit, after.step_id);
    // On time only if no unit let any of its deadlines pass on the way.
    if (std::none_of(after.overdue.begin(), after.overdue.end(), counts_as_overdue)) {
      add_count(Count::kClosedOnTime, true, after.lead_unit, after.step_id);
    }
    add_time(after, at, Histogram::kResolveCalendar, Histogram::kResolveWorking, after.opened_at,
             after.lead_unit, after.step_id);
  }
  count_open_overdue(before, after, e.time);
  note_handing(e);
}

// A case leaves the groups it was open overdue in and joins the ones it is
// now, when either changed: by its holder, its rung, its place, or its being so.
void CaseCounter::count_open_overdue(const Before& before, const CaseState& after, Timestamp at) {
  const bool is = is_open_overdue(after);
  if (!before.open_overdue && !is) return;
  const bool moved = before.open_overdue && is &&
                     (before.lead_unit != after.lead_unit || before.step_id != after.step_id ||
                      before.grid != after.location.grid || before.street != after.location.street);
  if (before.open_overdue && (!is || moved)) {
    add_placed(after, before.grid, before.street, at, index_of(Count::kOpenOverdueLeft), true, before.lead_unit,
               before.step_id);
  }
  if (is && (!before.open_overdue || moved)) {
    add(after, at, index_of(Count::kOpenOverdueJoined), true, after.lead_unit, after.step_id);
  }
}

Result<void> count_case(std::span<const Event> events, const Calendar& calendar, Marks& out) {
  CaseCounter counter(calendar, {}, out);
  CaseState state;
  for (const Event& e : events) {
    const auto before = CaseCounter::Before::of(state);
    if (auto applied = apply(state, e); !applied) return applied;
    counter.count(before, e, state);
  }
  return {};
}

}  // namespace escalator::stats
