#include "request_target.hpp"

#include <algorithm>

namespace escalator::http {

std::optional<std::string> percent_decoded(std::string_view text) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex(text[i + 1]), low = hex(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::optional<std::vector<std::string>> segments_of(std::string_view path) {
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::vector<std::string> segments;
  for (std::size_t start = 1; start <= path.size();) {
    const auto end = std::min(path.find('/', start), path.size());
    auto segment = percent_decoded(path.substr(start, end - start));
    if (!segment) return std::nullopt;
    segments.push_back(std::move(*segment));
    start = end + 1;
  }
  if (!segments.empty() && segments.back().empty()) segments.pop_back();  // a trailing slash
  return segments;
}

std::optional<Problem> query_of(std::string_view text, std::initializer_list<std::string_view> taken, Query& query) {
  for (std::size_t start = 0; start < text.size();) {
    const auto end = std::min(text.find('&', start), text.size());
    const auto pair = text.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const auto equals = std::min(pair.find('='), pair.size());
    auto name = percent_decoded(pair.substr(0, equals));
    auto value = percent_decoded(pair.substr(std::min(equals + 1, pair.size())));
    if (!name || !value) return Problem{ProblemKind::kBadQuery, "查询参数的百分号编码不正确"};
    if (std::find(taken.begin(), taken.end(), *name) == taken.end()) {
      std::string names;
      for (auto t : taken) names += (names.empty() ? "" : "、") + std::string(t);
      return Problem{ProblemKind::kBadQuery, "不认识的查询参数 " + *name +
                                                 (names.empty() ? "：此接口不接受查询参数" : "（可用：" + names + "）")};
    }
    if (!query.emplace(*name, *value).second) return Problem{ProblemKind::kBadQuery, "查询参数 " + *name + " 出现了两次"};
  }
  return std::nullopt;
}

}  // namespace escalator::http
