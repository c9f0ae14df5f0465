#include "domain/call_report.h"

#include <gtest/gtest.h>

#include "domain/lead.h"

namespace leadline::domain {
namespace {

CallReport parse(const Json& body) {
  auto parsed = parse_call_report(body);
  EXPECT_TRUE(std::holds_alternative<CallReport>(parsed))
      << (std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "");
  return std::holds_alternative<CallReport>(parsed) ? std::get<CallReport>(parsed) : CallReport{};
}

TEST(CallReport, MapsProviderEndReasonsOntoOutcomes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"did_not_pick", "NO_ANSWER"},
      {"user_did_not_pick_up", "NO_ANSWER"},
      {"no-answer", "NO_ANSWER"},
      {"user_busy", "BUSY"},
      {"Busy", "BUSY"},
      {"voicemail_detected", "VOICEMAIL"},
      {"machine_detected", "VOICEMAIL"},
      {"failed", "FAILED"},
      {"dial_failed", "FAILED"},
      {"error_llm_websocket_open", "FAILED"},
      {"invalid_number", "FAILED"},
      {"user_hangup", "COMPLETED"},
      {"agent_hangup", "COMPLETED"},
      {"call_transfer", "COMPLETED"},
      {"max_duration_reached", "COMPLETED"}};
  for (const auto& [reason, outcome] : cases)
    EXPECT_EQ(outcome_for_provider_status("ended", reason, std::nullopt, true), outcome) << reason;
}

TEST(CallReport, StatusesAloneAndUnknownReasons) {
  EXPECT_EQ(outcome_for_provider_status("no_answer", "", std::nullopt, false), "NO_ANSWER");
  EXPECT_EQ(outcome_for_provider_status("completed", "", std::nullopt, false), "COMPLETED");
  EXPECT_EQ(outcome_for_provider_status("failed", "", std::nullopt, false), "FAILED");
  // Still going on: no outcome yet.
  EXPECT_EQ(outcome_for_provider_status("ongoing", "", std::nullopt, false), std::nullopt);
  EXPECT_EQ(outcome_for_provider_status("ringing", "", std::nullopt, false), std::nullopt);
  // An ended call with a reason we do not know: did it last?
  EXPECT_EQ(outcome_for_provider_status("ended", "weird_reason", 30.0, true), "COMPLETED");
  EXPECT_EQ(outcome_for_provider_status("ended", "weird_reason", 0.0, true), "FAILED");
  EXPECT_EQ(outcome_for_provider_status("", "", std::nullopt, true), "COMPLETED");
}

TEST(CallReport, ReadsTheEnvelopeAndTheFlatShape) {
  auto enveloped = parse({{"event_type", "call_ended"},
                          {"payload",
                           {{"call",
                             {{"id", "pc_1"},
                              {"end_reason", "user_busy"},
                              {"metadata", {{"call_id", "call_abc"}}}}}}}});
  EXPECT_EQ(enveloped.call_id, "call_abc");
  EXPECT_EQ(enveloped.provider_call_id, "pc_1");
  EXPECT_EQ(enveloped.outcome, "BUSY");
  EXPECT_EQ(enveloped.end_reason, "user_busy");

  auto flat = parse({{"call_id", "pc_2"},
                     {"call_status", "ended"},
                     {"disconnection_reason", "user_hangup"},
                     {"duration_ms", 1500},
                     {"call_analysis", {{"interest", "yes"}}},
                     {"transcript", "Hello"}});
  EXPECT_EQ(flat.provider_call_id, "pc_2");
  EXPECT_FALSE(flat.call_id);
  EXPECT_EQ(flat.outcome, "COMPLETED");
  EXPECT_DOUBLE_EQ(*flat.duration_seconds, 1.5);
  EXPECT_EQ(flat.postcall_analysis["interest"], "yes");
  EXPECT_EQ(flat.transcript, "Hello");

  auto progress =
      parse({{"event", "call_started"}, {"call", {{"id", "pc_3"}, {"status", "ongoing"}}}});
  EXPECT_FALSE(progress.outcome);
  // A status-only end names its status as the end reason.
  auto status_only = parse({{"id", "pc_4"}, {"status", "no_answer"}});
  EXPECT_EQ(status_only.outcome, "NO_ANSWER");
  EXPECT_EQ(status_only.end_reason, "no_answer");
}

TEST(CallReport, RefusesBodiesThatNameNoCallOrHaveBadFields) {
  auto problem = [](const Json& body) {
    auto parsed = parse_call_report(body);
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
  };
  EXPECT_EQ(problem(Json::array()), "body must be a JSON object");
  EXPECT_NE(problem({{"status", "ended"}}).find("names no call"), std::string::npos);
  EXPECT_NE(problem({{"id", "x"}, {"duration_seconds", -1}}).find("negative"), std::string::npos);
  EXPECT_NE(problem({{"id", "x"}, {"postcall_analysis", "text"}}).find("object"),
            std::string::npos);
}

// A report may name its call only by the idempotency key we sent; the store finds the call by
// the (lead, node, attempt) it names, so the key must read back into exactly those.
TEST(CallIdempotencyKey, ReadsBackIntoTheLeadNodeAndAttemptItWasMadeOf) {
  Call call;
  call.lead_id = "lead_Ab3dEf6hIj9kLm";
  call.node_id = "call:first";  // node ids are the user's and may hold ':'
  call.attempt = 12;
  EXPECT_EQ(call.idempotency_key(), "lead_Ab3dEf6hIj9kLm:call:first:12");
  const auto parsed = parse_call_idempotency_key(call.idempotency_key());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->lead_id, call.lead_id);
  EXPECT_EQ(parsed->node_id, call.node_id);
  EXPECT_EQ(parsed->attempt, 12);
  for (const char* bad :
       {"", "lead_1", "lead_1:2", ":node:1", "lead_1::1", "lead_1:node:", "lead_1:node:x",
        "lead_1:node:0", "lead_1:node:-1", "lead_1:node:1x", "lead_1:node:99999999999999999999"})
    EXPECT_FALSE(parse_call_idempotency_key(bad)) << bad;
}

}  // namespace
}  // namespace leadline::domain
