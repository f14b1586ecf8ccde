// `escalator org show --json` and `org route --json`: what the text says, as
// JSON an administrator's scripts can read (docs/cli.md gives the shapes).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "escalator/model/workflow.hpp"
#include "escalator/org/org_directory.hpp"

namespace escalator::tools {

// {"kind": "unit" | "place" | "person", ...} as of `at`; null when the
// directory holds no unit, place or person `id`.
nlohmann::ordered_json shown_json(const OrgChart& chart, const std::string& id, Timestamp at);

// {"id", "name"} of a place or unit; {"id", "name": null} when not in force.
nlohmann::ordered_json place_ref(const OrgChart& chart, const std::string& id, Timestamp at);
nlohmann::ordered_json unit_ref(const OrgChart& chart, const std::string& id);

// {"from", "to"}: the dates a record holds between; null when always.
nlohmann::ordered_json in_force_json(const InForce& in_force);

// The places above `place`, nearest first, as refs.
nlohmann::ordered_json above_json(const OrgChart& chart, const OrgPlace& place, Timestamp at);

// Who acts for `role` at the compound or building `place` as of `at`: the
// unit that plays it there, or the directory's fallback; none when nobody does.
const OrgUnit* acting_for(const OrgChart& chart, const OrgPlace& place, const OrgRole& role, Timestamp at);

// Where a place lies, as a case there would name it.
Location location_of(const OrgChart& chart, const OrgPlace& place, Timestamp at);

}  // namespace escalator::tools
