// One command decided on one case as the engine holds it: the events, sealed
// onto the case's chain and applied to a copy of its state, ready for the
// store. For a merge, also the primary's half (docs/history.md, "Merging").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "case_record.hpp"
#include "escalator/engine/options.hpp"
#include "escalator/model/command.hpp"

namespace escalator {

// What one command is decided with: the engine's collaborators, and the
// calendar and directory in force read once as its decision starts, so that
// an import applies to the next command whole and never to half of one.
struct DecidingWith {
  const WorkflowCatalog& workflows;
  CaseStore& store;
  std::shared_ptr<const Calendar> calendar;
  std::shared_ptr<const OrgDirectory> directory;
  // While a calendar import is brought into force (Engine::import_calendar):
  // the calendar the case's running deadlines are still counted on. The
  // write then begins with their carry to `calendar`, a DeadlinesRecomputed
  // by "calendar" under "calendar/v<carry_import>" (empty when nothing moves,
  // so that the case is known to be counted on the new calendar), and the
  // command is decided on the case as carried. Null: nothing to carry.
  std::shared_ptr<const Calendar> carry_from{};
  std::uint64_t carry_import = 0;
};

// A decision whose events the store has yet to make durable.
struct Unwritten {
  // The case's write; for a merge, then the DuplicateMergedIn of the case the
  // duplicate goes into, committed together.
  std::vector<CaseWrite> writes;
  CaseRecord::Seen seen;  // of the case's write
  bool carried = false;   // the case's write begins with its carry to the calendar in force
};

// What a workflow selects by, before the case exists: the case as opening
// will record it.
CaseState provisional_case(const Command& open);

// Decides `command` on `record` (null when `opening`) with `with` at `now`.
// Refusals are the lifecycle's (lifecycle.hpp), and
// kFailedPrecondition when the catalog's workflow has other content than the
// case was decided by.
// `chosen`: an open's workflow, chosen at intake; null: chosen here.
// `then`: events the engine adds after the command's own on the same case
// (a duplicate told, as it is merged, the answer its primary gave).
[[nodiscard]] Result<Unwritten> decide_write(const CaseRecord* record, const Command& command, bool opening,
                                            const DecidingWith& with, Timestamp now,
                                            const Workflow* chosen = nullptr,
                                            std::vector<EventPayload> then = {});

// The primary's half of `merge`, decided on `primary` at `now`: a
// DuplicateMergedIn, or the refusal of a primary no longer being answered.
[[nodiscard]] Result<CaseWrite> take_in_duplicate(const CaseRecord& primary, const Command& merge,
                                                  const DecidingWith& with, Timestamp now);

// A duplicate's half of a command that brings it an answer (a reply on the
// case it was merged into, or a merge into an answered case): its
// AnswerRelayed, or the refusal of a case that is not Merged.
[[nodiscard]] Result<CaseWrite> tell_answer(const CaseRecord& duplicate, const ev::AnswerRelayed& answer,
                                            const Command& command, const DecidingWith& with, Timestamp now);

}  // namespace escalator
