#include "escalator/store/report_formats.hpp"

#include <sstream>

#include <nlohmann/json.hpp>

#include "escalator/util/csv_cell.hpp"

namespace escalator::stats {
namespace {

nlohmann::ordered_json json_value(std::optional<double> value, const Figure& figure) {
  if (!value) return nullptr;
  if (figure.kind == Figure::Kind::kCount || figure.kind == Figure::Kind::kDerivedCount) {
    return static_cast<std::int64_t>(*value);
  }
  return *value;
}

}  // namespace

std::string report_json(const Report& report, const Formulas& formulas, int indent) {
  auto figures_of = [&](const Tally& tally) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& f : figures()) j[std::string(f.name)] = json_value(value_of(f, tally, report.total, formulas), f);
    return j;
  };
  nlohmann::ordered_json j;
  j["from"] = format_day(report.query.from);
  j["to"] = format_day(report.query.to);
  j["by"] = std::string(to_string(report.query.by));
  j["groups"] = nlohmann::ordered_json::array();
  if (report.query.by != Dimension::kAll) {
    for (const auto& g : report.groups) j["groups"].push_back({{"group", g.name}, {"figures", figures_of(g.tally)}});
  }
  j["total"] = figures_of(report.total);
  return j.dump(indent);
}

std::string report_csv(const Report& report, const Formulas& formulas) {
  std::string csv = "\xEF\xBB\xBF" "group";
  for (const auto& f : figures()) csv += "," + std::string(f.name);
  csv += "\r\n";
  auto row_of = [&](const std::string& name, const Tally& tally) {
    csv += csv_cell(name);
    for (const auto& f : figures()) {
      csv += ",";
      if (auto value = value_of(f, tally, report.total, formulas)) {
        std::ostringstream number;
        number.precision(10);
        number << *value;
        csv += number.str();
      }
    }
    csv += "\r\n";
  };
  if (report.query.by != Dimension::kAll) {
    for (const auto& g : report.groups) row_of(g.name, g.tally);
  }
  row_of("合计", report.total);
  return csv;
}

}  // namespace escalator::stats
