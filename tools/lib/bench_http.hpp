// `escalator bench --http` (bench_http.cpp): the HTTP service against the
// engine in the same process. Internal to the tools.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace escalator::tools {

// `args` without "--http".
int http_bench(const std::vector<std::string>& args, std::ostream& out);

}  // namespace escalator::tools
