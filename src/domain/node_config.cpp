#include "domain/node_config.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

#include "domain/flow_nodes.h"
#include "domain/outcomes.h"
#include "domain/template.h"
#include "domain/text.h"

namespace leadline::domain {
namespace {

constexpr std::array<std::string_view, 5> kRetryOutcomes{"NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED",
                                                         "COMPLETED"};
constexpr std::array<std::string_view, 5> kHttpMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};
constexpr std::array<std::string_view, 8> kOperators{"equals",       "not_equals", "contains",
                                                     "not_contains", "exists",     "not_exists",
                                                     "greater_than", "less_than"};
constexpr std::array<std::string_view, 3> kDelayKeys{"delay_minutes", "delay_hours", "delay_days"};
constexpr std::array<std::string_view, 3> kDurationUnits{"minutes", "hours", "days"};
constexpr std::int64_t kMaxWebhookTimeoutMs = 120000;
// Longest waits a node may ask for: beyond them a number is a mistake (or an attack on the
// time arithmetic: 1e300 days overflows a millisecond clock), not a plan.
constexpr double kMaxDelayMinutes = 365.0 * 24 * 60;              // TIME delays, fallback_minutes
constexpr double kMaxRetryDelayMinutes = 30.0 * 24 * 60;          // VOICE_CALL retry_delay_minutes
constexpr std::array<double, 3> kMinutesPerUnit{1, 60, 24 * 60};  // minutes, hours, days

// "at most 525600 minutes (365 days)".
std::string at_most_minutes(double max_minutes) {
  const auto minutes = static_cast<std::int64_t>(max_minutes);
  return "at most " + std::to_string(minutes) + " minutes (" + std::to_string(minutes / (24 * 60)) +
         " days)";
}

void check_phone(const Json& config, ConfigProblems& problems) {
  const Json* value = config_field(config, "from_phone_number");
  if (value == nullptr) {
    problems.add("from_phone_number", "is required");
  } else if (!value->is_string() || !is_e164(value->get_ref<const std::string&>())) {
    problems.add("from_phone_number", "must be an E.164 phone number like +14155550100");
  }
}

// RFC 9110 token: what a header name may be made of.
bool is_header_token(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum &&
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  }
  return true;
}

// Anything that could end a header line early (a tab is allowed inside a value).
bool has_control_character(std::string_view value) {
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
  return false;
}

// url, method and headers of an outbound HTTP request (WEBHOOK and http/request).
void check_http_target(const Json& object, std::string_view prefix, ConfigProblems& problems) {
  auto path = [&](std::string_view key) { return std::string(prefix) + std::string(key); };
  const Json* url = config_field(object, "url");
  if (url == nullptr) {
    problems.add(path("url"), "is required");
  } else if (!url->is_string() || !is_http_url(url->get_ref<const std::string&>())) {
    problems.add(path("url"), "must be an http or https URL");
  } else if (url_template_has_variable_host(url->get_ref<const std::string&>())) {
    // The lead's variables come from whoever enrolled it: they must not pick the target.
    const Json* allow = config_field(object, "allow_variable_host");
    if (allow == nullptr || !allow->is_boolean() || !allow->get<bool>())
      problems.add(path("url"),
                   "must not have a {{placeholder}} in its scheme, host or port (set "
                   "allow_variable_host: true to let lead variables choose the host)");
  }
  if (const Json* allow = config_field(object, "allow_variable_host");
      allow && !allow->is_boolean())
    problems.add(path("allow_variable_host"), "must be true or false");
  if (const Json* method = config_field(object, "method")) {
    if (!method->is_string() || !is_one_of(method->get_ref<const std::string&>(), kHttpMethods)) {
      problems.add(path("method"), "must be one of " + join_names(kHttpMethods));
    }
  }
  if (const Json* headers = config_field(object, "headers")) {
    if (!headers->is_object()) {
      problems.add(path("headers"), "must be an object of strings");
    } else {
      for (const auto& [name, value] : headers->items()) {
        if (!is_header_token(name)) {
          problems.add(path("headers.") + name, "is not a valid header name");
        } else if (!value.is_string()) {
          problems.add(path("headers.") + name, "must be a string");
        } else if (has_control_character(value.get_ref<const std::string&>())) {
          problems.add(path("headers.") + name, "must not contain control characters (CR, LF)");
        }
      }
    }
  }
}

void check_voice_call(const Json& config, ConfigProblems& problems) {
  require_string(config, "agent_id", "agent_id", problems);
  check_phone(config, problems);
  if (const Json* version = config_field(config, "agent_version_number")) {
    auto n = as_integer(*version);
    if (!n || *n < 0 || *n > std::numeric_limits<int>::max()) {
      problems.add("agent_version_number", "must be a non-negative integer");
    }
  }
  if (const Json* attempts = config_field(config, "max_attempts")) {
    auto n = as_integer(*attempts);
    if (!n || *n < 1 || *n > 10) problems.add("max_attempts", "must be an integer from 1 to 10");
  }
  if (const Json* delay = config_field(config, "retry_delay_minutes")) {
    auto d = as_number(*delay);
    if (!d || *d < 0 || *d > kMaxRetryDelayMinutes)
      problems.add("retry_delay_minutes",
                   "must be a number of at least 0 and " + at_most_minutes(kMaxRetryDelayMinutes));
  }
  if (const Json* retry_on = config_field(config, "retry_on")) {
    if (!retry_on->is_array()) {
      problems.add("retry_on", "must be an array of outcomes from " + join_names(kRetryOutcomes));
    } else {
      for (size_t i = 0; i < retry_on->size(); ++i) {
        const Json& item = (*retry_on)[i];
        if (!item.is_string() || !is_one_of(item.get_ref<const std::string&>(), kRetryOutcomes)) {
          problems.add("retry_on[" + std::to_string(i) + "]",
                       "must be one of " + join_names(kRetryOutcomes));
        }
      }
    }
  }
  if (const Json* window = config_field(config, "calling_window"))
    check_calling_window(*window, problems);
}

void check_time(const Json& config, ConfigProblems& problems) {
  bool has_delay = false;
  for (auto key : kDelayKeys) has_delay = has_delay || config_field(config, key) != nullptr;
  const Json* value = config_field(config, "duration_value");
  const Json* unit = config_field(config, "duration_unit");
  const bool has_duration = value != nullptr || unit != nullptr;
  const Json* source = config_field(config, "time_source");

  if (source != nullptr) {
    if (!source->is_string() || source->get_ref<const std::string&>() != "postcall_analysis") {
      problems.add("time_source", "must be \"postcall_analysis\"");
      return;
    }
    if (has_delay || has_duration) {
      problems.add("", "must use either a fixed duration or time_source, not both");
      return;
    }
    const Json* field = config_field(config, "pca_field");
    if (field == nullptr) {
      problems.add("pca_field", "is required when time_source is \"postcall_analysis\"");
    } else if (!is_nonblank_string(*field)) {
      problems.add("pca_field", "must be a non-empty string");
    }
    const Json* fallback = config_field(config, "fallback_minutes");
    if (fallback == nullptr) {
      problems.add("fallback_minutes", "is required when time_source is \"postcall_analysis\"");
    } else if (auto d = as_number(*fallback); !d || *d <= 0 || *d > kMaxDelayMinutes) {
      problems.add("fallback_minutes",
                   "must be a number greater than 0 and " + at_most_minutes(kMaxDelayMinutes));
    }
    return;
  }
  if (has_delay && has_duration) {
    problems.add("",
                 "must use either delay_minutes/delay_hours/delay_days or "
                 "duration_value with duration_unit, not both");
    return;
  }
  if (has_delay) {
    double total_minutes = 0;
    bool numbers_ok = true;
    for (size_t i = 0; i < kDelayKeys.size(); ++i) {
      const Json* part = config_field(config, kDelayKeys[i]);
      if (part == nullptr) continue;
      auto d = as_number(*part);
      if (!d || *d < 0) {
        problems.add(kDelayKeys[i], "must be a number of at least 0");
        numbers_ok = false;
      } else {
        total_minutes += *d * kMinutesPerUnit[i];
      }
    }
    if (numbers_ok && total_minutes <= 0) {
      problems.add("delay_minutes/delay_hours/delay_days", "must add up to more than 0");
    } else if (numbers_ok && total_minutes > kMaxDelayMinutes) {
      problems.add("delay_minutes/delay_hours/delay_days",
                   "must add up to " + at_most_minutes(kMaxDelayMinutes));
    }
    return;
  }
  if (has_duration) {
    std::optional<double> amount = value != nullptr ? as_number(*value) : std::nullopt;
    if (value == nullptr) {
      problems.add("duration_value", "is required with duration_unit");
    } else if (!amount || *amount <= 0) {
      problems.add("duration_value", "must be a number greater than 0");
      amount.reset();
    }
    if (unit == nullptr) {
      problems.add("duration_unit", "is required with duration_value");
    } else if (!unit->is_string() ||
               !is_one_of(unit->get_ref<const std::string&>(), kDurationUnits)) {
      problems.add("duration_unit", "must be one of minutes, hours, days");
    } else if (amount) {
      for (size_t i = 0; i < kDurationUnits.size(); ++i) {
        if (iequals(unit->get_ref<const std::string&>(), kDurationUnits[i]) &&
            *amount * kMinutesPerUnit[i] > kMaxDelayMinutes) {
          problems.add("duration_value", "must be " + at_most_minutes(kMaxDelayMinutes));
        }
      }
    }
    return;
  }
  problems.add("",
               "must set a delay: delay_minutes, delay_hours, delay_days, duration_value "
               "with duration_unit, or time_source \"postcall_analysis\"");
}

void check_condition(const Json& condition, const std::string& path, ConfigProblems& problems) {
  if (!condition.is_object()) {
    problems.add(path, "must be an object with field, operator and value");
    return;
  }
  require_string(condition, "field", path + ".field", problems);
  const Json* op = config_field(condition, "operator");
  if (op == nullptr) {
    problems.add(path + ".operator", "is required");
    return;
  }
  if (!op->is_string() || !is_one_of(op->get_ref<const std::string&>(), kOperators)) {
    problems.add(path + ".operator", "must be one of " + join_names(kOperators));
    return;
  }
  const auto& name = op->get_ref<const std::string&>();
  if (iequals(name, "exists") || iequals(name, "not_exists")) return;
  const Json* value = config_field(condition, "value");
  if (value == nullptr) {
    problems.add(path + ".value", "is required for operator " + name);
  } else if (!value->is_string() && !value->is_number() && !value->is_boolean()) {
    problems.add(path + ".value", "must be a string, number or boolean");
  }
}

void check_conditional(const Json& config, ConfigProblems& problems) {
  const bool logic_form =
      config_field(config, "conditions") != nullptr || config_field(config, "logic") != nullptr;
  const bool branch_form = uses_branch_form(config);
  if (logic_form && branch_form) {
    problems.add("",
                 "must use either logic with conditions or condition_field with branches, "
                 "not both");
    return;
  }
  if (branch_form) {
    require_string(config, "condition_field", "condition_field", problems);
    const Json* branches = config_field(config, "branches");
    if (branches == nullptr) {
      problems.add("branches", "is required with condition_field");
    } else if (!branches->is_array() || branches->empty()) {
      problems.add("branches", "must be a non-empty array of strings");
    } else {
      for (size_t i = 0; i < branches->size(); ++i) {
        if (!is_nonblank_string((*branches)[i])) {
          problems.add("branches[" + std::to_string(i) + "]", "must be a non-empty string");
        }
      }
    }
    return;
  }
  if (const Json* logic = config_field(config, "logic")) {
    if (!logic->is_string() || !(iequals(logic->get_ref<const std::string&>(), "AND") ||
                                 iequals(logic->get_ref<const std::string&>(), "OR"))) {
      problems.add("logic", "must be AND or OR");
    }
  }
  const Json* conditions = config_field(config, "conditions");
  if (conditions == nullptr) {
    problems.add("conditions", "is required (or use condition_field with branches)");
  } else if (!conditions->is_array() || conditions->empty()) {
    problems.add("conditions", "must be a non-empty array");
  } else {
    for (size_t i = 0; i < conditions->size(); ++i) {
      check_condition((*conditions)[i], "conditions[" + std::to_string(i) + "]", problems);
    }
  }
}

void check_application(const Json& config, ConfigProblems& problems) {
  require_string(config, "provider_key", "provider_key", problems);
  require_string(config, "action_key", "action_key", problems);
  const Json* action_config = config_field(config, "action_config");
  if (action_config != nullptr && !action_config->is_object()) {
    problems.add("action_config", "must be an object");
    return;
  }
  const Json* provider = config_field(config, "provider_key");
  const Json* action = config_field(config, "action_key");
  if (provider == nullptr || !provider->is_string() || action == nullptr || !action->is_string()) {
    return;
  }
  const auto& provider_key = provider->get_ref<const std::string&>();
  const auto& action_key = action->get_ref<const std::string&>();
  static const Json kEmpty = Json::object();
  const Json& settings = action_config != nullptr ? *action_config : kEmpty;
  if (provider_key == "leadline") {
    if (action_key != "set_variables") {
      problems.add("action_key", "must be set_variables when provider_key is leadline");
      return;
    }
    const Json* variables = config_field(settings, "variables");
    if (variables == nullptr) {
      problems.add("action_config.variables", "is required");
    } else if (!variables->is_object()) {
      problems.add("action_config.variables", "must be an object");
    }
  } else if (provider_key == "http") {
    if (action_key != "request") {
      problems.add("action_key", "must be request when provider_key is http");
      return;
    }
    check_http_target(settings, "action_config.", problems);
    if (const Json* timeout = config_field(settings, "timeout_ms")) {
      auto n = as_integer(*timeout);
      if (!n || *n < 1 || *n > kMaxWebhookTimeoutMs)
        problems.add("action_config.timeout_ms", "must be an integer from 1 to 120000");
    }
  }
}

void check_webhook(const Json& config, ConfigProblems& problems) {
  check_http_target(config, "", problems);
  if (const Json* timeout = config_field(config, "timeout_ms")) {
    auto n = as_integer(*timeout);
    if (!n || *n < 1 || *n > kMaxWebhookTimeoutMs) {
      problems.add("timeout_ms", "must be an integer from 1 to 120000");
    }
  }
}

void check_sms(const Json& config, ConfigProblems& problems) {
  check_phone(config, problems);
  require_string(config, "message", "message", problems);
  if (const Json* window = config_field(config, "calling_window"))
    check_calling_window(*window, problems);
}

}  // namespace

bool uses_branch_form(const Json& config) {
  return config_field(config, "condition_field") != nullptr ||
         config_field(config, "branches") != nullptr;
}

std::vector<std::string> validate_node_config(NodeType type, const Json& config) {
  ConfigProblems problems;
  if (!config.is_null() && !config.is_object()) {
    problems.add("", "must be an object");
    return problems.take();
  }
  switch (type) {
    case NodeType::kVoiceCall:
      check_voice_call(config, problems);
      break;
    case NodeType::kTime:
      check_time(config, problems);
      break;
    case NodeType::kConditional:
      check_conditional(config, problems);
      break;
    case NodeType::kApplication:
      check_application(config, problems);
      break;
    case NodeType::kWebhook:
      check_webhook(config, problems);
      break;
    case NodeType::kSms:
      check_sms(config, problems);
      break;
    case NodeType::kWaitForEvent:
      check_wait_for_event(config, problems);
      break;
    case NodeType::kSplit:
      check_split(config, problems);
      break;
    case NodeType::kConverted:
    case NodeType::kDropped:
      break;
  }
  return problems.take();
}

VoiceCallConfig parse_voice_call_config(const Json& config) {
  VoiceCallConfig out;
  auto string_of = [&](std::string_view key) {
    const Json* value = config_field(config, key);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
  };
  out.agent_id = string_of("agent_id");
  out.from_phone_number = string_of("from_phone_number");
  if (const Json* version = config_field(config, "agent_version_number")) {
    auto n = as_integer(*version);
    if (n && *n >= 0 && *n <= std::numeric_limits<int>::max()) out.agent_version_number = int(*n);
  }
  if (const Json* attempts = config_field(config, "max_attempts")) {
    if (auto n = as_integer(*attempts); n && *n >= 1 && *n <= 10) out.max_attempts = int(*n);
  }
  if (const Json* delay = config_field(config, "retry_delay_minutes")) {
    if (auto d = as_number(*delay); d && *d >= 0)
      out.retry_delay_minutes = std::min(*d, kMaxRetryDelayMinutes);
  }
  if (const Json* retry_on = config_field(config, "retry_on"); retry_on && retry_on->is_array()) {
    // An explicit empty list means "never retry", so it replaces the default.
    out.retry_on.clear();
    for (const Json& item : *retry_on) {
      if (item.is_string() && is_one_of(item.get_ref<const std::string&>(), kRetryOutcomes)) {
        out.retry_on.push_back(to_upper(item.get_ref<const std::string&>()));
      }
    }
  }
  return out;
}

TimeConfig parse_time_config(const Json& config) {
  constexpr double kMsPerMinute = 60'000;
  TimeConfig out;
  const Json* source = config_field(config, "time_source");
  if (source != nullptr && source->is_string() &&
      source->get_ref<const std::string&>() == "postcall_analysis") {
    if (const Json* field = config_field(config, "pca_field"); field && field->is_string()) {
      out.pca_field = field->get<std::string>();
    }
    if (const Json* fallback = config_field(config, "fallback_minutes")) {
      if (auto d = as_number(*fallback); d && *d > 0)
        out.fallback_minutes = std::min(*d, kMaxDelayMinutes);
    }
    return out;
  }
  std::optional<double> minutes;
  for (size_t i = 0; i < kDelayKeys.size(); ++i) {
    if (const Json* part = config_field(config, kDelayKeys[i])) {
      if (auto d = as_number(*part); d && *d >= 0)
        minutes = minutes.value_or(0) + *d * kMinutesPerUnit[i];
    }
  }
  if (!minutes) {
    const Json* value = config_field(config, "duration_value");
    const Json* unit = config_field(config, "duration_unit");
    auto amount = value != nullptr ? as_number(*value) : std::nullopt;
    if (amount && *amount >= 0 && unit != nullptr && unit->is_string()) {
      for (size_t i = 0; i < kDurationUnits.size(); ++i) {
        if (iequals(unit->get_ref<const std::string&>(), kDurationUnits[i])) {
          minutes = *amount * kMinutesPerUnit[i];
        }
      }
    }
  }
  // Clamped: configs saved before the limits were checked may hold any number.
  if (minutes)
    out.fixed_delay_ms =
        util::Millis(std::llround(std::min(*minutes, kMaxDelayMinutes) * kMsPerMinute));
  return out;
}

}  // namespace leadline::domain
