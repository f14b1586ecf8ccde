// What each event of a case counts (docs/stats.md): the engine counts a
// write's events as it decides them, and a recount counts every stored case's
// events the same way, so the two agree.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "escalator/calendar/calendar.hpp"
#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"
#include "escalator/stats/stats.hpp"

namespace escalator::stats {

// Counts the case's events one by one, each on the case as it was before it.
class CaseCounter {
 public:
  // `earlier`: the events the case had before the ones to count.
  CaseCounter(const Calendar& calendar, std::span<const Event> earlier, Marks& out);
  // What counting an event reads of the case before it.
  struct Before {
    std::string lead_unit;
    std::string step_id;
    std::optional<Timestamp> accept_by;
    bool open_overdue = false;
    std::string grid, street;  // kept only for a case open overdue, which leaves them
    LifecycleState state = LifecycleState::kNew;
    static Before of(const CaseState& k);
  };
  // Counts `e`, taken by `after` from `before`. Call in seq order: an event
  // counted is earlier for the next.
  void count(const Before& before, const Event& e, const CaseState& after);

 private:
  // A time the case was handed to a unit at a step.
  struct Handing {
    std::string unit;
    std::string step_id;
    Timestamp at{};
  };
  void add(const CaseState& after, Timestamp at, std::uint16_t index, bool case_dimensions,
           const std::string& unit, const std::string& level) {
    add_placed(after, after.location.grid, after.location.street, at, index, case_dimensions, unit, level);
  }
  // As add(), with the case's grid and street as they were.
  void add_placed(const CaseState& after, const std::string& grid, const std::string& street, Timestamp at,
                  std::uint16_t index, bool case_dimensions, const std::string& unit, const std::string& level);
  void count_open_overdue(const Before& before, const CaseState& after, Timestamp at);
  void add_time(const CaseState& after, Timestamp at, Histogram calendar_time, Histogram working_time,
                Timestamp from, const std::string& unit, const std::string& level);
  void note_handing(const Event& e);

  const Calendar& calendar_;
  std::vector<Handing> handings_;  // of every event counted or earlier, in order
  // For a duplicate, the unit and step whose answer was last relayed to it:
  // its reporter's rating is of their work.
  Handing answered_by_;
  Marks& out_;
  std::string key_;  // the cell key being counted into, kept to reuse its buffer
};

// Everything a stored case's events count.
[[nodiscard]] Result<void> count_case(std::span<const Event> events, const Calendar& calendar, Marks& out);

}  // namespace escalator::stats
