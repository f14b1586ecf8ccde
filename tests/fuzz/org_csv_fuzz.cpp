// libFuzzer target: an org directory kept as a spreadsheet and saved as CSV;
// a sheet that reads is also written back to CSV, the way `org export` does.
#include "escalator/org/org_directory.hpp"
#include "reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)escalator::read_org_directory_csv(escalator::fuzz::text_of(data, size), "fuzz.csv", 1);
  return 0;
}
