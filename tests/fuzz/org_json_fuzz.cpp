// libFuzzer target: an org directory file in JSON, as `escalator org check` and
// `import org` read it.
#include "escalator/org/org_directory.hpp"
#include "reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)escalator::read_org_directory(escalator::fuzz::text_of(data, size), "fuzz.json", 1);
  return 0;
}
