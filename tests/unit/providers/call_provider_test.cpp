#include "providers/call_provider.h"

#include <gtest/gtest.h>

namespace leadline::providers {
namespace {

TEST(CallProvider, CreateCallBodyCarriesVariablesAndIds) {
  domain::Call call;
  call.id = "call_1";
  call.workflow_id = "wf_1";
  call.lead_id = "wlead_1";
  call.node_id = "node_1";
  call.attempt = 2;
  call.to_phone_number = "+14155550123";
  call.from_phone_number = "+14155550100";
  call.agent_id = "agt_1";
  call.agent_version_number = 4;
  const Json body = create_call_body(call, {{"name", "Priya"}, {"lead_id", "spoofed"}});
  EXPECT_EQ(body["phone_number"], "+14155550123");
  EXPECT_EQ(body["from_phone_number"], "+14155550100");
  EXPECT_EQ(body["agent_id"], "agt_1");
  EXPECT_EQ(body["agent_version_number"], 4);
  EXPECT_EQ(body["metadata"]["name"], "Priya");
  EXPECT_EQ(body["metadata"]["lead_id"], "wlead_1");  // our ids win over variables
  EXPECT_EQ(body["metadata"]["call_id"], "call_1");
  EXPECT_EQ(body["metadata"]["attempt"], 2);
  call.agent_version_number.reset();
  EXPECT_FALSE(create_call_body(call, Json::object()).contains("agent_version_number"));
}

TEST(CallProvider, InterpretsAnswers) {
  auto placed = interpret_create_call({201, R"({"id":"pc_9"})", ""});
  EXPECT_EQ(placed.kind, PlaceCallAnswer::kPlaced);
  EXPECT_EQ(placed.provider_call_id, "pc_9");
  EXPECT_EQ(interpret_create_call({200, R"({"data":{"call_id":"pc_7"}})", ""}).provider_call_id,
            "pc_7");
  EXPECT_FALSE(interpret_create_call({202, "accepted", ""}).provider_call_id);
  for (int status : {500, 502, 503, 408, 429})
    EXPECT_EQ(interpret_create_call({status, "{}", ""}).kind, PlaceCallAnswer::kRetry) << status;
  EXPECT_EQ(interpret_create_call({0, "", "connect failed"}).kind, PlaceCallAnswer::kRetry);
  auto rejected = interpret_create_call({400, R"({"message":["agent_id is invalid","x"]})", ""});
  EXPECT_EQ(rejected.kind, PlaceCallAnswer::kRejected);
  EXPECT_EQ(rejected.error, "HTTP 400: agent_id is invalid; x");
  EXPECT_EQ(interpret_create_call({403, "forbidden", ""}).error, "HTTP 403: forbidden");
}

}  // namespace
}  // namespace leadline::providers
