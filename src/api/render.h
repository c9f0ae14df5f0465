#pragma once
// JSON renderings of domain values, shared by the routes that return them.
#include "domain/graph.h"
#include "domain/lead.h"
#include "domain/workflow.h"
#include "util/json.h"

namespace leadline::api {

Json to_json(const domain::Workflow& workflow);
Json to_json(const domain::Node& node);
Json to_json(const domain::Edge& edge);
Json to_json(const domain::Lead& lead);
Json to_json(const domain::HistoryEntry& entry);
Json to_json(const domain::Call& call);

}  // namespace leadline::api
