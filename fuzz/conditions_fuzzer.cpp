// CONDITIONAL nodes: a config (either form) evaluated against what is known about a lead.
// Input: {"config": {...}, "latest_call": {...}, "variables": {...}, "app_result": {...},
// "call_attempts": n, "field": "..."}; every key optional. Configs are evaluated whether or
// not they pass validation: ones saved before a rule existed still reach the engine.
#include <string>

#include "domain/conditions.h"
#include "domain/node_config.h"
#include "fuzz_support.h"

namespace {
using namespace leadline;

const Json* member(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::json_of(fuzz::as_text(data, size));
  if (!input || !input->is_object()) return 0;
  domain::ConditionContext context;
  context.latest_call = member(*input, "latest_call");
  context.variables = member(*input, "variables");
  context.app_result = member(*input, "app_result");
  if (const Json* attempts = member(*input, "call_attempts");
      attempts && attempts->is_number_integer())
    context.call_attempts = attempts->get<std::int64_t>();
  if (const Json* field = member(*input, "field"); field && field->is_string())
    (void)domain::lookup_field(context, field->get<std::string>());
  const Json* config = member(*input, "config");
  if (config == nullptr) return 0;
  (void)domain::validate_node_config(domain::NodeType::kConditional, *config);
  const std::string branch = domain::evaluate_conditional(*config, context);
  if (!domain::uses_branch_form(*config) && branch != "true" && branch != "false")
    fuzz::fail("the logic form answered neither true nor false");
  return 0;
}
