// Routing's part of `escalator bench` (bench.cpp): placing a case and finding
// the unit for each step of a workflow in a large generated directory, against
// a plain hash-map lookup in the same run. Internal to the tools.
#pragma once

#include <string>
#include <vector>

namespace escalator::tools::bench_parts {

// A district shaped like a real one, at scale, as a directory file's text:
// ten buildings to a compound, eight compounds to a grid, five grids to a
// community, ten communities to a street. Every compound has a property
// company but one in ten; seven in ten a party branch; half an owners'
// committee; one in four a four-party council, so the fallbacks are taken as
// often as in life. One property company in five was replaced at the start of 2026:
// its records are dated.
struct GeneratedDistrict {
  std::string text;
  std::vector<std::string> buildings;  // ids; a building's compound is the id before its '-'
  int compounds = 0;
  int units = 0;
};
GeneratedDistrict generated_district(int buildings);

struct RoutingSpeed {
  int buildings = 0;
  int compounds = 0;
  int units = 0;
  int steps = 0;             // the workflow's steps routed per case
  double load_seconds = 0;   // reading and checking the generated directory file
  double p50_us = 0;         // per case: complete() and lead_unit_for() of every step; median over runs
  double p99_us = 0;
  double map_p50_us = 0;     // per case: one unordered_map<string, string> lookup, same runs
  double map_p99_us = 0;
  std::string error;
};

// A directory of one district with `buildings` buildings (ten to a compound)
// generated as a file's text and read as administrators' files are; then
// `runs` runs, each routing `cases` cases at random buildings through every
// step of property-first, each case timed alone, and the same buildings
// looked up in a hash map from building to unit.
RoutingSpeed routing_run(int buildings, int cases, int runs);

}  // namespace escalator::tools::bench_parts
