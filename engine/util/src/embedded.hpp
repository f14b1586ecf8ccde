// Files of the repository compiled into the library (engine/CMakeLists.txt,
// escalator_embed): the library reads no files at run time to know them.
#pragma once

#include <span>
#include <string_view>

namespace escalator::embedded {

std::string_view workflow_schema();        // schemas/workflow.schema.json
std::string_view property_first_workflow();  // workflows/property-first.json
std::string_view calendar_schema();          // schemas/calendar.schema.json
std::string_view org_schema();               // schemas/org.schema.json
std::string_view sample_org_directory();     // org/sample-district.json

// calendars/*.json: each file's path in the repository and its text.
struct EmbeddedFile {
  std::string_view source;
  std::string_view text;
};
std::span<const EmbeddedFile> calendars();
// workflows/*.json, the shipped workflows.
std::span<const EmbeddedFile> workflows();

}  // namespace escalator::embedded
