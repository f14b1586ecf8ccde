#include "bench.hpp"
namespace escalator::tools {
int bench(const std::vector<std::string>&, std::ostream&) { return 1; }
}
