// Files of the repository compiled into the library (engine/CMakeLists.txt,
// escalator_embed): the library reads no files at run time to know them.
#pragma once

#include <string_view>

namespace escalator::embedded {

std::string_view workflow_schema();        // schemas/workflow.schema.json
std::string_view property_first_workflow();  // workflows/property-first.json

}  // namespace escalator::embedded
