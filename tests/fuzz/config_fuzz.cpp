// libFuzzer target: the engine's configuration file (escalator.json).
#include "escalator/engine/config.hpp"
#include "reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)escalator::parse_config(escalator::fuzz::text_of(data, size));
  return 0;
}
