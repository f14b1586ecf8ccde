// The org directory as the engine asks it: given where a matter is and the role
// a workflow step names, which unit holds the case. A role missing at one unit
// falls back to a named other role, never to nobody (domain rule 7). Records
// are effective-dated, so every question is asked at an instant: the time of
// the dispatch. Implementations must be thread-safe for concurrent readers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"
#include "escalator/model/workflow.hpp"

namespace escalator {

class OrgDirectory {
 public:
  virtual ~OrgDirectory() = default;
  // The location with the units above its compound filled in (grid, community,
  // street). kNotFound naming the compound when the directory does not know
  // it, or not at `at`.
  [[nodiscard]] virtual Result<Location> complete(const Location& partial, Timestamp at) const = 0;
  // The unit id holding `step` at `at` for a case at `where`. kNotFound naming
  // the role and place when neither the role nor its fallbacks is held there then.
  [[nodiscard]] virtual Result<std::string> holder(const Location& where, const WorkflowStep& step,
                                                   Timestamp at) const = 0;
  // Whether some unit at that level holds the role, or the role has a fallback
  // held there or above, at any time: what a workflow step may name.
  virtual bool has_role(Level level, const std::string& role) const = 0;
  // The level of the place where the unit sits (a property company: compound;
  // a street office: street); nullopt when there is no such unit at `at`.
  virtual std::optional<Level> unit_level(const std::string& unit, Timestamp at) const = 0;
  // Every compound in force at `at`, as a location of its district, for
  // checking that each workflow step reaches someone there; empty from a
  // directory that cannot list them.
  virtual std::vector<Location> compounds_at(Timestamp) const { return {}; }
  // The version of the store's directory this is (docs/directory.md,
  // "Versions"), which each dispatch records; 0 for one that was not stored.
  virtual std::uint64_t version() const { return 0; }
};

}  // namespace escalator
