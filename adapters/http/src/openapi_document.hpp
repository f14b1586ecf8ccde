// The OpenAPI 3.1 document of every route (docs/openapi.json), as served at
// GET /v1/openapi.json. The tests hold the routes and it to each other.
#pragma once

#include <string_view>

namespace escalator::http {

std::string_view openapi_document();

}  // namespace escalator::http
