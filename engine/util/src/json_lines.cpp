#include "json_lines.hpp"

#include <algorithm>
#include <vector>

#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

namespace escalator {
namespace {

std::string escaped(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Builds pointers as the reader walks the document; records each one's offset.
class Locator : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Locator> {
 public:
  Locator(const rapidjson::StringStream& stream, std::map<std::string, std::size_t>& offsets)
      : stream_(stream), offsets_(offsets) {}

  bool Key(const char* str, rapidjson::SizeType length, bool) {
    frames_.back().key = escaped(std::string_view(str, length));
    if (shallow()) offsets_.emplace(pointer(), stream_.Tell());
    return true;
  }
  bool StartObject() { return open(false); }
  bool StartArray() { return open(true); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }
  // Every scalar goes through Default().
  bool Default() {
    at_value();
    next_element();
    return true;
  }

 private:
  struct Frame {
    bool in_array = false;
    std::size_t index = 0;
    std::string key;
  };

  std::string pointer() const {
    std::string p;
    for (std::size_t i = 1; i < frames_.size(); ++i) {
      p += "/" + (frames_[i].in_array ? std::to_string(frames_[i].index) : frames_[i].key);
    }
    return p;
  }
  // An array element is located where its value is read.
  void at_value() {
    if (frames_.back().in_array && shallow()) offsets_.emplace(pointer(), stream_.Tell());
  }
  // Deeper values get their nearest located ancestor's line: no workflow is
  // that deep, and a pointer per value of a pathological file would take
  // memory quadratic in its depth.
  bool shallow() const { return frames_.size() <= 32; }
  void next_element() {
    if (frames_.back().in_array) ++frames_.back().index;
  }
  bool open(bool array) {
    at_value();
    frames_.push_back(Frame{array, 0, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    next_element();
    return true;
  }

  const rapidjson::StringStream& stream_;
  std::map<std::string, std::size_t>& offsets_;
  std::vector<Frame> frames_{Frame{}};  // the root's frame, which has no name
};

}  // namespace

std::map<std::string, int> json_pointer_lines(std::string_view text) {
  // RapidJSON reads a NUL-terminated string, and its SSE2 scan of a string
  // loads 16 aligned bytes at a time, up to 15 past the NUL: they must be
  // ours (AddressSanitizer says so otherwise), so the copy has room for them.
  std::string copy;
  copy.reserve(text.size() + 16);
  copy.assign(text);
  std::map<std::string, std::size_t> offsets;
  rapidjson::StringStream stream(copy.c_str());
  Locator locator(stream, offsets);
  rapidjson::Reader reader;
  // Iterative: a file nested a million deep must not exhaust the stack.
  reader.Parse<rapidjson::kParseIterativeFlag>(stream, locator);
  // Where each line ends, found once: a directory of 100,000 buildings may be
  // one line, and counting from the start for each pointer is quadratic.
  std::vector<std::size_t> newlines;
  for (std::size_t at = copy.find('\n'); at != std::string::npos; at = copy.find('\n', at + 1)) {
    newlines.push_back(at);
  }
  std::map<std::string, int> lines{{"", 1}};
  for (const auto& [pointer, offset] : offsets) {
    const auto before = std::lower_bound(newlines.begin(), newlines.end(), std::min(offset, copy.size()));
    lines[pointer] = 1 + static_cast<int>(before - newlines.begin());
  }
  return lines;
}

int line_of(const std::map<std::string, int>& lines, std::string pointer) {
  for (;;) {
    if (auto it = lines.find(pointer); it != lines.end()) return it->second;
    const auto slash = pointer.rfind('/');
    if (slash == std::string::npos) return 1;
    pointer.erase(slash);
  }
}

}  // namespace escalator
