// `escalator bench --http` (bench_http.cpp): the HTTP service against the
// engine in the same process. Internal to the tools.
#pragma once

#include <filesystem>
#include <ostream>

namespace escalator::tools {

struct HttpBenchOptions {
  int runs = 5;
  int durable_commands = 2400;  // per connection count
  int reads = 2000;             // per connection count
  std::filesystem::path dir;    // where the stores go
  bool json = false;
};

// What `escalator bench --help` says of --http.
extern const char* const kHttpBenchWhat;

int http_bench(const HttpBenchOptions& options, std::ostream& out);

}  // namespace escalator::tools
