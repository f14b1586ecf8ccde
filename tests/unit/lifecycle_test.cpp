// The decider, one transition at a time: the machine is placed in the state
// under test by handing it a CaseState in that state, never by replaying.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "escalator/calendar/calendar.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "lifecycle.hpp"

using namespace escalator;

namespace {

Timestamp at(const char* text) { return *parse_time(text); }

struct Fixture {
  std::shared_ptr<const WorkflowCatalog> catalog = builtin_workflows();
  const Workflow& workflow = **catalog->find(WorkflowRef{"property-first", 1});
  std::shared_ptr<const Calendar> calendar = weekday_calendar();
  std::shared_ptr<const OrgDirectory> directory = sample_directory();

  CaseState case_in(LifecycleState state, int step = 0) const {
    CaseState k;
    k.id = "370811-20251111-000001";
    k.state = state;
    k.version = 3;
    k.workflow = WorkflowRef{"property-first", 1};
    k.location = *directory->complete(Location{"370811", "", "", "", "yangguang-garden", "", ""},
                                     *parse_time("2025-11-11T09:00:00+08:00"));
    k.owner = Party{"hotline.12345", ""};
    k.step = step;
    k.step_id = workflow.steps.at(step).id;
    k.lead_unit = "yangguang-garden.property";
    k.steps_visited = {0};
    return k;
  }

  Result<std::vector<EventPayload>> decide(const CaseState& k, CommandPayload c,
                                           const char* now = "2025-11-11T09:00:00+08:00") const {
    return lifecycle::decide(
        lifecycle::Situation{k, true, workflow, *calendar, *directory, at(now), "key"}, c);
  }
};

}  // namespace

TEST_CASE("AcceptIsDecidedOnlyInDispatched") {
  Fixture f;
  for (int s = 0; s < kLifecycleStateCount; ++s) {
    const auto state = LifecycleState(s);
    auto decided = f.decide(f.case_in(state), cmd::Accept{});
    if (state == LifecycleState::kDispatched) {
      REQUIRE(decided.has_value());
      REQUIRE(decided->size() == 1);
      const auto& accepted = std::get<ev::CaseAccepted>(decided->front());
      CHECK(accepted.unit == "yangguang-garden.property");
      CHECK(accepted.resolve_by == at("2025-11-15T00:00:00+08:00"));
    } else {
      REQUIRE_FALSE(decided.has_value());
      CHECK(decided.error().code == ErrorCode::kFailedPrecondition);
      CHECK(decided.error().message.starts_with(
          "Expected to accept case 370811-20251111-000001 in state Dispatched, but it is "));
    }
  }
}

TEST_CASE("DecidingLeavesTheCaseUntouched") {
  Fixture f;
  const CaseState before = f.case_in(LifecycleState::kAccepted);
  CaseState k = before;
  REQUIRE(f.decide(k, cmd::Escalate{"本级无法解决"}).has_value());
  CHECK(k == before);
}

TEST_CASE("EscalationRecordsTheNextStepItsHolderAndDeadline") {
  Fixture f;
  auto decided = f.decide(f.case_in(LifecycleState::kAccepted), cmd::Escalate{"物业无法解决"});
  REQUIRE(decided.has_value());
  const auto& e = std::get<ev::CaseEscalated>(decided->at(0));
  CHECK(e.to.step == 1);
  CHECK(e.to.step_id == "branch");
  CHECK(e.to.level == Level::kCompound);
  CHECK(e.to.lead_unit == "yangguang-garden.branch");
  CHECK(e.to.accept_by == at("2025-11-13T00:00:00+08:00"));
  CHECK(e.reason == "物业无法解决");
}

TEST_CASE("ExtensionAskedAfterTheDeadlineIsRefused") {
  Fixture f;
  CaseState k = f.case_in(LifecycleState::kAccepted);
  k.resolve_by = at("2025-11-15T00:00:00+08:00");
  auto late = f.decide(k, cmd::RequestExtension{{1, Duration::Unit::kWorkingDays}, "x"},
                       "2025-11-15T00:00:00+08:00");
  REQUIRE_FALSE(late.has_value());
  CHECK(late.error().message ==
        "Expected an extension of case 370811-20251111-000001 to be asked before "
        "2025-11-15T00:00:00+08:00, but it is 2025-11-15T00:00:00+08:00");
  CHECK(f.decide(k, cmd::RequestExtension{{1, Duration::Unit::kWorkingDays}, "x"},
                 "2025-11-14T23:59:59+08:00")
            .has_value());
}

TEST_CASE("ResolveTimeoutEscalatesBelowTheLastStepAndMarksOverdueAtIt") {
  Fixture f;
  CaseState k = f.case_in(LifecycleState::kAccepted, 4);
  k.resolve_by = at("2025-11-15T00:00:00+08:00");
  auto below = f.decide(k, cmd::ResolveTimeout{*k.resolve_by}, "2025-11-15T00:00:00+08:00");
  REQUIRE(below.has_value());
  // Marked where it was missed, then up: the street is charged with the miss.
  REQUIRE(below->size() == 2);
  const auto& missed = std::get<ev::OverdueMarked>(below->at(0));
  CHECK(missed.kind == DeadlineKind::kResolve);
  CHECK(missed.due == *k.resolve_by);
  CHECK(std::get<ev::CaseEscalated>(below->at(1)).to.step_id == "district");

  CaseState last = f.case_in(LifecycleState::kAccepted, 5);
  last.resolve_by = k.resolve_by;
  auto at_last = f.decide(last, cmd::ResolveTimeout{*k.resolve_by}, "2025-11-15T00:00:00+08:00");
  REQUIRE(at_last.has_value());
  const auto& overdue = std::get<ev::OverdueMarked>(at_last->at(0));
  CHECK(overdue.kind == DeadlineKind::kResolve);
  CHECK(overdue.due == *k.resolve_by);
}

TEST_CASE("UnsatisfiedRatingReopensOnlyWhileReopensAreLeft") {
  Fixture f;
  CaseState k = f.case_in(LifecycleState::kAwaitingRating);
  auto reopened = f.decide(k, cmd::Rate{Rating::kUnsatisfied, "没修好"});
  REQUIRE(reopened.has_value());
  REQUIRE(reopened->size() == 2);
  CHECK(std::holds_alternative<ev::CaseRated>(reopened->at(0)));
  CHECK(std::get<ev::CaseReopened>(reopened->at(1)).to.lead_unit == "yangguang-garden.property");

  k.reopens = f.workflow.max_reopens;
  auto kept = f.decide(k, cmd::Rate{Rating::kUnsatisfied, "没修好"});
  REQUIRE(kept.has_value());
  REQUIRE(kept->size() == 1);
  CHECK(std::get<ev::CaseRated>(kept->at(0)).rating == Rating::kUnsatisfied);
}

TEST_CASE("NoHolderInTheDirectoryParksTheCaseForADispatcherWhoNamesOne") {
  Fixture f;
  CaseState k = f.case_in(LifecycleState::kNew);
  k.location.compound = "gone-compound";
  auto parked = f.decide(k, cmd::Dispatch{});
  REQUIRE(parked.has_value());
  REQUIRE(parked->size() == 1);
  const std::string reason = std::get<ev::ParkedForDispatcher>(parked->at(0)).reason;
  CHECK(reason.find("gone-compound") != std::string::npos);

  // Waiting already, asking the directory again changes nothing and says why.
  k.waiting_for_dispatcher = "an earlier reason";
  auto again = f.decide(k, cmd::Dispatch{});
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::kNotFound);
  CHECK(again.error().message == "Expected the org directory to name the holder of case " + k.id +
                                     ", but it waits for a dispatcher (an earlier reason): name the lead unit");

  // The dispatcher's choice is not routing's: it stands.
  auto chosen = f.decide(k, cmd::Dispatch{"yangguang-garden.property", {}, ""});
  REQUIRE(chosen.has_value());
  CHECK(std::get<ev::CaseDispatched>(chosen->at(0)).to.lead_unit == "yangguang-garden.property");
}

TEST_CASE("TableStaysWithinTheMplLimitAndItsGuardsExcludeEachOther") {
  const auto& rows = lifecycle::table();
  // Moves between states share the machine's table; each state's internal table has its own room.
  std::map<int, int> rows_per_table;
  for (const auto& r : rows) ++rows_per_table[r.to ? -1 : static_cast<int>(*r.from)];
  for (const auto& [table, count] : rows_per_table) CHECK_MESSAGE(count <= 50, "table " << table);
  // Rows sharing a start state and a command must be told apart by their guards.
  std::map<std::pair<int, int>, std::set<std::string>> guards;
  for (const auto& r : rows) {
    const int from = r.from ? static_cast<int>(*r.from) : -1;
    auto [it, fresh] = guards[{from, r.command_kind}].insert(r.guard);
    CHECK_MESSAGE(fresh, "two rows with the same start, command and guard: " << r.action);
    if (guards[{from, r.command_kind}].size() > 1) CHECK_FALSE(r.guard.empty());
  }
}

TEST_CASE("StatesAcceptingListsStatesInOrder") {
  const auto withdraw = static_cast<int>(CommandPayload(cmd::Withdraw{}).index());
  CHECK(lifecycle::states_accepting(withdraw) ==
        std::vector<LifecycleState>{LifecycleState::kNew, LifecycleState::kDispatched,
                                    LifecycleState::kAccepted, LifecycleState::kSuspended});
}

TEST_CASE("ResumeGivesEachDeadlineTheTimeItHadLeft") {
  Fixture f;
  CaseState k = f.case_in(LifecycleState::kSuspended);
  k.suspended_from = LifecycleState::kAccepted;
  k.resolve_by = at("2025-11-15T00:00:00+08:00");  // the close of Friday: counted in working days
  k.reply_by = at("2025-11-14T15:00:00+08:00");    // another time of day keeps its time of day

  SUBCASE("across a weekend only working hours count") {
    // Friday 10:00: six working hours left of Friday, three and a half before 15:00.
    k.suspended_at = at("2025-11-14T10:00:00+08:00");
    auto resumed = f.decide(k, cmd::Resume{}, "2025-11-17T10:00:00+08:00");
    REQUIRE(resumed.has_value());
    const auto& e = std::get<ev::CaseResumed>(resumed->at(0));
    CHECK(e.resolve_by == at("2025-11-18T00:00:00+08:00"));
    CHECK(e.reply_by == at("2025-11-17T15:00:00+08:00"));
  }
  SUBCASE("a working day suspended from its start to its close is given back whole") {
    k.suspended_at = at("2025-11-11T09:00:00+08:00");  // Tuesday
    auto resumed = f.decide(k, cmd::Resume{}, "2025-11-11T17:30:00+08:00");
    REQUIRE(resumed.has_value());
    CHECK(std::get<ev::CaseResumed>(resumed->at(0)).resolve_by == at("2025-11-18T00:00:00+08:00"));
  }
  SUBCASE("time outside working hours is given back as nothing") {
    k.suspended_at = at("2025-11-13T17:30:00+08:00");
    auto resumed = f.decide(k, cmd::Resume{}, "2025-11-14T09:00:00+08:00");
    REQUIRE(resumed.has_value());
    const auto& e = std::get<ev::CaseResumed>(resumed->at(0));
    CHECK(e.resolve_by == k.resolve_by);
    CHECK(e.reply_by == k.reply_by);
  }
  SUBCASE("a longer suspension never moves deadlines less") {
    k.suspended_at = at("2025-11-11T09:00:00+08:00");  // Tuesday: 28 working hours left
    std::optional<Timestamp> last = k.resolve_by;
    for (const char* resumed_at : {"2025-11-12T08:59:59+08:00", "2025-11-12T09:00:00+08:00",
                                   "2025-11-13T12:00:00+08:00", "2025-11-14T09:00:00+08:00",
                                   "2025-11-17T09:00:00+08:00"}) {
      auto resumed = f.decide(k, cmd::Resume{}, resumed_at);
      REQUIRE(resumed.has_value());
      const auto moved = std::get<ev::CaseResumed>(resumed->at(0)).resolve_by;
      CHECK(*moved >= *last);
      last = moved;
    }
    // From Monday: Monday to Thursday.
    CHECK(*last == at("2025-11-21T00:00:00+08:00"));
  }
  SUBCASE("a deadline already passed when suspended stays where it was") {
    k.suspended_at = at("2025-11-15T10:00:00+08:00");  // Saturday
    auto resumed = f.decide(k, cmd::Resume{}, "2025-11-17T08:00:00+08:00");
    REQUIRE(resumed.has_value());
    CHECK(std::get<ev::CaseResumed>(resumed->at(0)).resolve_by == k.resolve_by);
  }
}

TEST_CASE("ResumeGivesAnHourDeadlineThePlainTimeItHadLeft") {
  Fixture f;
  Workflow alarm = f.workflow;  // a step whose deadline runs in plain hours, as a device alarm's does
  alarm.steps.at(0).resolve_within = Duration{2, Duration::Unit::kHours};
  CaseState k = f.case_in(LifecycleState::kSuspended);
  k.suspended_from = LifecycleState::kAccepted;
  k.suspended_at = at("2025-11-14T22:00:00+08:00");  // Friday night, an hour and a quarter left
  k.resolve_by = at("2025-11-14T23:15:00+08:00");
  auto resumed = lifecycle::decide(lifecycle::Situation{k, true, alarm, *f.calendar, *f.directory,
                                                              at("2025-11-16T03:00:00+08:00"), "key"},
                                   cmd::Resume{});
  REQUIRE(resumed.has_value());
  CHECK(std::get<ev::CaseResumed>(resumed->at(0)).resolve_by == at("2025-11-16T04:15:00+08:00"));
}

TEST_CASE("ARecomputationMovesOnlyDeadlinesThatRun") {
  Fixture f;
  CaseState k = f.case_in(LifecycleState::kAccepted);
  k.resolve_by = at("2025-11-15T00:00:00+08:00");
  k.reply_by = at("2025-12-03T00:00:00+08:00");
  cmd::RecomputeDeadlines recompute{"new", {.resolve_by = at("2025-11-18T00:00:00+08:00")}};
  auto decided = f.decide(k, recompute);
  REQUIRE(decided.has_value());
  const auto& e = std::get<ev::DeadlinesRecomputed>(decided->at(0));
  CHECK(e.calendar == "new");
  CHECK(e.moved == recompute.moved);

  // The accept deadline stopped when the case was accepted.
  recompute.moved.accept_by = at("2025-11-13T00:00:00+08:00");
  auto refused = f.decide(k, recompute);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "Expected the accept deadline of case " + k.id +
                                       " to be running to recompute it, but it is not");
  auto empty = f.decide(k, cmd::RecomputeDeadlines{"new"});
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().code == ErrorCode::kFailedPrecondition);
}

TEST_CASE("AMoveToAStepTheDirectoryNamesNobodyForStillMovesAndWaitsForADispatcher") {
  Fixture f;
  // A dispatcher placed the case by hand: the directory does not know its compound.
  const auto gone = [&](LifecycleState state, int step = 0) {
    CaseState k = f.case_in(state, step);
    k.location.compound = "gone-compound";
    return k;
  };
  const auto waits_at = [&](const ev::StepAssignment& to, int step) {
    CHECK(to.step == step);
    CHECK(to.step_id == f.workflow.steps.at(step).id);
    CHECK(to.lead_unit.empty());
    CHECK(to.co_handlers.empty());
    CHECK_FALSE(to.accept_by.has_value());
    REQUIRE(to.waiting_for_dispatcher.has_value());
    CHECK(to.waiting_for_dispatcher->find("gone-compound") != std::string::npos);
  };

  SUBCASE("an escalation by hand") {
    auto moved = f.decide(gone(LifecycleState::kAccepted), cmd::Escalate{"本级无法解决"});
    REQUIRE(moved.has_value());
    const auto& e = std::get<ev::CaseEscalated>(moved->at(0));
    CHECK(e.reason == "本级无法解决");
    waits_at(e.to, 1);
  }
  SUBCASE("a missed handling deadline") {
    CaseState k = gone(LifecycleState::kAccepted);
    k.resolve_by = at("2025-11-14T00:00:00+08:00");
    auto moved = f.decide(k, cmd::ResolveTimeout{*k.resolve_by}, "2025-11-14T00:00:00+08:00");
    REQUIRE(moved.has_value());
    CHECK(std::get<ev::OverdueMarked>(moved->at(0)).kind == DeadlineKind::kResolve);
    waits_at(std::get<ev::CaseEscalated>(moved->at(1)).to, 1);
  }
  SUBCASE("an unresolved answer the workflow does not let stand") {
    auto moved = f.decide(gone(LifecycleState::kAccepted), cmd::Reply{Outcome::kUnresolved, "无法维修"});
    REQUIRE(moved.has_value());
    waits_at(std::get<ev::CaseEscalated>(moved->at(0)).to, 1);
  }
  SUBCASE("a send-back to another step") {
    CaseState k = gone(LifecycleState::kReplied, 1);
    k.steps_visited = {0, 1};
    k.outcome = Outcome::kResolved;
    auto moved = f.decide(k, cmd::SendBack{"property", "答复不实"});
    REQUIRE(moved.has_value());
    waits_at(std::get<ev::CaseSentBack>(moved->at(0)).to, 0);
  }
  SUBCASE("a reopen at the step keeps the holder the dispatcher chose") {
    auto moved = f.decide(gone(LifecycleState::kRated), cmd::Reopen{"问题复发"});
    REQUIRE(moved.has_value());
    const auto& to = std::get<ev::CaseReopened>(moved->at(0)).to;
    CHECK(to.lead_unit == "yangguang-garden.property");
    CHECK_FALSE(to.waiting_for_dispatcher.has_value());
  }
}
