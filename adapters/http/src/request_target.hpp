// A request's target read as the routes need it: the path's segments and the
// query's parameters, percent-decoded (RFC 3986), and nothing accepted that
// the route did not ask for.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "problem.hpp"

namespace escalator::http {

using Query = std::map<std::string, std::string, std::less<>>;

// %XX decoded; none when an escape is broken. '+' stays '+': a query here is
// not a form, and RFC 3339 offsets are written with it.
std::optional<std::string> percent_decoded(std::string_view text);

// "/v1/cases/a%2Fb/accept" -> {"v1", "cases", "a/b", "accept"}; none when a
// segment's percent-encoding is broken or the path does not begin with '/'.
std::optional<std::vector<std::string>> segments_of(std::string_view path);

// "at=2025-11-12T09:00:00%2B08:00" -> {"at": "2025-11-12T09:00:00+08:00"}
// into `query`. A parameter given twice, one not in `taken`, or a broken
// escape is a bad-query problem naming it.
std::optional<Problem> query_of(std::string_view text, std::initializer_list<std::string_view> taken, Query& query);

}  // namespace escalator::http
