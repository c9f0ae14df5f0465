#include "domain/conditions.h"

#include <charconv>
#include <cmath>

#include "domain/config_fields.h"
#include "domain/node_config.h"
#include "domain/outcomes.h"
#include "domain/text.h"

namespace leadline::domain {
namespace {

// Text of a scalar; objects and arrays as compact JSON; null reads as missing.
std::optional<std::string> text_of(const Json* value) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_boolean()) return value->get<bool>() ? "true" : "false";
  if (auto n = as_integer(*value); n && !value->is_number_float()) return std::to_string(*n);
  return value->dump();
}

const Json* child(const Json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(std::string(key));
  return it == object->end() ? nullptr : &*it;
}

// Follows "a.b.0.c" into objects and arrays. A key that itself contains dots
// ("utm.source" stored flat) is tried whole first, since that is what the user typed.
const Json* at_path(const Json* value, std::string_view path) {
  if (value == nullptr || path.empty()) return value;
  if (const Json* whole = child(value, path)) return whole;
  auto dot = path.find('.');
  std::string_view head = path.substr(0, dot);
  std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  const Json* next = nullptr;
  if (value->is_object()) {
    next = child(value, head);
  } else if (value->is_array()) {
    std::size_t i = 0;
    auto [end, ec] = std::from_chars(head.data(), head.data() + head.size(), i);
    if (ec == std::errc() && end == head.data() + head.size() && i < value->size()) {
      next = &(*value)[i];
    }
  }
  if (next == nullptr || dot == std::string_view::npos) return next;
  return at_path(next, rest);
}

bool starts_with(std::string_view text, std::string_view prefix, std::string_view& rest) {
  if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix) return false;
  rest = text.substr(prefix.size());
  return true;
}

std::optional<std::string> call_status(const ConditionContext& context) {
  if (auto outcome = text_of(child(context.latest_call, "outcome"))) return outcome;
  // A call still in flight has no outcome yet; its status ("queued") is the best answer.
  if (auto status = text_of(child(context.latest_call, "status"))) return to_upper(*status);
  return std::nullopt;
}

std::optional<double> as_double(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// <0, 0, >0: numerically when both sides are numbers, else by case-folded text.
int compare(std::string_view a, std::string_view b) {
  auto x = as_double(a);
  auto y = as_double(b);
  if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  return to_lower(trim(a)).compare(to_lower(trim(b)));
}

// "<type>.count" or "<type>.data[.<path>]" of the events a lead received. A type name may hold
// dots itself, so the field's end decides where the type ends.
std::optional<std::string> event_field(const Json* events, std::string_view rest) {
  constexpr std::string_view kCount = ".count";
  if (rest.size() > kCount.size() && rest.substr(rest.size() - kCount.size()) == kCount) {
    const Json* count = child(child(events, rest.substr(0, rest.size() - kCount.size())), "count");
    return text_of(count).value_or("0");
  }
  const auto data = rest.find(".data");
  if (data == std::string_view::npos || data == 0) return std::nullopt;
  const std::string_view after = rest.substr(data + 5);
  const Json* value = child(child(events, rest.substr(0, data)), "data");
  if (after.empty()) return text_of(value);
  if (after.front() != '.') return std::nullopt;
  return text_of(at_path(value, after.substr(1)));
}

bool contains_text(std::string_view haystack, std::string_view needle) {
  return to_lower(trim(haystack)).find(to_lower(trim(needle))) != std::string::npos;
}

}  // namespace

std::optional<std::string> lookup_field(const ConditionContext& context, std::string_view field) {
  field = trim(field);
  std::string_view rest;
  if (field == "call_status" || field == "call.status" || field == "call.outcome") {
    return call_status(context);
  }
  if (field == "call.end_reason") return text_of(child(context.latest_call, "end_reason"));
  if (field == "call.duration") return text_of(child(context.latest_call, "duration_seconds"));
  if (field == "call.attempts") return std::to_string(context.call_attempts);
  const Json* analysis = child(context.latest_call, "postcall_analysis");
  if (starts_with(field, "postcall_analysis.", rest)) return text_of(at_path(analysis, rest));
  if (starts_with(field, "lead.", rest)) return text_of(child(context.variables, rest));
  if (field == "app.status") return text_of(child(context.app_result, "status"));
  const Json* response = child(context.app_result, "response");
  if (field == "app.response") return text_of(response);
  if (starts_with(field, "app.response.", rest)) return text_of(at_path(response, rest));
  if (starts_with(field, "events.", rest)) return event_field(context.events, rest);
  if (auto value = text_of(child(analysis, field))) return value;
  return text_of(child(context.variables, field));
}

// Strings compare case-insensitively after trimming; numbers as numbers when both sides
// parse. A missing field makes the positive operators false and the negated ones true.
// "exists" means present and not blank: an empty CSV cell is not a value to act on.
bool evaluate_operator(std::string_view op, const std::optional<std::string>& actual,
                       const Json& expected) {
  const std::string wanted = text_of(&expected).value_or("");
  if (iequals(op, "exists")) return actual && !trim(*actual).empty();
  if (iequals(op, "not_exists")) return !actual || trim(*actual).empty();
  if (iequals(op, "equals")) return actual && compare(*actual, wanted) == 0;
  if (iequals(op, "not_equals")) return !actual || compare(*actual, wanted) != 0;
  if (iequals(op, "contains")) return actual && contains_text(*actual, wanted);
  if (iequals(op, "not_contains")) return !actual || !contains_text(*actual, wanted);
  if (iequals(op, "greater_than")) return actual && compare(*actual, wanted) > 0;
  if (iequals(op, "less_than")) return actual && compare(*actual, wanted) < 0;
  return false;  // unknown operators never pass; validation rejects them earlier
}

std::string evaluate_conditional(const Json& config, const ConditionContext& context) {
  if (uses_branch_form(config)) {
    const Json* field = config_field(config, "condition_field");
    const Json* branches = config_field(config, "branches");
    if (field == nullptr || !field->is_string() || branches == nullptr || !branches->is_array()) {
      return std::string(kDefaultBranch);
    }
    auto value = lookup_field(context, field->get_ref<const std::string&>());
    if (!value) return std::string(kDefaultBranch);
    for (const Json& branch : *branches) {
      if (branch.is_string() && iequals(trim(branch.get_ref<const std::string&>()), trim(*value))) {
        return branch.get<std::string>();
      }
    }
    return std::string(kDefaultBranch);
  }
  const Json* logic = config_field(config, "logic");
  const bool any =
      logic != nullptr && logic->is_string() && iequals(logic->get_ref<const std::string&>(), "OR");
  const Json* conditions = config_field(config, "conditions");
  // Validation forbids an empty list; if one slips through, "false" is the safe answer.
  if (conditions == nullptr || !conditions->is_array() || conditions->empty()) return "false";
  static const Json kNull;
  for (const Json& condition : *conditions) {
    const Json* field = config_field(condition, "field");
    const Json* op = config_field(condition, "operator");
    const Json* value = config_field(condition, "value");
    bool passed = false;
    if (field != nullptr && field->is_string() && op != nullptr && op->is_string()) {
      passed = evaluate_operator(op->get_ref<const std::string&>(),
                                 lookup_field(context, field->get_ref<const std::string&>()),
                                 value != nullptr ? *value : kNull);
    }
    if (any && passed) return "true";
    if (!any && !passed) return "false";
  }
  return any ? "false" : "true";
}

}  // namespace leadline::domain
