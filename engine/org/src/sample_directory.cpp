#include <memory>

#include "embedded.hpp"
#include "escalator/org/org_directory.hpp"

namespace escalator {

std::shared_ptr<const OrgChart> sample_directory() {
  // Read once; tests hold the shipped file to loading without a problem.
  static const std::shared_ptr<const OrgChart> directory =
      read_org_directory(embedded::sample_org_directory(), "org/sample-district.json").directory;
  return directory;
}

}  // namespace escalator
