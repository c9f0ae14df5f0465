#pragma once
// JSON renderings of domain values, shared by the routes that return them.
#include "domain/graph.h"
#include "domain/workflow.h"
#include "util/json.h"

namespace leadline::api {

Json to_json(const domain::Workflow& workflow);
Json to_json(const domain::Node& node);
Json to_json(const domain::Edge& edge);

}  // namespace leadline::api
