#pragma once
// The OpenAPI 3 document served at /v1/openapi.json. It is written by hand from the spec
// (not generated from the router), and a test checks that both list the same routes.
#include "util/json.h"

namespace leadline::api {

Json openapi_document();

}  // namespace leadline::api
