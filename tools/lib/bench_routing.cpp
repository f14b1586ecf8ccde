#include "bench_routing.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <unordered_map>

#include "bench_runs.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/org/routing.hpp"
#include "escalator/workflow/workflow_registry.hpp"

namespace escalator::tools::bench_parts {
namespace {

constexpr int kBuildingsPerCompound = 10;
constexpr int kCompoundsPerGrid = 8;
constexpr int kGridsPerCommunity = 5;
constexpr int kCommunitiesPerStreet = 10;

// After the replaced companies' change.
const Timestamp kRoutedAt = *parse_time("2026-06-01T09:00:00+08:00");

double micros(BenchClock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

}  // namespace

GeneratedDistrict generated_district(int buildings) {
  using Json = nlohmann::json;
  GeneratedDistrict g;
  Json roles = {
      {"property_company", {{"name", "物业公司"}, {"level", "compound"}}},
      {"party_branch", {{"name", "小区党支部"}, {"level", "compound"}, {"fallback", "party_committee"}}},
      {"four_party_council",
       {{"name", "四方议事会"}, {"level", "compound"}, {"fallback", "environment_property_committee"}}},
      {"owners_committee",
       {{"name", "业主委员会"}, {"level", "compound"}, {"fallback", "environment_property_committee"}}},
      {"grid_worker", {{"name", "网格员"}, {"level", "grid"}}},
      {"community_office", {{"name", "社区居委会"}, {"level", "community"}}},
      {"party_committee", {{"name", "社区党委"}, {"level", "community"}}},
      {"environment_property_committee", {{"name", "环物委"}, {"level", "community"}}},
      {"street_office", {{"name", "街道办事处"}, {"level", "street"}}},
      {"district_office", {{"name", "区政府"}, {"level", "district"}}}};
  Json places = Json::array(), units = Json::array();
  const auto place = [&](const std::string& id, const char* level, const std::string& parent) {
    Json p = {{"id", id}, {"name", id}, {"level", level}};
    if (!parent.empty()) p["parent"] = parent;
    places.push_back(std::move(p));
  };
  const auto unit = [&](const std::string& place_id, const char* role) {
    units.push_back({{"id", place_id + "." + role}, {"name", place_id}, {"role", role}, {"place", place_id}});
  };
  place("370811", "district", "");
  unit("370811", "district_office");
  const int compounds = (buildings + kBuildingsPerCompound - 1) / kBuildingsPerCompound;
  std::string street, community, grid;
  for (int c = 0; c < compounds; ++c) {
    const int grid_no = c / kCompoundsPerGrid, community_no = grid_no / kGridsPerCommunity;
    const int street_no = community_no / kCommunitiesPerStreet;
    if (c % (kCompoundsPerGrid * kGridsPerCommunity * kCommunitiesPerStreet) == 0) {
      street = "s" + std::to_string(street_no);
      place(street, "street", "370811");
      unit(street, "street_office");
    }
    if (c % (kCompoundsPerGrid * kGridsPerCommunity) == 0) {
      community = "c" + std::to_string(community_no);
      place(community, "community", street);
      for (const char* role : {"community_office", "party_committee", "environment_property_committee"}) {
        unit(community, role);
      }
    }
    if (c % kCompoundsPerGrid == 0) {
      grid = "g" + std::to_string(grid_no);
      place(grid, "grid", community);
      unit(grid, "grid_worker");
    }
    const std::string compound = "x" + std::to_string(c);
    place(compound, "compound", grid);
    if (c % 5 == 1) {
      units.push_back({{"id", compound + ".old-property"}, {"name", compound}, {"role", "property_company"},
                       {"place", compound}, {"valid_to", "2025-12-31"}});
      units.push_back({{"id", compound + ".property_company"}, {"name", compound}, {"role", "property_company"},
                       {"place", compound}, {"valid_from", "2026-01-01"}});
    } else if (c % 10 != 3) {
      unit(compound, "property_company");
    }
    if (c % 10 < 7) unit(compound, "party_branch");
    if (c % 2 == 0) unit(compound, "owners_committee");
    if (c % 4 == 0) unit(compound, "four_party_council");
    for (int b = 0; b < kBuildingsPerCompound && int(g.buildings.size()) < buildings; ++b) {
      g.buildings.push_back(compound + "-" + std::to_string(b + 1));
      place(g.buildings.back(), "building", compound);
    }
  }
  g.compounds = compounds;
  g.units = static_cast<int>(units.size());
  g.text = Json{{"name", "基准目录"}, {"roles", roles}, {"places", places}, {"units", units}}.dump();
  return g;
}

RoutingSpeed routing_run(int buildings, int cases, int runs) {
  RoutingSpeed speed;
  const GeneratedDistrict generated = generated_district(buildings);
  speed.buildings = static_cast<int>(generated.buildings.size());
  speed.compounds = generated.compounds;
  speed.units = generated.units;
  const auto t0 = BenchClock::now();
  const OrgFile read = read_org_directory(generated.text, "generated.json");
  speed.load_seconds = seconds_since(t0);
  if (!read.directory) {
    speed.error = read.problems.empty() ? "the generated directory was not read" : read.problems.front().text();
    return speed;
  }
  const OrgChart& chart = *read.directory;
  const auto catalog = builtin_workflows();
  const auto workflow = catalog->find({"property-first", 1});
  if (!workflow) {
    speed.error = workflow.error().message;
    return speed;
  }
  const std::vector<WorkflowStep>& steps = (*workflow)->steps;
  speed.steps = static_cast<int>(steps.size());

  // The baseline: the answer already known, one hash lookup away.
  std::unordered_map<std::string, std::string> lead_of_building;
  for (const std::string& b : generated.buildings) lead_of_building.emplace(b, b + ".property_company");

  std::mt19937 random(20251124);
  std::uniform_int_distribution<std::size_t> any(0, generated.buildings.size() - 1);
  std::vector<double> p50, p99, map50, map99;
  std::size_t sink = 0;
  for (int run = -1; run < runs; ++run) {  // run -1 warms caches and is not counted
    std::vector<double> routed, looked_up;
    routed.reserve(static_cast<std::size_t>(cases));
    looked_up.reserve(static_cast<std::size_t>(cases));
    for (int i = 0; i < cases; ++i) {
      Location where;
      where.district_code = "370811";
      where.building = generated.buildings[any(random)];
      const auto start = BenchClock::now();
      const auto full = chart.complete(where, kRoutedAt);
      if (!full) {
        speed.error = full.error().message;
        return speed;
      }
      for (const WorkflowStep& step : steps) {
        const auto lead = lead_unit_for(chart, *full, step, kRoutedAt);
        if (!lead) {
          speed.error = lead.error().message;
          return speed;
        }
        sink += lead->size();
      }
      const auto routed_at = BenchClock::now();
      const auto found = lead_of_building.find(where.building);
      sink += found == lead_of_building.end() ? 0 : found->second.size();
      const auto looked_up_at = BenchClock::now();
      routed.push_back(micros(routed_at - start));
      looked_up.push_back(micros(looked_up_at - routed_at));
    }
    if (run < 0) continue;
    std::sort(routed.begin(), routed.end());
    std::sort(looked_up.begin(), looked_up.end());
    p50.push_back(percentile(routed, 0.50));
    p99.push_back(percentile(routed, 0.99));
    map50.push_back(percentile(looked_up, 0.50));
    map99.push_back(percentile(looked_up, 0.99));
  }
  if (sink == 0) speed.error = "routing found nothing";
  speed.p50_us = median(p50);
  speed.p99_us = median(p99);
  speed.map_p50_us = median(map50);
  speed.map_p99_us = median(map99);
  return speed;
}

}  // namespace escalator::tools::bench_parts
