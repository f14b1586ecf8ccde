// The org directory read from a file administrators keep (docs/directory.md):
// places from district down to building, the roles units play, the units that
// play them and the people who hold posts in them. Reading checks the whole
// file and refuses it with every problem located; a directory already in
// force is never touched by a file that fails.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/org/directory.hpp"
#include "escalator/util/file_problem.hpp"

namespace escalator {

// When a record holds (docs/directory.md, "Effective dates"): from 00:00 on
// valid_from to the end of valid_to, China Standard Time, both days included;
// from always, or for ever, where a date is not given.
struct InForce {
  std::string valid_from;  // "2027-01-01", or empty
  std::string valid_to;    // "2026-12-31", or empty
  Timestamp begins = Timestamp::min();
  Timestamp ends = Timestamp::max();  // the first instant after valid_to

  bool at(Timestamp t) const { return begins <= t && t < ends; }
  bool within(const InForce& outer) const { return outer.begins <= begins && ends <= outer.ends; }
  bool overlaps(const InForce& other) const { return begins < other.ends && other.begins < ends; }
  bool always() const { return valid_from.empty() && valid_to.empty(); }
  // "from 2027-01-01", "to 2026-12-31", "from 2027-01-01 to 2027-12-31" or "always".
  std::string words() const;
};

// A place as one record of the directory has it. One id may have several
// records, one after another in time (a compound moved to another grid).
struct OrgPlace {
  std::string id;
  std::string name;  // "阳光花园"
  Level level = Level::kBuilding;
  std::string parent;  // the place one level above; empty for a district
  InForce in_force;
};

struct OrgRole {
  std::string id;    // "party_branch"
  std::string name;  // "小区党支部"
  Level level = Level::kCompound;
  std::string fallback;  // the role that acts where none plays this one; may be empty
};

struct OrgUnit {
  std::string id;
  std::string name;
  std::string role;
  std::string place;
  InForce in_force;
};

// A person's post in a unit: 张伟, 项目经理 of 阳光花园物业服务中心.
struct OrgPost {
  std::string person;
  std::string person_name;
  std::string unit;
  std::string title;
  InForce in_force;
};

// The directory with everything it holds, for the tools that show it. Lists
// hold every record, whenever in force. Pointers stay valid as long as the chart.
class OrgChart : public OrgDirectory {
 public:
  virtual std::string name() const = 0;
  // The place's record in force at `at`, else its latest record; null when
  // the directory has no such place.
  virtual const OrgPlace* place(const std::string& id, Timestamp at) const = 0;
  // The compound or building the address table gives for `address` at `at`:
  // the longest entry in force that the address, normalised (address.hpp), begins with.
  virtual const OrgPlace* place_of_address(std::string_view address, Timestamp at) const = 0;
  virtual const OrgRole* role(const std::string& id) const = 0;
  virtual const OrgUnit* unit(const std::string& id) const = 0;
  virtual std::vector<const OrgRole*> roles() const = 0;  // by id
  // In the file's order.
  virtual std::vector<const OrgPlace*> places_at(Level level) const = 0;
  virtual std::vector<const OrgPlace*> places_under(const std::string& parent) const = 0;
  std::vector<Location> compounds_at(Timestamp at) const override;
  virtual std::vector<const OrgUnit*> units_at(const std::string& place) const = 0;
  virtual std::vector<OrgPost> posts_in(const std::string& unit) const = 0;
  virtual std::vector<OrgPost> posts_of(const std::string& person) const = 0;
};

struct OrgFile {
  std::shared_ptr<const OrgChart> directory;  // present only when there are no problems
  std::vector<FileProblem> problems;
};

// Checks the text against schemas/org.schema.json (compiled in), then its
// meaning: ids unique (a place's records apart in time), each place's parent
// one level above it, no cycles, each unit playing a declared role at a place
// of that role's level, no two units playing one role at one place at once,
// fallbacks that name declared roles at the same level or above and end,
// posts in units that exist, and every record in force only while what it
// names is. `version` is what the chart's version() reports.
OrgFile read_org_directory(std::string_view text, const std::string& file, std::uint64_t version = 0);

// The same directory kept as a spreadsheet and saved as CSV, one row per
// record (docs/directory.md, "The CSV file"). Its problems are told by the
// sheet's line and column, the records they name by their lines.
OrgFile read_org_directory_csv(std::string_view text, const std::string& file, std::uint64_t version = 0);

enum class OrgFileFormat { kJson, kCsv };
// kCsv for a name ending in .csv (any case), else kJson.
OrgFileFormat org_file_format(const std::filesystem::path& file);
OrgFile read_org_directory(std::string_view text, const std::string& file, OrgFileFormat format);

// The directory file `json`, one read without problems, as the CSV sheet that
// reads back as it: UTF-8 with a byte-order mark (so that Excel reads it so),
// CRLF, Chinese headers, kinds and levels, places from district to building.
std::string org_directory_as_csv(std::string_view json);

// Reads the file in the format its name says.
OrgFile load_org_directory_file(const std::filesystem::path& file);

// The sample directory, org/sample-district.json compiled in: 370811 任城区,
// two streets, four communities, twelve compounds (docs/directory.md).
// Immutable, safe from any thread.
std::shared_ptr<const OrgChart> sample_directory();

}  // namespace escalator
