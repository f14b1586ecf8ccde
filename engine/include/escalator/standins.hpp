// Small in-memory, immutable collaborators, safe from any thread: a built-in
// workflow, a Monday-Friday calendar for tests that want no holidays, and the
// sample org directory (one district, 370811 任城区, org/sample-district.json
// compiled in). docs/embedding.md describes what each holds.
#pragma once

#include <memory>

#include "escalator/calendar.hpp"
#include "escalator/org_directory.hpp"
#include "escalator/workflow.hpp"

namespace escalator {

// One workflow, "property-first" v1: 物业公司 → 小区党支部 → 网格 → 社区 → 街道 → 区.
std::shared_ptr<const WorkflowCatalog> builtin_workflows();
// Every Monday to Friday is a working day; no holidays.
std::shared_ptr<const Calendar> weekday_calendar();
// 任城区: two streets, four communities, twelve compounds (docs/directory.md).
std::shared_ptr<const OrgChart> sample_directory();

}  // namespace escalator
