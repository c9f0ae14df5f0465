#include "domain/node_config.h"

#include <gtest/gtest.h>

#include "unit/domain/graph_builder.h"

namespace leadline::domain {
namespace {

using Messages = std::vector<std::string>;
using testing::valid_config;

Json with(Json config, const std::string& key, Json value) {
  config[key] = std::move(value);
  return config;
}

Messages voice(const Json& config) { return validate_node_config(NodeType::kVoiceCall, config); }
Messages time_of(const Json& config) { return validate_node_config(NodeType::kTime, config); }
Messages conditional(const Json& config) {
  return validate_node_config(NodeType::kConditional, config);
}
Messages application(const Json& config) {
  return validate_node_config(NodeType::kApplication, config);
}
Messages webhook(const Json& config) { return validate_node_config(NodeType::kWebhook, config); }

TEST(NodeConfig, AcceptsAValidConfigForEveryType) {
  for (NodeType type :
       {NodeType::kVoiceCall, NodeType::kTime, NodeType::kConditional, NodeType::kApplication,
        NodeType::kWebhook, NodeType::kSms, NodeType::kConverted, NodeType::kDropped}) {
    EXPECT_EQ(validate_node_config(type, valid_config(type)), Messages{}) << to_string(type);
  }
}

TEST(NodeConfig, RejectsAConfigThatIsNotAnObject) {
  EXPECT_EQ(validate_node_config(NodeType::kDropped, Json::array()),
            Messages{"config must be an object"});
  EXPECT_EQ(validate_node_config(NodeType::kConverted, nullptr), Messages{});
}

TEST(NodeConfig, KeepsQuietAboutUnknownKeys) {
  EXPECT_EQ(voice(with(valid_config(NodeType::kVoiceCall), "color", "blue")), Messages{});
}

TEST(NodeConfig, VoiceCallNeedsAgentAndPhone) {
  EXPECT_EQ(voice(Json::object()),
            (Messages{"config.agent_id is required", "config.from_phone_number is required"}));
  EXPECT_EQ(voice({{"agent_id", ""}, {"from_phone_number", "4155550100"}}),
            (Messages{"config.agent_id must be a non-empty string",
                      "config.from_phone_number must be an E.164 phone number like "
                      "+14155550100"}));
}

TEST(NodeConfig, VoiceCallChecksOptionalFields) {
  Json good = valid_config(NodeType::kVoiceCall);
  good["agent_version_number"] = 3;
  good["max_attempts"] = 10;
  good["retry_delay_minutes"] = 0;
  good["retry_on"] = {"no_answer", "FAILED"};
  good["calling_window"] = nullptr;
  EXPECT_EQ(voice(good), Messages{});

  Json bad = valid_config(NodeType::kVoiceCall);
  bad["agent_version_number"] = "v2";
  bad["max_attempts"] = 11;
  bad["retry_delay_minutes"] = -1;
  bad["retry_on"] = {"BUSY", "HUNG_UP"};
  bad["calling_window"] = {{"start", "25:00"}};
  EXPECT_EQ(
      voice(bad),
      (Messages{
          "config.agent_version_number must be a non-negative integer",
          "config.max_attempts must be an integer from 1 to 10",
          "config.retry_delay_minutes must be a number of at least 0 and at most 43200 minutes (30 "
          "days)",
          "config.retry_on[1] must be one of NO_ANSWER, BUSY, VOICEMAIL, FAILED, "
          "COMPLETED",
          "config.calling_window.start must be a time like 09:00 (HH:MM)"}));
  EXPECT_EQ(voice(with(valid_config(NodeType::kVoiceCall), "max_attempts", 0)),
            Messages{"config.max_attempts must be an integer from 1 to 10"});
  EXPECT_EQ(voice(with(valid_config(NodeType::kVoiceCall), "max_attempts", 2.5)),
            Messages{"config.max_attempts must be an integer from 1 to 10"});
  EXPECT_EQ(voice(with(valid_config(NodeType::kVoiceCall), "retry_on", "BUSY")),
            Messages{"config.retry_on must be an array of outcomes from NO_ANSWER, BUSY, "
                     "VOICEMAIL, FAILED, COMPLETED"});
}

TEST(NodeConfig, TimeAcceptsEachFixedForm) {
  EXPECT_EQ(time_of({{"delay_minutes", 30}}), Messages{});
  EXPECT_EQ(time_of({{"delay_hours", 0}, {"delay_days", 1.5}}), Messages{});
  EXPECT_EQ(time_of({{"duration_value", 2}, {"duration_unit", "hours"}}), Messages{});
  EXPECT_EQ(time_of({{"time_source", "postcall_analysis"},
                     {"pca_field", "callback_time"},
                     {"fallback_minutes", 60}}),
            Messages{});
}

TEST(NodeConfig, TimeNeedsExactlyOneMode) {
  EXPECT_EQ(time_of(Json::object()),
            Messages{"config must set a delay: delay_minutes, delay_hours, delay_days, "
                     "duration_value with duration_unit, or time_source \"postcall_analysis\""});
  EXPECT_EQ(time_of({{"delay_minutes", 5}, {"duration_value", 5}, {"duration_unit", "days"}}),
            Messages{"config must use either delay_minutes/delay_hours/delay_days or "
                     "duration_value with duration_unit, not both"});
  EXPECT_EQ(time_of({{"delay_minutes", 5},
                     {"time_source", "postcall_analysis"},
                     {"pca_field", "x"},
                     {"fallback_minutes", 5}}),
            Messages{"config must use either a fixed duration or time_source, not both"});
}

TEST(NodeConfig, TimeRejectsZeroAndNegativeDelays) {
  EXPECT_EQ(time_of({{"delay_minutes", 0}, {"delay_hours", 0}}),
            Messages{"config.delay_minutes/delay_hours/delay_days must add up to more than 0"});
  EXPECT_EQ(time_of({{"delay_minutes", -5}, {"delay_days", "1"}}),
            (Messages{"config.delay_minutes must be a number of at least 0",
                      "config.delay_days must be a number of at least 0"}));
  EXPECT_EQ(time_of({{"duration_value", 0}, {"duration_unit", "weeks"}}),
            (Messages{"config.duration_value must be a number greater than 0",
                      "config.duration_unit must be one of minutes, hours, days"}));
  EXPECT_EQ(time_of({{"duration_value", 3}}),
            Messages{"config.duration_unit is required with duration_value"});
  EXPECT_EQ(time_of({{"duration_unit", "days"}}),
            Messages{"config.duration_value is required with duration_unit"});
}

TEST(NodeConfig, RefusesNumbersBeyondSensibleRanges) {
  const std::string year = "at most 525600 minutes (365 days)";
  EXPECT_EQ(time_of({{"delay_days", 1e300}}),
            Messages{"config.delay_minutes/delay_hours/delay_days must add up to " + year});
  EXPECT_EQ(time_of({{"delay_days", 365}, {"delay_minutes", 1}}),
            Messages{"config.delay_minutes/delay_hours/delay_days must add up to " + year});
  EXPECT_EQ(time_of({{"delay_days", 365}}), Messages{});
  EXPECT_EQ(time_of({{"duration_value", 8761}, {"duration_unit", "hours"}}),
            Messages{"config.duration_value must be " + year});
  EXPECT_EQ(time_of({{"time_source", "postcall_analysis"},
                     {"pca_field", "callback"},
                     {"fallback_minutes", 1e12}}),
            Messages{"config.fallback_minutes must be a number greater than 0 and " + year});
  EXPECT_EQ(voice(with(valid_config(NodeType::kVoiceCall), "retry_delay_minutes", 43201)),
            Messages{"config.retry_delay_minutes must be a number of at least 0 and at most "
                     "43200 minutes (30 days)"});
  Json request = {{"provider_key", "http"},
                  {"action_key", "request"},
                  {"action_config", {{"url", "https://crm.example.com/x"}, {"timeout_ms", "x"}}}};
  EXPECT_EQ(application(request),
            Messages{"config.action_config.timeout_ms must be an integer from 1 to 120000"});
  request["action_config"]["timeout_ms"] = 120001;
  EXPECT_EQ(application(request),
            Messages{"config.action_config.timeout_ms must be an integer from 1 to 120000"});
  request["action_config"]["timeout_ms"] = 5000;
  EXPECT_EQ(application(request), Messages{});
}

TEST(NodeConfig, ClampsDelaysSavedBeforeTheRangesWereChecked) {
  const auto year_ms = 365 * 86'400'000LL;
  EXPECT_EQ(parse_time_config({{"delay_days", 1e300}}).fixed_delay_ms, year_ms);
  EXPECT_EQ(parse_voice_call_config({{"retry_delay_minutes", 1e300}}).retry_delay_minutes,
            30.0 * 24 * 60);
}

TEST(NodeConfig, TimePostcallModeNeedsFieldAndFallback) {
  EXPECT_EQ(time_of({{"time_source", "postcall_analysis"}}),
            (Messages{"config.pca_field is required when time_source is \"postcall_analysis\"",
                      "config.fallback_minutes is required when time_source is "
                      "\"postcall_analysis\""}));
  EXPECT_EQ(
      time_of({{"time_source", "postcall_analysis"}, {"pca_field", 3}, {"fallback_minutes", 0}}),
      (Messages{"config.pca_field must be a non-empty string",
                "config.fallback_minutes must be a number greater than 0 and at most 525600 "
                "minutes (365 days)"}));
  EXPECT_EQ(time_of({{"time_source", "calendar"}}),
            Messages{"config.time_source must be \"postcall_analysis\""});
}

TEST(NodeConfig, ConditionalAcceptsBothForms) {
  Json logic = {{"logic", "or"},
                {"conditions",
                 {{{"field", "lead.city"}, {"operator", "exists"}},
                  {{"field", "call.duration"}, {"operator", "greater_than"}, {"value", 30}},
                  {{"field", "interested"}, {"operator", "equals"}, {"value", true}}}}};
  EXPECT_EQ(conditional(logic), Messages{});
  EXPECT_EQ(conditional({{"conditions", {{{"field", "x"}, {"operator", "not_exists"}}}}}),
            Messages{});
  EXPECT_EQ(conditional({{"condition_field", "call_status"}, {"branches", {"COMPLETED", "BUSY"}}}),
            Messages{});
}

TEST(NodeConfig, ConditionalReportsEachBadCondition) {
  Json config = {{"logic", "XOR"},
                 {"conditions",
                  {"not an object",
                   {{"operator", "equals"}, {"value", "x"}},
                   {{"field", "a"}, {"operator", "matches"}, {"value", "x"}},
                   {{"field", "a"}, {"operator", "equals"}},
                   {{"field", "a"}, {"operator", "contains"}, {"value", {1, 2}}},
                   {{"field", "a"}}}}};
  EXPECT_EQ(conditional(config),
            (Messages{"config.logic must be AND or OR",
                      "config.conditions[0] must be an object with field, operator and value",
                      "config.conditions[1].field is required",
                      "config.conditions[2].operator must be one of equals, not_equals, "
                      "contains, not_contains, exists, not_exists, greater_than, less_than",
                      "config.conditions[3].value is required for operator equals",
                      "config.conditions[4].value must be a string, number or boolean",
                      "config.conditions[5].operator is required"}));
}

TEST(NodeConfig, ConditionalNeedsOneFormWithContent) {
  EXPECT_EQ(conditional(Json::object()),
            Messages{"config.conditions is required (or use condition_field with branches)"});
  EXPECT_EQ(conditional({{"logic", "AND"}, {"conditions", Json::array()}}),
            Messages{"config.conditions must be a non-empty array"});
  EXPECT_EQ(conditional({{"conditions", {{{"field", "a"}, {"operator", "exists"}}}},
                         {"condition_field", "a"},
                         {"branches", {"x"}}}),
            Messages{"config must use either logic with conditions or condition_field with "
                     "branches, not both"});
  EXPECT_EQ(conditional({{"branches", {"x", ""}}}),
            (Messages{"config.condition_field is required",
                      "config.branches[1] must be a non-empty string"}));
  EXPECT_EQ(conditional({{"condition_field", "a"}}),
            Messages{"config.branches is required with condition_field"});
  EXPECT_EQ(conditional({{"condition_field", "a"}, {"branches", Json::array()}}),
            Messages{"config.branches must be a non-empty array of strings"});
}

TEST(NodeConfig, ApplicationNeedsProviderAndAction) {
  EXPECT_EQ(application(Json::object()),
            (Messages{"config.provider_key is required", "config.action_key is required"}));
  EXPECT_EQ(application({{"provider_key", "crm"}, {"action_key", "sync"}, {"action_config", 1}}),
            Messages{"config.action_config must be an object"});
  // Other providers are configured on the server; their action_config is theirs to judge.
  EXPECT_EQ(application({{"provider_key", "crm"}, {"action_key", "sync"}}), Messages{});
}

TEST(NodeConfig, ApplicationChecksSetVariables) {
  Json config = {{"provider_key", "leadline"}, {"action_key", "set_variables"}};
  EXPECT_EQ(application(config), Messages{"config.action_config.variables is required"});
  config["action_config"] = {{"variables", {"a", "b"}}};
  EXPECT_EQ(application(config), Messages{"config.action_config.variables must be an object"});
  config["action_key"] = "delete_lead";
  EXPECT_EQ(application(config),
            Messages{"config.action_key must be set_variables when provider_key is leadline"});
}

TEST(NodeConfig, ApplicationChecksHttpRequest) {
  Json config = {{"provider_key", "http"},
                 {"action_key", "request"},
                 {"action_config",
                  {{"url", "https://crm.example.com/leads/{{lead_id}}"},
                   {"method", "put"},
                   {"headers", {{"Authorization", "Bearer x"}}},
                   {"body", {{"name", "{{name}}"}}}}}};
  EXPECT_EQ(application(config), Messages{});
  config["action_config"] = {
      {"url", "crm.example.com"}, {"method", "FETCH"}, {"headers", {{"X-Count", 1}}}};
  EXPECT_EQ(application(config),
            (Messages{"config.action_config.url must be an http or https URL",
                      "config.action_config.method must be one of GET, POST, PUT, PATCH, DELETE",
                      "config.action_config.headers.X-Count must be a string"}));
  config["action_config"] = Json::object();
  EXPECT_EQ(application(config), Messages{"config.action_config.url is required"});
  config["action_key"] = "fetch";
  EXPECT_EQ(application(config),
            Messages{"config.action_key must be request when provider_key is http"});
}

TEST(NodeConfig, WebhookChecksUrlMethodHeadersAndTimeout) {
  EXPECT_EQ(webhook({{"url", "http://example.com/hook"},
                     {"method", "GET"},
                     {"headers", Json::object()},
                     {"timeout_ms", 120000}}),
            Messages{});
  EXPECT_EQ(webhook(Json::object()), Messages{"config.url is required"});
  EXPECT_EQ(webhook({{"url", "mailto:a@b.c"}, {"headers", "x"}, {"timeout_ms", 120001}}),
            (Messages{"config.url must be an http or https URL",
                      "config.headers must be an object of strings",
                      "config.timeout_ms must be an integer from 1 to 120000"}));
  EXPECT_EQ(webhook({{"url", "https://x.io"}, {"timeout_ms", 0}}),
            Messages{"config.timeout_ms must be an integer from 1 to 120000"});
}

TEST(NodeConfig, SmsNeedsPhoneAndMessage) {
  EXPECT_EQ(validate_node_config(NodeType::kSms, Json::object()),
            (Messages{"config.from_phone_number is required", "config.message is required"}));
  EXPECT_EQ(validate_node_config(NodeType::kSms, {{"from_phone_number", "+1"}, {"message", " "}}),
            (Messages{"config.from_phone_number must be an E.164 phone number like +14155550100",
                      "config.message must be a non-empty string"}));
}

TEST(NodeConfig, TerminalsNeedNothing) {
  EXPECT_EQ(validate_node_config(NodeType::kConverted, {{"anything", 1}}), Messages{});
  EXPECT_EQ(validate_node_config(NodeType::kDropped, Json::object()), Messages{});
}

TEST(NodeConfig, DetectsBranchForm) {
  EXPECT_TRUE(uses_branch_form({{"condition_field", "x"}}));
  EXPECT_TRUE(uses_branch_form({{"branches", {"a"}}}));
  EXPECT_FALSE(uses_branch_form({{"conditions", Json::array()}}));
  EXPECT_FALSE(uses_branch_form({{"branches", nullptr}}));
}

TEST(NodeConfig, ParsesVoiceCallWithDefaults) {
  auto config = parse_voice_call_config(valid_config(NodeType::kVoiceCall));
  EXPECT_EQ(config.agent_id, "agt_1");
  EXPECT_EQ(config.from_phone_number, "+14155550100");
  EXPECT_EQ(config.agent_version_number, std::nullopt);
  EXPECT_EQ(config.max_attempts, 1);
  EXPECT_EQ(config.retry_delay_minutes, 60);
  EXPECT_EQ(config.retry_on, (std::vector<std::string>{"NO_ANSWER", "BUSY", "VOICEMAIL"}));
}

TEST(NodeConfig, ParsesVoiceCallOptions) {
  Json json = valid_config(NodeType::kVoiceCall);
  json["agent_version_number"] = 4;
  json["max_attempts"] = 3;
  json["retry_delay_minutes"] = 15.5;
  json["retry_on"] = {"failed", "busy"};
  auto config = parse_voice_call_config(json);
  EXPECT_EQ(config.agent_version_number, 4);
  EXPECT_EQ(config.max_attempts, 3);
  EXPECT_EQ(config.retry_delay_minutes, 15.5);
  EXPECT_EQ(config.retry_on, (std::vector<std::string>{"FAILED", "BUSY"}));

  json["retry_on"] = Json::array();
  EXPECT_TRUE(parse_voice_call_config(json).retry_on.empty());
}

TEST(NodeConfig, ParsesTimeDelays) {
  EXPECT_EQ(parse_time_config({{"delay_minutes", 30}}).fixed_delay_ms, 30 * 60'000);
  EXPECT_EQ(parse_time_config({{"delay_minutes", 1}, {"delay_hours", 2}, {"delay_days", 1}})
                .fixed_delay_ms,
            (1 + 120 + 1440) * 60'000LL);
  EXPECT_EQ(parse_time_config({{"delay_minutes", 0.5}}).fixed_delay_ms, 30'000);
  EXPECT_EQ(parse_time_config({{"duration_value", 2}, {"duration_unit", "days"}}).fixed_delay_ms,
            2 * 86'400'000LL);
  EXPECT_EQ(parse_time_config({{"duration_value", 3}, {"duration_unit", "HOURS"}}).fixed_delay_ms,
            3 * 3'600'000LL);
  auto empty = parse_time_config(Json::object());
  EXPECT_FALSE(empty.fixed_delay_ms || empty.pca_field || empty.fallback_minutes);
}

TEST(NodeConfig, ParsesTimePostcallMode) {
  auto config = parse_time_config({{"time_source", "postcall_analysis"},
                                   {"pca_field", "callback_at"},
                                   {"fallback_minutes", 90}});
  EXPECT_EQ(config.fixed_delay_ms, std::nullopt);
  EXPECT_EQ(config.pca_field, "callback_at");
  EXPECT_EQ(config.fallback_minutes, 90);
}

}  // namespace
}  // namespace leadline::domain
