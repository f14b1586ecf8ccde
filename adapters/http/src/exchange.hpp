// A request and its response as the routes see them: plain values, with no
// Beast type, so that routing, decoding and answering are tested and fuzzed
// without a socket. server.cpp converts to and from Beast's messages.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace escalator::http {

struct Request {
  std::string method;                         // "GET", "POST", ...
  std::string target;                         // "/v1/cases/370811-20251008-000001?at=..."
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  // Which request this is in the logs: X-Request-Id as the client sent it,
  // or one Routes::handle makes (request_log.hpp).
  std::string id{};
  // The address of the connection's other end: the client, or a proxy.
  std::string peer{};

  // The header's value; empty when the request has none.
  std::string_view header(const std::string& lower_case_name) const {
    const auto found = headers.find(lower_case_name);
    return found == headers.end() ? std::string_view() : std::string_view(found->second);
  }
  // The body's media type, lower case, without its parameters: "text/csv"
  // for "Text/CSV; charset=utf-8"; empty when there is no Content-Type.
  std::string media_type() const {
    std::string type(header("content-type"));
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    for (char& c : type) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return type;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type and Content-Length
  std::string body;
};

// A JSON answer with `status`.
inline Response json_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// How a route answers: at once, or later from another thread (a command is
// answered once it is decided and stored). Called exactly once.
using Respond = std::function<void(Response)>;

}  // namespace escalator::http
