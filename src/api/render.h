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
// With the lead's time zone and where it came from, which depend on the workflow's
// settings.timezone.
Json to_json(const domain::Lead& lead, const Json& workflow_settings);
Json to_json(const domain::HistoryEntry& entry);
Json to_json(const domain::Call& call);

}  // namespace leadline::api
