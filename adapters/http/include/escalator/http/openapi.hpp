// The OpenAPI 3.1 document of every route (docs/openapi.json), as served at
// GET /v1/openapi.json. The tests hold the routes and it to each other; the
// command line's client (`escalator cases`) reads each command's fields from it.
#pragma once

#include <string_view>

namespace escalator::http {

std::string_view openapi_document();

}  // namespace escalator::http
