// libFuzzer target: a scenario file, as `escalator simulate` reads it before
// running anything.
#include "reader_fuzz.hpp"
#include "scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)escalator::scenario::parse(escalator::fuzz::text_of(data, size), "fuzz.scn");
  return 0;
}
