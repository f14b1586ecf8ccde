// libFuzzer target: a workflow file as an administrator writes it (or
// uploads it), read against the sample directory (schema, then meaning, then
// routing every step), and as a store gives a published version back.
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_files.hpp"
#include "reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto directory = escalator::sample_directory();
  const auto text = escalator::fuzz::text_of(data, size);
  (void)escalator::read_workflow(text, "fuzz.json", *directory);
  (void)escalator::read_published_workflow(text, "workflows/change/1");
  return 0;
}
