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
  REQUIRE(apply(k, event(3, "2025-11-11T10:00:00+08:00", ev::CaseReplied{Outcome::kResolved, "好了", true})).has_value());
  REQUIRE(apply(k, event(4, "2025-11-11T11:00:00+08:00", ev::CaseRated{Rating::kUnsatisfied, ""})).has_value());
  REQUIRE(apply(k, event(5, "2025-11-11T11:00:00+08:00",
                         ev::CaseReopened{step(0, "property", "p", "2025-11-13T00:00:00+08:00"), "x"}))
              .has_value());
  CHECK(k.state == LifecycleState::kDispatched);
  CHECK(k.outcome == std::nullopt);
  CHECK(k.rating == std::nullopt);
  CHECK(k.answer.empty());
  CHECK(k.reopens == 1);
  CHECK(k.steps_visited == std::vector<int>{0, 0});
}
