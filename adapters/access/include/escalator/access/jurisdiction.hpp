// Whether a case lies in a key's jurisdiction (docs/access.md,
// "Jurisdiction"). The places a case lies in are asked of the directory in
// force, not taken from the case as opened, so a re-drawn grid moves what a
// key sees the moment the new directory is imported.
#pragma once

#include <optional>
#include <string>

#include "escalator/access/keys.hpp"
#include "escalator/model/case.hpp"
#include "escalator/org/directory.hpp"
#include "escalator/util/time.hpp"

namespace escalator::access {

// Whether the key may know that the case exists: within its jurisdiction
// and, for an intake key, of its channel. For a place, the case's compound
// or building lies at or under it (by the directory at `now`; by the case's
// own location when the directory no longer knows the compound). For a unit,
// the case lies at or under the unit's place, or the unit leads or
// co-handles it now.
bool sees(const ApiKey& key, const CaseState& state, const OrgDirectory& directory, Timestamp now);

// Whether the key's unit leads or co-handles the case now: what a handler
// must be to act on it.
bool holds(const ApiKey& key, const CaseState& state);

// The place a bounded key's reports are drawn within: its jurisdiction's
// place, or the place its unit sits at; nullopt for a key that sees
// everywhere. An empty string for a unit the directory does not know at `now`
// (such a key sees no row of a report).
std::optional<std::string> report_place(const ApiKey& key, const OrgDirectory& directory, Timestamp now);
// Whether the place `place`, or the place where the unit `unit` sits, lies
// at or under `within` in the directory at `now`.
bool place_lies_within(const OrgDirectory& directory, const std::string& place, const std::string& within,
                       Timestamp now);
bool unit_lies_within(const OrgDirectory& directory, const std::string& unit, const std::string& within, Timestamp now);

}  // namespace escalator::access
