// The directory as read from a file (org_directory.hpp): its records in the
// file's order, with the indexes routing's questions are answered from.
// Filled by the reader in org_reader.cpp; answered from in org_directory.cpp.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "escalator/org/org_directory.hpp"

namespace escalator {

struct OrgPerson {
  std::string id;
  std::string name;
  std::vector<OrgPost> posts;
};

class LoadedDirectory final : public OrgChart {
 public:
  std::string title;
  std::uint64_t stored_version = 0;
  std::vector<OrgPlace> places;
  // id -> its records, earliest first
  std::unordered_map<std::string, std::vector<int>> place_index;
  // By record: its parent's record when the parent has only one (it then
  // holds whenever the child does), else -1: found by id and time. Routing
  // walks up the ladder for every step, and most places have one record.
  std::vector<int> sole_parent;
  std::map<std::string, OrgRole, std::less<>> roles_by_id;
  std::vector<OrgUnit> units;
  std::unordered_map<std::string, int> unit_index;
  // place id + '\n' + role -> the units playing that role there, earliest first
  std::unordered_map<std::string, std::vector<int>> players;
  std::vector<OrgPerson> people;
  // normalised address -> the entries reading so: the place each names, and when
  std::unordered_map<std::string, std::vector<std::pair<std::string, InForce>>> address_index;

  static std::string player_key(std::string_view place, std::string_view role) {
    std::string key(place);
    key += '\n';
    key += role;
    return key;
  }

  // The record of the place in force at `at`; null when none is.
  const OrgPlace* place_at(const std::string& id, Timestamp at) const;
  // The record of `child`'s parent in force at `at`; null for a district.
  const OrgPlace* parent_at(const OrgPlace& child, Timestamp at) const;

  // OrgDirectory
  [[nodiscard]] Result<Location> complete(const Location& partial, Timestamp at) const override;
  [[nodiscard]] Result<std::string> holder(const Location& where, const WorkflowStep& step, Timestamp at) const override;
  bool has_role(Level level, const std::string& role) const override;
  std::optional<Level> unit_level(const std::string& unit, Timestamp at) const override;
  std::uint64_t version() const override { return stored_version; }

  // OrgChart
  std::string name() const override { return title; }
  const OrgPlace* place(const std::string& id, Timestamp at) const override;
  const OrgPlace* place_of_address(std::string_view address, Timestamp at) const override;
  const OrgRole* role(const std::string& id) const override;
  const OrgUnit* unit(const std::string& id) const override;
  std::vector<const OrgRole*> roles() const override;
  std::vector<const OrgPlace*> places_at(Level level) const override;
  std::vector<const OrgPlace*> places_under(const std::string& parent) const override;
  std::vector<const OrgUnit*> units_at(const std::string& place) const override;
  std::vector<OrgPost> posts_in(const std::string& unit) const override;
  std::vector<OrgPost> posts_of(const std::string& person) const override;

 private:
  const OrgUnit* player(const std::string& place_id, const std::string& role, Timestamp at) const;
  const std::string* fallback_of(const std::string& role) const;
  [[nodiscard]] Result<std::vector<const OrgPlace*>> path_of(const Location& where, Timestamp at) const;
};

}  // namespace escalator
