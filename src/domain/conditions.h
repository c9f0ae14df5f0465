#pragma once
// CONDITIONAL node evaluation (spec §3.2): field lookup over what is known about a lead,
// and the logic and branch forms. Pure: the caller gathers the data, nothing is fetched.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.h"

namespace leadline::domain {

// What a condition can see. Pointers may be null (no call yet, no action result yet);
// the pointees must outlive the evaluation.
struct ConditionContext {
  // The lead's latest call: {"status","outcome","end_reason","duration_seconds",
  // "postcall_analysis": {...}}.
  const Json* latest_call = nullptr;
  // The lead's dynamic variables (an object of strings).
  const Json* variables = nullptr;
  // Calls placed for this lead in this workflow.
  std::int64_t call_attempts = 0;
  // The latest APPLICATION/WEBHOOK result: {"status": "success"|"failure", "response": ...}.
  const Json* app_result = nullptr;
  // Events the lead received (POST /v1/events): {"<type>": {"count": n, "data": {...}}}, the
  // data of the latest of each type.
  const Json* events = nullptr;
};

// The field's value as text, or nullopt when it is missing (or JSON null). Fields:
// call_status (alias call.status, call.outcome), call.end_reason, call.duration,
// call.attempts, postcall_analysis.<name>, lead.<name>, app.status,
// app.response[.<a.b>] (objects and arrays rendered as JSON), events.<type>.count (0 when none
// came), events.<type>.data[.<a.b>] (of the latest), and a bare name, looked
// up in the latest call's analysis, then in the lead's variables.
std::optional<std::string> lookup_field(const ConditionContext& context, std::string_view field);

// Logic form: "true" or "false". Branch form: the matching branch as written in the
// config, or "default". See conditions.cpp for the comparison rules.
std::string evaluate_conditional(const Json& config, const ConditionContext& context);

// One condition of the logic form: operator (case-insensitive) applied to a looked-up
// value (nullopt = missing) and the config's value. Exposed for tests and previews.
bool evaluate_operator(std::string_view op, const std::optional<std::string>& actual,
                       const Json& expected);

}  // namespace leadline::domain
