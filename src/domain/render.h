#pragma once
// JSON renderings of domain values as the API shows them (spec §2, §5, §6). Shared by the
// API routes and by webhook event payloads, so a webhook receiver sees the same shapes.
#include <optional>
#include "domain/graph.h"
#include "domain/lead.h"
#include "domain/workflow.h"

#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

Json workflow_json(const Workflow& workflow);
// With the lead's time zone and where it came from, which depend on the workflow's
// settings.timezone.
Json lead_json(const Lead& lead, const Json& workflow_settings);
Json call_json(const Call& call);

// A value, or null when there is none; a time as ISO 8601 UTC, or null.
template <typename T>
Json or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}
Json iso_or_null(const std::optional<util::Millis>& at);

}  // namespace leadline::domain
