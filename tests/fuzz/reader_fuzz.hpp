// What every reader fuzz target shares: the input as text. A reader may refuse
// anything; it must not crash, hang, leak or read out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace escalator::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace escalator::fuzz
