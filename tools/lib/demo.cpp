#include "demo.hpp"
namespace escalator::tools {
int demo(const std::vector<std::string>&, const Config&, std::ostream&) { return 1; }
}
