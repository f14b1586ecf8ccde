// A blocking HTTP/1.1 client for the command line's calls to a running
// service (`escalator cases`). The only file of the tools that includes Beast.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "escalator/util/result.hpp"

namespace escalator::tools {

// http://HOST[:PORT][/PREFIX]: where the service answers. PREFIX is put
// before every route (a service behind a proxy at /escalator).
struct ServerUrl {
  std::string host;
  std::string port = "80";
  std::string prefix;  // "" or "/escalator"
  std::string text;    // as given, for messages
};
// kInvalidArgument naming what is wrong: not http://, no host, a bad port.
[[nodiscard]] Result<ServerUrl> parse_server_url(std::string_view url);

struct HttpAnswer {
  int status = 0;
  std::string content_type;
  std::string body;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Sends one request and reads its answer, within `timeout`. kUnavailable
// naming the server when it cannot be reached or does not answer in time.
[[nodiscard]] Result<HttpAnswer> http_exchange(const ServerUrl& server, std::string_view method,
                                               const std::string& target, const std::string& body,
                                               const HttpHeaders& headers,
                                               std::chrono::seconds timeout = std::chrono::seconds(60));

// The service's refusal (an RFC 9457 problem) as people read it, on stderr:
// its status, title, detail, the field at fault, the engine's words, and
// each fault of a file it lists (`errors`). Returns 1, the exit code.
int print_refusal(const std::string& command, const HttpAnswer& answer);

// "a b/c" as "a%20b%2Fc": a value put in a path or a query.
std::string percent_encoded(std::string_view text);

}  // namespace escalator::tools
