// The stand-in collaborators of standins.hpp. Their contents are tables that
// read like the data they will later be loaded from; the code below the tables
// only looks things up in them.
#include "escalator/standins.hpp"

#include "embedded.hpp"
#include "escalator/workflow_registry.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace escalator {

namespace {


// ---- The weekday calendar ---------------------------------------------------

class WeekdayCalendar final : public Calendar {
 public:
  bool is_working_day(std::chrono::sys_days day) const override {
    const std::chrono::weekday wd{day};
    return wd != std::chrono::Saturday && wd != std::chrono::Sunday;
  }
  std::string version() const override { return "weekdays"; }
};

// ---- The sample directory ---------------------------------------------------

// The ladder of places: each with the place directly above it.
struct Place {
  std::string_view id;
  std::string_view name;
  Level level;
  std::string_view parent;
};

// clang-format off
constexpr Place kPlaces[] = {
    // id                  name                level              parent
    {"370811",           "任城区",           Level::kDistrict,  ""},
    {"jiyang",           "济阳街道",         Level::kStreet,    "370811"},
    {"yangguang",        "阳光社区",         Level::kCommunity, "jiyang"},
    {"yangguang-1",      "阳光社区第一网格", Level::kGrid,      "yangguang"},
    {"yangguang-2",      "阳光社区第二网格", Level::kGrid,      "yangguang"},
    {"yangguang-garden", "阳光花园",         Level::kCompound,  "yangguang-1"},
    {"heping-li",        "和平里",           Level::kCompound,  "yangguang-1"},
    {"xingfu-court",     "幸福苑",           Level::kCompound,  "yangguang-2"},
    // An old yard with no property company and no branch (无物业小区): see property-first.json.
    {"laocheng-yard",    "老城大院",         Level::kCompound,  "yangguang-2"},
};

// Which unit holds which role at which place.
struct Post {
  std::string_view place;
  std::string_view role;
  std::string_view unit;
};

constexpr Post kPosts[] = {
    // place               role                unit
    {"yangguang-garden", "property_company", "yangguang-garden.property"},
    {"yangguang-garden", "party_branch",     "yangguang-garden.branch"},
    {"yangguang-garden", "four_party_council", "yangguang-garden.council"},
    {"heping-li",        "property_company", "heping-li.property"},
    // 和平里 has no party branch of its own: see kFallbacks.
    {"xingfu-court",     "property_company", "xingfu-court.property"},
    {"xingfu-court",     "party_branch",     "xingfu-court.branch"},
    {"xingfu-court",     "four_party_council", "xingfu-court.council"},
    {"yangguang-1",      "grid_worker",      "yangguang-1.station"},
    {"yangguang-2",      "grid_worker",      "yangguang-2.station"},
    {"yangguang",        "community_office", "yangguang.office"},
    {"yangguang",        "party_committee",  "yangguang.party-committee"},
    {"yangguang",        "environment_property_committee", "yangguang.huanwuwei"},
    {"jiyang",           "street_office",    "jiyang.office"},
    {"370811",           "district_office",  "370811.office"},
};

// A role nobody holds at its place passes to the nearest place above that holds
// the named other role (domain rule 7: never to nobody).
struct Fallback {
  std::string_view role;
  std::string_view instead;
};

constexpr Fallback kFallbacks[] = {
    // role            held instead by
    {"party_branch", "party_committee"},  // 小区党支部 → 社区党委
    // Without an owners' committee there is no council; the community's
    // environment-and-property committee (环物委) sits in its place.
    {"four_party_council", "environment_property_committee"},
};
// clang-format on

const Place* find_place(std::string_view id) {
  for (const Place& p : kPlaces) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::optional<std::string_view> post_holder(std::string_view place, std::string_view role) {
  for (const Post& p : kPosts) {
    if (p.place == place && p.role == role) return p.unit;
  }
  return std::nullopt;
}

std::optional<std::string_view> fallback_of(std::string_view role) {
  for (const Fallback& f : kFallbacks) {
    if (f.role == role) return f.instead;
  }
  return std::nullopt;
}

class SampleDirectory final : public OrgDirectory {
 public:
  Result<Location> complete(const Location& partial) const override {
    auto path = path_of(partial);
    if (!path) return tl::unexpected(std::move(path.error()));
    // The directory is the authority on the units above a compound: what a
    // hotline order says about street or community may be a name or stale.
    Location full = partial;
    for (const Place* p : *path) {
      if (p->level == Level::kGrid) full.grid = p->id;
      if (p->level == Level::kCommunity) full.community = p->id;
      if (p->level == Level::kStreet) full.street = p->id;
    }
    return full;
  }

  Result<std::string> holder(const Location& where, const WorkflowStep& step) const override {
    auto path = path_of(where);
    if (!path) return tl::unexpected(std::move(path.error()));
    // The step's own role, at the place of the step's level...
    std::size_t at = 0;
    while (at < path->size() && (*path)[at]->level != step.level) ++at;
    if (at < path->size()) {
      if (auto unit = post_holder((*path)[at]->id, step.role)) return std::string(*unit);
      // ...else its fallbacks, each at the nearest place from there up.
      for (auto role = fallback_of(step.role); role; role = fallback_of(*role)) {
        for (std::size_t i = at; i < path->size(); ++i) {
          if (auto unit = post_holder((*path)[i]->id, *role)) return std::string(*unit);
        }
      }
    }
    return fail(ErrorCode::kNotFound, "No unit holds role '" + step.role + "' for compound '" +
                                          where.compound + "', nor any fallback");
  }

  bool has_role(Level level, const std::string& role) const override {
    for (const Post& p : kPosts) {
      if (p.role == role && find_place(p.place)->level == level) return true;
    }
    // A fallback held at that level or above serves (和平里's branch step).
    if (auto instead = fallback_of(role)) {
      for (const Post& p : kPosts) {
        if (p.role == *instead && find_place(p.place)->level >= level) return true;
      }
    }
    return false;
  }

  std::optional<Level> unit_level(const std::string& unit) const override {
    for (const Post& p : kPosts) {
      if (p.unit == unit) return find_place(p.place)->level;
    }
    return std::nullopt;
  }

 private:
  // The places from the location's compound up to its district.
  static Result<std::vector<const Place*>> path_of(const Location& where) {
    if (where.district_code.empty()) {
      return fail(ErrorCode::kInvalidArgument, "location.district_code: required");
    }
    if (where.compound.empty()) {
      return fail(ErrorCode::kInvalidArgument, "location.compound: required");
    }
    const Place* district = find_place(where.district_code);
    if (district == nullptr || district->level != Level::kDistrict) {
      return fail(ErrorCode::kNotFound, "No district " + where.district_code + " in the directory");
    }
    std::vector<const Place*> path;
    const Place* p = find_place(where.compound);
    if (p != nullptr && p->level == Level::kCompound) {
      for (; p != nullptr; p = find_place(p->parent)) path.push_back(p);
    }
    if (path.empty() || path.back() != district) {
      return fail(ErrorCode::kNotFound, "No compound '" + where.compound + "' in district " +
                                            where.district_code + " of the directory");
    }
    return path;
  }
};

}  // namespace

std::shared_ptr<const WorkflowCatalog> builtin_workflows() {
  // workflows/property-first.json, compiled in: the file is the one source.
  auto registry = std::make_shared<WorkflowRegistry>();
  auto read = read_workflow(embedded::property_first_workflow(), "workflows/property-first.json",
                            *sample_directory());
  if (read.workflow) (void)registry->publish(std::move(*read.workflow));
  return registry;
}

std::shared_ptr<const Calendar> weekday_calendar() {
  return std::make_shared<const WeekdayCalendar>();
}

std::shared_ptr<const OrgDirectory> sample_directory() {
  return std::make_shared<const SampleDirectory>();
}

}  // namespace escalator
