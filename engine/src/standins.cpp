// The built-in collaborators of standins.hpp: the shipped workflow and sample
// directory, compiled in from their files, and a calendar of plain weekdays.
#include "escalator/standins.hpp"

#include "embedded.hpp"
#include "escalator/org_directory.hpp"
#include "escalator/workflow_registry.hpp"

#include <chrono>
#include <memory>
#include <string>

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

std::shared_ptr<const OrgChart> sample_directory() {
  // Read once; tests hold the shipped file to loading without a problem.
  static const std::shared_ptr<const OrgChart> directory =
      read_org_directory(embedded::sample_org_directory(), "org/sample-district.json").directory;
  return directory;
}

}  // namespace escalator
