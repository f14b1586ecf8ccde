// The decider: given a case and a command, the events that follow or a
// refusal. It reads the case, its workflow, the calendar, the directory and the
// time, and changes nothing; appliers (appliers.hpp) turn its events into state.
//
// The rules live in one Boost.MSM transition table in lifecycle.cpp; this
// header keeps Boost out of everything that includes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "escalator/calendar/calendar.hpp"
#include "escalator/model/case.hpp"
#include "escalator/model/command.hpp"
#include "escalator/org/directory.hpp"
#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"
#include "escalator/model/workflow.hpp"

namespace escalator::lifecycle {

// Everything a decision may read. `exists` is false only for Open, when
// `current` holds just the id the engine allocated.
struct Situation {
  const CaseState& current;
  bool exists = true;
  const Workflow& workflow;
  const Calendar& calendar;
  const OrgDirectory& directory;
  Timestamp now;
  std::string idempotency_key;
};

struct TableRow;

// The events the command yields, in order; `taken`, when given, is set to the
// row of table() that yielded them. Errors: kFailedPrecondition when the
// table has no row for the case's state and this command, or a guard refuses;
// kNotFound when the directory has no holder for the step.
[[nodiscard]] Result<std::vector<EventPayload>> decide(const Situation& context, const CommandPayload& command,
                                                       const TableRow** taken = nullptr);

// What a merge records on the case the duplicate goes into (`context.current`,
// the primary): a DuplicateMergedIn naming `duplicate`. The engine asks it in
// the same decision as the duplicate's CaseMerged and writes both together.
// kFailedPrecondition when the primary is no longer being answered: closed,
// withdrawn, returned, or merged itself.
[[nodiscard]] Result<std::vector<EventPayload>> take_in_duplicate(const Situation& context,
                                                                  const std::string& duplicate);

// The answer `primary` stands by now, as each case merged into it (and into
// those, all the way down) records it: while it is Replied, AwaitingRating or
// Rated. None before its reply, and none once reopened (that answer was taken
// back; the next reply is relayed in its turn).
std::optional<ev::AnswerRelayed> answer_of(const CaseState& primary);

// What a duplicate records when `answer` reaches it (事事有答复): an
// AnswerRelayed, written in the same commit as the reply or the merge that
// brings it. kFailedPrecondition when `duplicate` is not Merged.
[[nodiscard]] Result<std::vector<EventPayload>> relay_answer(const CaseState& duplicate, ev::AnswerRelayed answer);

// One row of the transition table, for documentation, refusal messages and
// the check that the appliers reach where the table says. `from` is empty for
// the row that creates a case; `to` is empty for rows that stay in their
// state (internal transitions). `or_to` is where a row that moves a case to a
// step leaves it instead when the directory names nobody for that step: New,
// waiting for a dispatcher (docs/directory.md, "The dispatcher queue").
struct TableRow {
  std::optional<LifecycleState> from;
  int command_kind = 0;  // index into CommandPayload
  std::optional<LifecycleState> to;
  std::string action;
  std::string guard;  // empty when unguarded
  std::optional<LifecycleState> or_to;

  // Whether a case this row was taken on may be in `state` after its events.
  bool reaches(LifecycleState state) const { return state == to.value_or(*from) || state == or_to; }
};
const std::vector<TableRow>& table();

// How many times each row of table() has been taken in this process, in
// table order: for the test that every row is exercised.
std::vector<std::uint64_t> times_taken();

// The states in which a command kind has at least one row, in state order.
std::vector<LifecycleState> states_accepting(int command_kind);

}  // namespace escalator::lifecycle
