// The shipped sample directory as the tests change it: its JSON, and where a record of it is.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace escalator::testing {

inline std::string sample_org_text() {
  std::ifstream in(std::string(ESCALATOR_SOURCE_DIR) + "/org/sample-district.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline nlohmann::ordered_json sample_org() { return nlohmann::ordered_json::parse(sample_org_text()); }

// The index of the record with `id` in one of the directory's lists.
inline std::size_t index_of(const nlohmann::ordered_json& list, const std::string& id) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].value("id", "") == id) return i;
  }
  FAIL("no record " << id);
  return 0;
}

}  // namespace escalator::testing
