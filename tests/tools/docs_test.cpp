// Documentation that quotes code must quote the code that is built and run.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::string(ESCALATOR_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("EmbeddingGuideQuotesTheBuiltExampleVerbatim") {
  const std::string example = read("tests/embed/embed_example.cpp");
  REQUIRE_FALSE(example.empty());
  CHECK(read("docs/embedding.md").find("```cpp\n" + example + "```") != std::string::npos);
}
