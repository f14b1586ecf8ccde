// libFuzzer target: a workflow file as an administrator writes it, read
// against the sample directory (schema, then meaning, then routing every step).
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_files.hpp"
#include "reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto directory = escalator::sample_directory();
  (void)escalator::read_workflow(escalator::fuzz::text_of(data, size), "fuzz.json", *directory);
  return 0;
}
