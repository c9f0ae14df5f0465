#pragma once
// JSON renderings of domain values as the API shows them (spec §2, §5, §6). Shared by the
// API routes and by webhook event payloads, so a webhook receiver sees the same shapes.
#include "domain/graph.h"
#include "domain/lead.h"
#include "domain/workflow.h"
#include "util/json.h"

namespace leadline::domain {

Json workflow_json(const Workflow& workflow);
// With the lead's time zone and where it came from, which depend on the workflow's
// settings.timezone.
Json lead_json(const Lead& lead, const Json& workflow_settings);
Json call_json(const Call& call);

}  // namespace leadline::domain
