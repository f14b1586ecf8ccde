// Small helpers the durable store's files share: RocksDB statuses as errors,
// and keys as text a person can read.
#pragma once

#include <rocksdb/status.h>

#include <string>
#include <string_view>

#include "escalator/util/result.hpp"

namespace escalator {

// Bytes outside printable ASCII as \xNN.
inline std::string printable(std::string_view key) {
  std::string out;
  for (unsigned char c : key) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

inline Error status_error(const rocksdb::Status& status, const std::string& what) {
  const auto code = status.IsCorruption() ? ErrorCode::kDataLoss
                    : status.IsNotFound() ? ErrorCode::kNotFound
                                          : ErrorCode::kUnavailable;
  return Error{code, what + ": " + status.ToString()};
}

}  // namespace escalator
