// The request log (docs/http.md, "The request log"): one line per request,
// and the request id that joins it to the engine's lines about the command.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "escalator/util/logger.hpp"
#include "exchange.hpp"

namespace escalator::http {

// X-Request-Id as the client sent it when it is 1 to 200 visible ASCII
// characters other than a quote or a backslash; otherwise a fresh one, 32
// hexadecimal digits, as a proxy such as nginx makes.
std::string request_id_of(const Request& request);

// 32 random hexadecimal digits.
std::string random_hex();

// What a request's line says. Never the query string or the body, which may
// hold what a resident said: only the route's template.
struct RequestLine {
  std::string_view id;
  std::string_view method;  // "GET", …, or "other"
  std::string_view route;   // "/v1/cases/{id}/{command}", or "other"
  int status = 0;
  double seconds = 0;
  std::string_view case_id;  // the case the request named or opened; empty when none
  std::string_view client{};  // the client's address; empty when unknown
  std::string_view key{};     // the id of the key that was accepted; empty when none was
};

// Writes the line to `log` (at info), when there is one.
void log_request(Logger* log, const RequestLine& line) noexcept;

}  // namespace escalator::http
