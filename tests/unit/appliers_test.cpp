#include <doctest/doctest.h>

#include "appliers.hpp"

using namespace escalator;

namespace {

Timestamp at(const char* text) { return *parse_time(text); }

Event event(std::uint64_t seq, const char* time, EventPayload payload) {
  return Event{seq, at(time), "test", "k" + std::to_string(seq), WorkflowRef{"property-first", 1},
               std::move(payload)};
}

ev::StepAssignment step(int index, const char* id, const char* unit, const char* accept_by) {
  return ev::StepAssignment{index, id, Level::kCompound, unit, {}, at(accept_by)};
}

CaseState opened_and_dispatched() {
  CaseState k;
  ev::CaseOpened opened;
  opened.case_id = "370811-20251111-000001";
  opened.reply_by = at("2025-12-03T00:00:00+08:00");
  REQUIRE(apply(k, event(1, "2025-11-11T09:00:00+08:00", opened)).has_value());
  REQUIRE(apply(k, event(2, "2025-11-11T09:00:00+08:00",
                         ev::CaseDispatched{step(0, "property", "p", "2025-11-13T00:00:00+08:00")}))
              .has_value());
  return k;
}

}  // namespace

TEST_CASE("AnEventOutOfSequenceIsDataLossAndChangesNothing") {
  CaseState k = opened_and_dispatched();
  const CaseState before = k;
  auto gap = apply(k, event(4, "2025-11-11T10:00:00+08:00", ev::CaseAccepted{"p", {}}));
  REQUIRE_FALSE(gap.has_value());
  CHECK(gap.error().code == ErrorCode::kDataLoss);
  CHECK(gap.error().message == "Expected event 3 of case 370811-20251111-000001, but got event 4");
  CHECK(k == before);
}

TEST_CASE("OpeningRecordsWorkflowOwnerAndTime") {
  CaseState k = opened_and_dispatched();
  CHECK(k.id == "370811-20251111-000001");
  CHECK(k.workflow == WorkflowRef{"property-first", 1});
  CHECK(k.opened_at == at("2025-11-11T09:00:00+08:00"));
  CHECK(k.version == 2);
  CHECK(k.state == LifecycleState::kDispatched);
  CHECK(k.steps_visited == std::vector<int>{0});
}

TEST_CASE("ResumeReturnsToTheStateSuspendedFromWithTheEventsDeadlines") {
  CaseState k = opened_and_dispatched();
  REQUIRE(apply(k, event(3, "2025-11-11T10:00:00+08:00", ev::CaseSuspended{"等待"})).has_value());
  CHECK(k.state == LifecycleState::kSuspended);
  CHECK(k.suspended_from == LifecycleState::kDispatched);
  CHECK(k.suspended_at == at("2025-11-11T10:00:00+08:00"));
  REQUIRE(apply(k, event(4, "2025-11-12T10:00:00+08:00",
                         ev::CaseResumed{at("2025-11-14T00:00:00+08:00"), std::nullopt,
                                         at("2025-12-04T00:00:00+08:00")}))
              .has_value());
  CHECK(k.state == LifecycleState::kDispatched);
  CHECK(k.suspended_at == std::nullopt);
  CHECK(k.accept_by == at("2025-11-14T00:00:00+08:00"));
  CHECK(k.reply_by == at("2025-12-04T00:00:00+08:00"));
}

TEST_CASE("OverdueStopsTheDeadlineAndIsRemembered") {
  CaseState k = opened_and_dispatched();
  REQUIRE(apply(k, event(3, "2025-11-13T00:00:00+08:00",
                         ev::OverdueMarked{DeadlineKind::kAccept, at("2025-11-13T00:00:00+08:00")}))
              .has_value());
  CHECK(k.accept_by == std::nullopt);
  CHECK(k.overdue == std::vector<DeadlineKind>{DeadlineKind::kAccept});
  CHECK(k.state == LifecycleState::kDispatched);
}

TEST_CASE("ReopeningClearsTheAnswerAndCounts") {
  CaseState k = opened_and_dispatched();
  REQUIRE(apply(k, event(3, "2025-11-11T10:00:00+08:00", ev::CaseReplied{Outcome::kResolved, "好了", true, std::nullopt})).has_value());
  REQUIRE(apply(k, event(4, "2025-11-11T11:00:00+08:00", ev::CaseRated{Rating::kUnsatisfied, ""})).has_value());
  REQUIRE(apply(k, event(5, "2025-11-11T11:00:00+08:00",
                         ev::CaseReopened{step(0, "property", "p", "2025-11-13T00:00:00+08:00"), "x", at("2025-12-04T00:00:00+08:00")}))
              .has_value());
  CHECK(k.state == LifecycleState::kDispatched);
  CHECK(k.outcome == std::nullopt);
  CHECK(k.rating == std::nullopt);
  CHECK(k.answer.empty());
  CHECK(k.reopens == 1);
  CHECK(k.steps_visited == std::vector<int>{0, 0});
}

namespace {

// The case after one more event at 2025-11-12 10:00.
CaseState after(CaseState k, EventPayload payload) {
  REQUIRE(apply(k, event(k.version + 1, "2025-11-12T10:00:00+08:00", std::move(payload))).has_value());
  return k;
}

}  // namespace

TEST_CASE("EachApplierSetsWhatItsEventSays") {
  const CaseState dispatched = opened_and_dispatched();

  SUBCASE("accepted: the handling deadline replaces the accept deadline") {
    const auto k = after(dispatched, ev::CaseAccepted{"p", at("2025-11-15T00:00:00+08:00")});
    CHECK(k.state == LifecycleState::kAccepted);
    CHECK(k.accept_by == std::nullopt);
    CHECK(k.resolve_by == at("2025-11-15T00:00:00+08:00"));
    CHECK(k.updated_at == at("2025-11-12T10:00:00+08:00"));
  }
  SUBCASE("replied: the answer is kept and no deadline runs") {
    const auto k = after(dispatched, ev::CaseReplied{Outcome::kPartlyResolved, "部分修复", false, std::nullopt});
    CHECK(k.state == LifecycleState::kReplied);
    CHECK(k.outcome == Outcome::kPartlyResolved);
    CHECK(k.answer == "部分修复");
    CHECK(k.accept_by == std::nullopt);
    CHECK(k.reply_by == std::nullopt);
  }
  SUBCASE("returned: back to routing without a holder") {
    const auto k = after(dispatched, ev::CaseReturned{"p", "非本单位"});
    CHECK(k.state == LifecycleState::kNew);
    CHECK(k.lead_unit.empty());
    CHECK(k.accept_by == std::nullopt);
    CHECK(k.returns == 1);
    CHECK(k.reply_by == dispatched.reply_by);
  }
  SUBCASE("sent back: at the chosen step, owing a reply") {
    auto replied = after(dispatched, ev::CaseReplied{Outcome::kResolved, "好了", false, std::nullopt});
    const auto k = after(replied, ev::CaseSentBack{step(0, "property", "p", "2025-11-14T00:00:00+08:00"),
                                                   "不充分", at("2025-12-04T00:00:00+08:00")});
    CHECK(k.state == LifecycleState::kDispatched);
    CHECK(k.outcome == std::nullopt);
    CHECK(k.reply_by == at("2025-12-04T00:00:00+08:00"));
    CHECK(k.send_backs == 1);
  }
  SUBCASE("escalated: the next step and its holder") {
    ev::StepAssignment to{2, "grid", Level::kGrid, "yangguang-1.station", {"x.office"},
                          at("2025-11-14T00:00:00+08:00")};
    const auto k = after(dispatched, ev::CaseEscalated{to, "accept_timeout"});
    CHECK(k.step == 2);
    CHECK(k.step_id == "grid");
    CHECK(k.level == Level::kGrid);
    CHECK(k.lead_unit == "yangguang-1.station");
    CHECK(k.co_handlers == std::vector<std::string>{"x.office"});
    CHECK(k.accept_by == at("2025-11-14T00:00:00+08:00"));
    CHECK(k.steps_visited == std::vector<int>{0, 2});
    CHECK(k.escalations == 1);
  }
  SUBCASE("urged and handed over change only their own fields") {
    const auto urged = after(dispatched, ev::CaseUrged{"快", std::nullopt, std::nullopt});
    CHECK(urged.urges == 1);
    CHECK(urged.state == dispatched.state);
    const auto handed = after(dispatched, ev::CaseHandedOver{{"hotline.12345", ""}, {"b", "p2"}, ""});
    CHECK(handed.owner == Party{"b", "p2"});
    CHECK(handed.lead_unit == dispatched.lead_unit);
  }
  SUBCASE("extension requested, then decided") {
    auto accepted = after(dispatched, ev::CaseAccepted{"p", at("2025-11-15T00:00:00+08:00")});
    const Duration two{2, Duration::Unit::kWorkingDays};
    auto asked = after(accepted, ev::ExtensionRequested{two, "采购"});
    CHECK(asked.extension_requested == two);
    const auto granted = after(asked, ev::ExtensionDecided{true, "", at("2025-11-19T00:00:00+08:00"),
                                                            at("2025-12-05T00:00:00+08:00")});
    CHECK(granted.extension_requested == std::nullopt);
    CHECK(granted.resolve_by == at("2025-11-19T00:00:00+08:00"));
    CHECK(granted.reply_by == at("2025-12-05T00:00:00+08:00"));
    CHECK(granted.extensions_granted == 1);
    const auto refused = after(asked, ev::ExtensionDecided{false, "", accepted.resolve_by, accepted.reply_by});
    CHECK(refused.extensions_granted == 0);
    CHECK(refused.resolve_by == accepted.resolve_by);
  }
  SUBCASE("follow-up, rating and closing") {
    auto replied = after(dispatched, ev::CaseReplied{Outcome::kResolved, "好了", false, std::nullopt});
    auto asked = after(replied, ev::FollowUpStarted{at("2025-11-16T00:00:00+08:00")});
    CHECK(asked.state == LifecycleState::kAwaitingRating);
    CHECK(asked.rating_by == at("2025-11-16T00:00:00+08:00"));
    auto rated = after(asked, ev::CaseRated{Rating::kBasicallySatisfied, ""});
    CHECK(rated.state == LifecycleState::kRated);
    CHECK(rated.rating == Rating::kBasicallySatisfied);
    CHECK(rated.rating_by == std::nullopt);
    const auto closed = after(rated, ev::CaseClosed{""});
    CHECK(closed.state == LifecycleState::kClosed);
    CHECK(closed.closed_at == at("2025-11-12T10:00:00+08:00"));
  }
  SUBCASE("withdrawn and merged end the case and its deadlines") {
    const auto withdrawn = after(dispatched, ev::CaseWithdrawn{"自行解决"});
    CHECK(withdrawn.state == LifecycleState::kWithdrawn);
    CHECK(withdrawn.reply_by == std::nullopt);
    CHECK(withdrawn.accept_by == std::nullopt);
    CHECK(withdrawn.closed_at == at("2025-11-12T10:00:00+08:00"));
    const auto merged = after(dispatched, ev::CaseMerged{"370811-20251111-000009"});
    CHECK(merged.state == LifecycleState::kMerged);
    CHECK(merged.merged_into == "370811-20251111-000009");
    CHECK(merged.reply_by == std::nullopt);
  }
}

TEST_CASE("ARecomputationSetsTheDeadlinesItNamesAndLeavesTheRest") {
  CaseState k;
  k.state = LifecycleState::kAccepted;
  k.resolve_by = *parse_time("2025-11-15T00:00:00+08:00");
  k.reply_by = *parse_time("2025-12-03T00:00:00+08:00");
  Event e{1, *parse_time("2025-11-12T10:00:00+08:00"), "calendar", "calendar/v1", {"property-first", 1},
          ev::DeadlinesRecomputed{"v1", {.resolve_by = *parse_time("2025-11-18T00:00:00+08:00")}}};
  REQUIRE(apply(k, e).has_value());
  CHECK(k.resolve_by == *parse_time("2025-11-18T00:00:00+08:00"));
  CHECK(k.reply_by == *parse_time("2025-12-03T00:00:00+08:00"));
}

TEST_CASE("AStepNobodyHoldsLeavesTheCaseNewThereUntilADispatcherNamesAHolder") {
  CaseState k = opened_and_dispatched();
  ev::StepAssignment nobody{1, "branch", Level::kCompound, "", {}, std::nullopt, 3, "No unit holds role 'party_branch'"};
  REQUIRE(apply(k, event(3, "2025-11-13T00:00:00+08:00", ev::CaseEscalated{nobody, "accept_timeout"})).has_value());
  CHECK(k.state == LifecycleState::kNew);
  CHECK(k.step == 1);
  CHECK(k.step_id == "branch");
  CHECK(k.lead_unit.empty());
  CHECK_FALSE(k.accept_by.has_value());
  CHECK(k.waiting_for_dispatcher == "No unit holds role 'party_branch'");
  CHECK(k.escalations == 1);
  // Nobody handled the case at the branch: not a step to send it back to.
  CHECK(k.steps_visited == std::vector<int>{0});

  REQUIRE(apply(k, event(4, "2025-11-13T09:00:00+08:00",
                         ev::CaseDispatched{step(1, "branch", "b", "2025-11-14T00:00:00+08:00")}))
              .has_value());
  CHECK(k.state == LifecycleState::kDispatched);
  CHECK(k.lead_unit == "b");
  CHECK_FALSE(k.waiting_for_dispatcher.has_value());
  CHECK(k.steps_visited == std::vector<int>{0, 1});
}

TEST_CASE("ADispatchersCorrectionMovesTheCaseButKeepsTheResidentsAddressAndHolder") {
  CaseState k = opened_and_dispatched();
  k.location = Location{"370811", "", "", "", "xinjian-yuan", "", "金桂路18号7号楼"};
  const Location corrected{"370811", "jiyang", "shuguang", "shuguang-2", "jingui-yuan", "jingui-yuan-7", ""};
  REQUIRE(apply(k, event(3, "2025-11-11T10:00:00+08:00", ev::CaseLocated{corrected, "即金桂苑", 1})).has_value());
  CHECK(k.location.compound == "jingui-yuan");
  CHECK(k.location.building == "jingui-yuan-7");
  CHECK(k.location.grid == "shuguang-2");
  CHECK(k.location.address == "金桂路18号7号楼");
  CHECK(k.lead_unit == "p");
  CHECK(k.state == LifecycleState::kDispatched);
}
