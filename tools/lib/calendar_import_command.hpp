// `escalator calendar import FILE --data DIR` and `escalator calendar imports
// --data DIR`: notices imported into a store, and what they did to its cases'
// deadlines (docs/calendar.md, "Importing a notice").
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"
#include "escalator/calendar/official_calendar.hpp"

namespace escalator::tools {

// Imports the notice `file` into the store at `data`, then recomputes its
// running deadlines.
int calendar_import_command(const std::filesystem::path& file, const std::filesystem::path& data, const Config& config,
                            std::ostream& out);
// Lists the calendar imports of the store at `data`.
// The same through a running service (POST /v1/calendar/imports), which
// carries every running deadline over while it goes on taking commands.
int calendar_import_through_service(const std::filesystem::path& file, const std::string& url, std::ostream& out);
int calendar_imports_command(const std::filesystem::path& data, bool json, std::ostream& out);

// The calendar in force in the store at `data`: the shipped one, in the
// configured working hours, with the store's imports.
[[nodiscard]] Result<std::shared_ptr<const OfficialCalendar>> calendar_of_store(const std::filesystem::path& data,
                                                                               const Config& config);

}  // namespace escalator::tools
