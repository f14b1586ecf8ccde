// A report as the programs that read it want it (docs/stats.md, "JSON and
// CSV"): every figure of every group and of the total. `escalator stats` and
// GET /v1/stats answer with these same bytes.
#pragma once

#include <string>

#include "escalator/store/stats_report.hpp"

namespace escalator::stats {

// {"from":"2025-11-01","to":"2025-11-30","by":"unit","groups":[{"group":…,
// "figures":{…}}],"total":{…}}: counts as integers, rates as fractions, times
// in hours, null where a rate has no denominator or no time was counted. No
// groups under Dimension::kAll. `indent` < 0: on one line.
std::string report_json(const Report& report, const Formulas& formulas, int indent = -1);

// The same as CSV for a spreadsheet: the byte-order mark Excel needs to read
// UTF-8, a header row of figure names, a row per group and 合计 last, CRLF,
// empty cells where JSON has null.
std::string report_csv(const Report& report, const Formulas& formulas);

}  // namespace escalator::stats
