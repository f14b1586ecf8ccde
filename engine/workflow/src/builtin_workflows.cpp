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
  // The shipped file reads and publishes (standins_test holds it to that);
  // were it ever not to, the registry is empty and every open is refused
  // with kNotFound naming the case's category: nothing is decided on half a workflow.
  if (read.workflow) (void)registry->publish(std::move(*read.workflow));
  return registry;
}

}  // namespace escalator
