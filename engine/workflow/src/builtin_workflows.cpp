#include <memory>

#include "embedded.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"

namespace escalator {

std::shared_ptr<const WorkflowCatalog> builtin_workflows() {
  // workflows/property-first.json, compiled in: the file is the one source.
  auto registry = std::make_shared<WorkflowRegistry>();
  auto read = read_workflow(embedded::property_first_workflow(), "workflows/property-first.json",
                            *sample_directory());
  if (read.workflow) (void)registry->publish(std::move(*read.workflow));
  return registry;
}

}  // namespace escalator
