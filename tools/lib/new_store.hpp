// A durable store that did not exist before: the demo and simulate write
// their made-up cases only into stores of their own, never into a city's.
#pragma once

#include <filesystem>
#include <memory>

#include "escalator/store.hpp"

namespace escalator::tools {

// kFailedPrecondition when `path` exists; otherwise the new store (parents made).
[[nodiscard]] Result<std::shared_ptr<CaseStore>> open_new_store(const std::filesystem::path& path);

}  // namespace escalator::tools
