// The `http` call provider against a real provider served on loopback by the test (spec
// §6.1): the create-call request, retries with the same key, refusals, timeouts, dropped
// connections, concurrency caps, signed call events, and a restart between placing a call
// and hearing its outcome. Manual clock; the engine and the dispatcher are stepped by hand.
#include <atomic>

#include "engine/engine_fixture.h"
#include "support/http_peer.h"
#include "util/crypto.h"

namespace leadline::test {
namespace {

constexpr const char* kSecret = "whsec_test_provider";
constexpr const char* kProviderKey = "pk_live_123";

class CallProviderTest : public EngineTest {
 protected:
  app::AppOptions options() override {
    auto o = EngineTest::options();
    o.call_provider = "http";
    o.provider_url = provider_.url() + "/v1";
    o.provider_key = kProviderKey;
    o.provider_secret = kSecret;
    o.provider_max_concurrent = max_concurrent_;
    o.call_timeout_seconds = 600;
    // Short, so the timeout test is quick; long enough for a loaded machine (the slow reply
    // below takes 1.5 s).
    o.provider_request_timeout = std::chrono::milliseconds(1000);
    return o;
  }

  // Runs due steps and sends due calls until both are quiet.
  void pump() {
    for (int i = 0; i < 5; ++i) {
      settle();
      if (app_->dispatcher()->drain() == 0) break;
    }
    settle();
  }
  void pass(std::chrono::milliseconds by) {
    clock_->advance(by);
    pump();
  }

  // call -> CONVERTED (COMPLETED), DROPPED (DNP), DROPPED "failed" (FAILED).
  std::string workflow(Json call_extra = Json::object()) {
    auto wf = create_workflow("Provider");
    auto call = create_node(wf, "VOICE_CALL", call_config(std::move(call_extra)), "Call");
    auto won = create_node(wf, "CONVERTED", Json::object(), "Won");
    auto dnp = create_node(wf, "DROPPED", Json::object(), "Not reached");
    auto failed = create_node(wf, "DROPPED", Json::object(), "Failed");
    create_edge(wf, call, won, "COMPLETED");
    create_edge(wf, call, dnp, "DNP");
    create_edge(wf, call, failed, "FAILED");
    return wf;
  }

  HttpResult post_event(const Json& body, const std::string& secret = kSecret) {
    const std::string raw = body.dump();
    return api().request("POST", "/v1/call-events", raw,
                         {{"X-Signature", "sha256=" + util::hmac_sha256_hex(secret, raw)}});
  }
  static Json ended(const std::string& call_id, const std::string& reason, double duration = 0) {
    return {{"event_type", "call_ended"},
            {"payload",
             {{"call",
               {{"id", "pc_" + call_id},
                {"status", "ended"},
                {"end_reason", reason},
                {"duration_seconds", duration},
                {"metadata", {{"call_id", call_id}}}}}}}};
  }
  Json only_call(const std::string& lead_id) {
    auto calls = calls_of(lead_id);
    EXPECT_EQ(calls.size(), 1u) << calls.dump();
    return calls.empty() ? Json::object() : calls[0];
  }
  Json lead_json(const std::string& wf, const std::string& lead_id) { return lead(wf, lead_id); }
  std::string lead_json_node(const std::string& wf, const std::string& lead_id) {
    return lead(wf, lead_id).value("current_node_id", "");
  }
  std::string final_label(const std::string& wf, const std::string& lead_id) {
    auto h = history(wf, lead_id);
    return h.empty() ? "" : h.back().value("label", "");
  }

  std::int64_t max_concurrent_ = 100;
  HttpPeer provider_{[](const PeerRequest& r) {
    return PeerReply{201, Json{{"id", "pc_" + r.json()["metadata"].value("call_id", "")}}.dump()};
  }};
};

TEST_F(CallProviderTest, PostsTheCreateCallShapeWithKeyAndIdempotencyKey) {
  auto wf = workflow({{"agent_version_number", 3}});
  activate(wf);
  auto lead = enroll(wf, {{"name", "Priya"}, {"city", "Mumbai"}});
  pump();
  ASSERT_EQ(provider_.request_count(), 1u);
  const auto req = provider_.requests()[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/v1/calls");
  EXPECT_EQ(req.header("authorization"), std::string("Bearer ") + kProviderKey);
  auto node_id = lead_json_node(wf, lead);
  EXPECT_EQ(req.header("idempotency-key"), lead + ":" + node_id + ":1");
  const Json body = req.json();
  EXPECT_EQ(body["phone_number"], "+14155550123");
  EXPECT_EQ(body["agent_id"], "agt_1");
  EXPECT_EQ(body["agent_version_number"], 3);
  EXPECT_EQ(body["metadata"]["name"], "Priya");
  EXPECT_EQ(body["metadata"]["city"], "Mumbai");
  EXPECT_EQ(body["metadata"]["workflow_id"], wf);
  EXPECT_EQ(body["metadata"]["lead_id"], lead);
  EXPECT_EQ(body["metadata"]["node_id"], node_id);

  auto call = only_call(lead);
  EXPECT_EQ(call["status"], "initiated");
  EXPECT_EQ(call["provider_call_id"], "pc_" + call["id"].get<std::string>());
  EXPECT_EQ(call["dispatch_attempts"], 1);
  // Nothing more is sent while the call runs.
  pass(minutes(5));
  EXPECT_EQ(provider_.request_count(), 1u);
}

TEST_F(CallProviderTest, EachOutcomeFlowsBackAndTheLeadBranchesOnIt) {
  struct Case {
    std::string reason;
    std::string outcome;
    std::string label;
  };
  const std::vector<Case> cases = {{"user_hangup", "COMPLETED", "Won"},
                                   {"user_did_not_pick_up", "NO_ANSWER", "Not reached"},
                                   {"did_not_pick", "NO_ANSWER", "Not reached"},
                                   {"user_busy", "BUSY", "Not reached"},
                                   {"voicemail_detected", "VOICEMAIL", "Not reached"},
                                   {"failed", "FAILED", "Failed"}};
  auto wf = workflow();
  activate(wf);
  int n = 0;
  for (const auto& c : cases) {
    auto lead = enroll(wf, {}, "+1415555" + std::to_string(1000 + n++));
    pump();
    auto call = only_call(lead);
    auto res = post_event(ended(call["id"], c.reason, c.outcome == "COMPLETED" ? 42 : 0));
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.json()["outcome"], c.outcome) << c.reason;
    pump();
    call = only_call(lead);
    EXPECT_EQ(call["outcome"], c.outcome) << c.reason;
    EXPECT_EQ(call["end_reason"], c.reason);
    EXPECT_EQ(lead_json(wf, lead)["status"], c.label == "Won" ? "completed" : "dropped");
    EXPECT_EQ(final_label(wf, lead), c.label) << c.reason;
  }
}

TEST_F(CallProviderTest, AcceptsAFlatCallObjectWithAnalysisAndTranscript) {
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  auto call = only_call(lead);
  Json flat = {{"call_id", call["provider_call_id"]},
               {"call_status", "completed"},
               {"disconnection_reason", "agent_hangup"},
               {"duration_ms", 61000},
               {"transcript", Json::array({{{"role", "agent"}, {"content", "Hello"}},
                                           {{"role", "user"}, {"content", "Hi"}}})},
               {"call_analysis", {{"interest", "interested"}}}};
  auto res = post_event(flat);
  ASSERT_EQ(res.status, 200) << res.body;
  pump();
  call = only_call(lead);
  EXPECT_EQ(call["outcome"], "COMPLETED");
  EXPECT_DOUBLE_EQ(call["duration_seconds"].get<double>(), 61.0);
  EXPECT_EQ(call["transcript"], "agent: Hello\nuser: Hi");
  EXPECT_EQ(call["postcall_analysis"]["interest"], "interested");
  EXPECT_EQ(lead_json(wf, lead)["status"], "completed");
}

// One call in flight at a time: a second workflow's call to the same number waits queued while
// the first call runs, and the first call's opt-out reaches it before it leaves.
class OptOutProviderTest : public CallProviderTest {
 protected:
  OptOutProviderTest() { max_concurrent_ = 1; }
};

TEST_F(OptOutProviderTest, AReportedOptOutCancelsTheNumbersQueuedCallElsewhere) {
  auto first = workflow();
  auto second = workflow();
  activate(first);
  activate(second);
  auto asking = enroll(first, {});
  pump();
  auto queued = enroll(second, {});
  pump();
  ASSERT_EQ(provider_.request_count(), 1u);
  ASSERT_EQ(only_call(queued)["status"], "queued");

  auto call = only_call(asking);
  Json report = ended(call["id"], "user_hangup", 20);
  report["payload"]["call"]["call_analysis"] = {{"opt_out", "Yes"}};
  ASSERT_EQ(post_event(report).status, 200);
  auto list = api().get("/v1/suppressions").json();
  ASSERT_EQ(list["meta"]["total"], 1) << list.dump();
  EXPECT_EQ(list["data"][0]["source"], "opt_out");

  pass(minutes(1));
  EXPECT_EQ(provider_.request_count(), 1u) << "the queued call never left";
  auto cancelled = only_call(queued);
  EXPECT_EQ(cancelled["status"], "failed");
  EXPECT_EQ(cancelled["end_reason"], "suppressed");
  EXPECT_EQ(lead_json(second, queued)["status"], "dropped");
  EXPECT_EQ(lead_json(second, queued)["drop_reason"], "suppressed");
  EXPECT_EQ(lead_json(first, asking)["status"], "completed");

  // An end reason that says so lists the number too.
  auto other = enroll(first, {}, "+14155550999");
  pump();
  ASSERT_EQ(post_event(ended(only_call(other)["id"], "do_not_call")).status, 200);
  EXPECT_EQ(api().get("/v1/suppressions?search=0999").json()["meta"]["total"], 1);
}

TEST_F(CallProviderTest, ServerErrorsAreRetriedWithBackoffAndTheSameKeyUntilOneCall) {
  std::atomic<int> seen{0};
  provider_.set_handler([&](const PeerRequest& r) {
    if (++seen <= 2) return PeerReply{503, R"({"message":"try later"})"};
    return PeerReply{200, Json{{"id", "pc_" + r.json()["metadata"].value("call_id", "")}}.dump()};
  });
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  ASSERT_EQ(provider_.request_count(), 1u);
  auto call = only_call(lead);
  EXPECT_EQ(call["status"], "queued");
  EXPECT_EQ(call["dispatch_error"], "HTTP 503: try later");
  pass(std::chrono::milliseconds(999));  // the first retry waits 1 s
  EXPECT_EQ(provider_.request_count(), 1u);
  pass(std::chrono::milliseconds(1));
  EXPECT_EQ(provider_.request_count(), 2u);
  pass(seconds(2));  // then 2 s
  ASSERT_EQ(provider_.request_count(), 3u);
  const auto requests = provider_.requests();
  for (const auto& r : requests)
    EXPECT_EQ(r.header("idempotency-key"), requests[0].header("idempotency-key"));
  call = only_call(lead);
  EXPECT_EQ(call["status"], "initiated");
  EXPECT_EQ(call["dispatch_attempts"], 3);
  EXPECT_TRUE(call["dispatch_error"].is_null());
}

TEST_F(CallProviderTest, AProviderThatTimesOutOrDropsTheConnectionIsTriedAgain) {
  std::atomic<int> seen{0};
  provider_.set_handler([&](const PeerRequest& r) {
    const int n = ++seen;
    if (n == 1) return PeerReply{200, "{}", std::chrono::milliseconds(1500)};  // too slow
    if (n == 2) return PeerReply{200, "{}", std::chrono::milliseconds(0), /*drop=*/true};
    return PeerReply{200, Json{{"id", "pc_" + r.json()["metadata"].value("call_id", "")}}.dump()};
  });
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  auto call = only_call(lead);
  EXPECT_EQ(call["status"], "queued");
  EXPECT_NE(call["dispatch_error"].get<std::string>().find("timed out"), std::string::npos)
      << call.dump();
  pass(seconds(1));
  call = only_call(lead);
  EXPECT_EQ(call["status"], "queued");
  EXPECT_FALSE(call["dispatch_error"].is_null());
  pass(seconds(2));
  call = only_call(lead);
  EXPECT_EQ(call["status"], "initiated");
  ASSERT_GE(provider_.request_count(), 3u);
  for (const auto& r : provider_.requests())
    EXPECT_EQ(r.header("idempotency-key"), provider_.requests()[0].header("idempotency-key"));
}

TEST_F(CallProviderTest, AClientErrorEndsTheCallFailedWithTheProvidersMessage) {
  provider_.set_handler([](const PeerRequest&) {
    return PeerReply{422, R"({"statusCode":422,"message":["phone_number is not reachable"]})"};
  });
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  auto call = only_call(lead);
  EXPECT_EQ(call["status"], "failed");
  EXPECT_EQ(call["outcome"], "FAILED");
  EXPECT_EQ(call["end_reason"], "provider_rejected");
  EXPECT_EQ(call["dispatch_error"], "HTTP 422: phone_number is not reachable");
  EXPECT_EQ(final_label(wf, lead), "Failed");
  pass(minutes(10));
  EXPECT_EQ(provider_.request_count(), 1u);  // never sent again
}

TEST_F(CallProviderTest, ACallWithoutOutcomeAfterTheTimeoutIsFailed) {
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  pass(minutes(9));
  EXPECT_EQ(only_call(lead)["status"], "initiated");
  pass(minutes(1));
  auto call = only_call(lead);
  EXPECT_EQ(call["status"], "failed");
  EXPECT_EQ(call["end_reason"], "timeout");
  EXPECT_EQ(final_label(wf, lead), "Failed");
  // A late report changes nothing.
  auto res = post_event(ended(call["id"], "user_hangup", 30));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["status"], "duplicate");
  EXPECT_EQ(only_call(lead)["outcome"], "FAILED");
}

TEST_F(CallProviderTest, BadOrMissingSignaturesAre401AndChangeNothing) {
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  auto call = only_call(lead);
  const std::string raw = ended(call["id"], "user_hangup", 10).dump();
  expect_error(api().request("POST", "/v1/call-events", raw), 401);
  expect_error(post_event(ended(call["id"], "user_hangup", 10), "wrong-secret"), 401);
  // A signature of another body.
  expect_error(api().request("POST", "/v1/call-events", raw,
                             {{"X-Signature", "sha256=" + util::hmac_sha256_hex(kSecret, "{}")}}),
               401);
  pump();
  EXPECT_EQ(only_call(lead)["status"], "initiated");
  EXPECT_EQ(lead_json(wf, lead)["status"], "active");
  // No API key is needed: the signature is the credential.
  HttpClient anonymous(port_);
  auto res = anonymous.request("POST", "/v1/call-events", raw,
                               {{"X-Signature", "sha256=" + util::hmac_sha256_hex(kSecret, raw)}});
  EXPECT_EQ(res.status, 200) << res.body;
}

TEST_F(CallProviderTest, DuplicateEventsAreIdempotentAndLateAnalysisIsKept) {
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  auto call = only_call(lead);
  auto first = post_event(ended(call["id"], "user_hangup", 30));
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.json()["status"], "recorded");
  auto again = post_event(ended(call["id"], "user_did_not_pick_up", 0));
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["status"], "duplicate");
  Json analyzed = ended(call["id"], "user_hangup", 30);
  analyzed["event_type"] = "call_analyzed";
  analyzed["payload"]["call"]["postcall_analysis"] = {{"callback_time", "tomorrow 10am"}};
  EXPECT_EQ(post_event(analyzed).json()["status"], "duplicate");
  pump();
  call = only_call(lead);
  EXPECT_EQ(call["outcome"], "COMPLETED");
  EXPECT_EQ(call["postcall_analysis"]["callback_time"], "tomorrow 10am");
  auto h = history(wf, lead);
  int call_visits = 0;
  for (const auto& entry : h) call_visits += entry["label"] == "Call";
  EXPECT_EQ(call_visits, 1) << h.dump();
  EXPECT_EQ(lead_json(wf, lead)["status"], "completed");
}

TEST_F(CallProviderTest, ProgressEventsAndUnknownCallsAndBadBodies) {
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  auto call = only_call(lead);
  Json started = {
      {"event_type", "call_started"},
      {"payload", {{"call", {{"id", call["provider_call_id"]}, {"status", "ongoing"}}}}}};
  auto res = post_event(started);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["status"], "accepted");
  EXPECT_EQ(only_call(lead)["status"], "initiated");
  expect_error(post_event(ended("call_doesnotexist00", "user_hangup")), 404);
  expect_error(post_event(Json::array({1, 2})), 400);
  expect_error(
      post_event({{"event_type", "call_ended"}, {"payload", {{"call", {{"status", "ended"}}}}}}),
      400);
  const std::string garbage = "{not json";
  expect_error(
      api().request("POST", "/v1/call-events", garbage,
                    {{"X-Signature", "sha256=" + util::hmac_sha256_hex(kSecret, garbage)}}),
      400);
  EXPECT_EQ(only_call(lead)["status"], "initiated");
}

TEST_F(CallProviderTest, ARestartBetweenPlacingACallAndItsOutcomeLosesNothing) {
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  auto call = only_call(lead);
  ASSERT_EQ(call["status"], "initiated");
  restart();
  auto res = post_event(ended(call["id"], "user_hangup", 12));
  ASSERT_EQ(res.status, 200) << res.body;
  pump();
  EXPECT_EQ(lead_json(wf, lead)["status"], "completed");
  EXPECT_EQ(provider_.request_count(), 1u);  // placed once, across the restart
  EXPECT_EQ(only_call(lead)["outcome"], "COMPLETED");
}

TEST_F(CallProviderTest, AnAnswerLostInTransitIsRetriedWithTheSameKeyAcrossARestart) {
  // The provider may have taken the call but its answer never reaches us (the request times
  // out): the retry, after a restart, carries the same Idempotency-Key so it can deduplicate.
  std::atomic<int> seen{0};
  provider_.set_handler([&](const PeerRequest& r) {
    if (++seen == 1) return PeerReply{200, "{}", std::chrono::milliseconds(1000)};
    return PeerReply{200, Json{{"id", "pc_" + r.json()["metadata"].value("call_id", "")}}.dump()};
  });
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  restart();
  pass(seconds(1));
  ASSERT_EQ(provider_.request_count(), 2u);
  EXPECT_EQ(provider_.requests()[0].header("idempotency-key"),
            provider_.requests()[1].header("idempotency-key"));
  EXPECT_EQ(calls_of(lead).size(), 1u);
  EXPECT_EQ(only_call(lead)["status"], "initiated");
}

TEST_F(CallProviderTest, ARemovedLeadsQueuedCallIsCancelledNotSent) {
  provider_.set_handler([](const PeerRequest&) { return PeerReply{500, "{}"}; });
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  ASSERT_EQ(provider_.request_count(), 1u);
  ASSERT_EQ(api().del("/v1/workflows/" + wf + "/leads/" + lead).status, 200);
  pass(seconds(5));
  EXPECT_EQ(provider_.request_count(), 1u);
  auto call = only_call(lead);
  EXPECT_EQ(call["status"], "failed");
  EXPECT_EQ(call["end_reason"], "cancelled");
  EXPECT_EQ(lead_json(wf, lead)["status"], "removed");
}

class CappedProviderTest : public CallProviderTest {
 protected:
  CappedProviderTest() { max_concurrent_ = 2; }
};

TEST_F(CappedProviderTest, TheProviderWideCapHoldsCallsInFlight) {
  auto wf = workflow();
  activate(wf);
  std::vector<std::string> leads;
  for (int i = 0; i < 5; ++i)
    leads.push_back(enroll(wf, {}, "+1415555" + std::to_string(2000 + i)));
  pump();
  EXPECT_EQ(provider_.request_count(), 2u);
  pass(minutes(1));
  EXPECT_EQ(provider_.request_count(), 2u);
  // One call ends: one more goes out.
  std::string ended_call;
  for (const auto& lead : leads) {
    auto call = only_call(lead);
    if (call["status"] == "initiated") {
      ended_call = call["id"];
      break;
    }
  }
  ASSERT_FALSE(ended_call.empty());
  ASSERT_EQ(post_event(ended(ended_call, "user_hangup", 5)).status, 200);
  pump();
  EXPECT_EQ(provider_.request_count(), 3u);
}

TEST_F(CallProviderTest, AWorkflowsMaxConcurrentCallsIsRespected) {
  auto wf = workflow();
  ASSERT_EQ(
      api().patch("/v1/workflows/" + wf, {{"settings", {{"max_concurrent_calls", 1}}}}).status,
      200);
  activate(wf);
  auto a = enroll(wf, {}, "+14155553001");
  auto b = enroll(wf, {}, "+14155553002");
  pump();
  ASSERT_EQ(provider_.request_count(), 1u);
  const std::string first = provider_.requests()[0].json()["metadata"]["call_id"];
  ASSERT_EQ(post_event(ended(first, "user_busy")).status, 200);
  pump();
  EXPECT_EQ(provider_.request_count(), 2u);
  EXPECT_EQ(only_call(a)["status"] == "busy" ? only_call(b)["status"] : only_call(a)["status"],
            "initiated");
}

TEST_F(CallProviderTest, ADispatchResultTheDatabaseRefusesDoesNotHoldBackTheRest) {
  auto wf = workflow();
  activate(wf);
  auto poisoned = enroll(wf, {}, "+14155554001");
  auto healthy = enroll(wf, {}, "+14155554002");
  // The provider's id of one call cannot be stored.
  db_.refuse_updates("calls",
                     "OLD.lead_id = '" + poisoned + "' AND NEW.provider_call_id IS NOT NULL");
  pump();
  EXPECT_EQ(provider_.request_count(), 2u);
  EXPECT_EQ(only_call(healthy)["status"], "initiated");
  auto call = only_call(poisoned);
  EXPECT_EQ(call["status"], "initiated");  // placed, so never placed again
  EXPECT_TRUE(call["provider_call_id"].is_null()) << call;
  pass(minutes(5));  // past the claim's lease: nothing is sent again
  EXPECT_EQ(provider_.request_count(), 2u);
  // Its report still finds it by our id.
  Json report = ended(call["id"], "user_hangup", 20);
  report["payload"]["call"].erase("id");
  auto res = post_event(report);
  ASSERT_EQ(res.status, 200) << res.body;
  pump();
  EXPECT_EQ(final_label(wf, poisoned), "Won");
}

TEST_F(CallProviderTest, AReportWhoseDetailsAreRefusedStillEndsTheCall) {
  auto wf = workflow();
  activate(wf);
  auto lead = enroll(wf, {});
  pump();
  const std::string call_id = only_call(lead)["id"];
  db_.refuse("INSERT", "call_results", "NEW.transcript IS NOT NULL");
  Json report = ended(call_id, "user_hangup", 42);
  report["payload"]["call"]["transcript"] = "Agent: hello";
  auto res = post_event(report);
  EXPECT_EQ(res.status, 200) << res.body;  // not a 500 the provider would retry for ever
  pump();
  EXPECT_EQ(only_call(lead)["outcome"], "COMPLETED");
  EXPECT_EQ(final_label(wf, lead), "Won");
}

}  // namespace
}  // namespace leadline::test

namespace leadline::test {
namespace {

// An exit rule that ends a lead whose call is queued (the engine placed it, the provider has
// not been sent it): the call is cancelled and never reaches the provider.
TEST_F(CallProviderTest, AnExitRuleCancelsACallQueuedForTheProvider) {
  auto wf = workflow();
  auto res =
      api().patch("/v1/workflows/" + wf,
                  {{"settings", {{"exit_rules", {{{"event", "won"}, {"status", "completed"}}}}}}});
  ASSERT_EQ(res.status, 200) << res.body;
  activate(wf);
  auto lead_id = enroll(wf, {});
  settle();  // the engine queues the call; the dispatcher has not run
  ASSERT_EQ(only_call(lead_id)["status"], "queued");
  auto event = api().post("/v1/events", {{"type", "won"}, {"lead_id", lead_id}});
  ASSERT_EQ(event.status, 201) << event.body;
  EXPECT_EQ(event.json()["data"]["leads"][0]["effect"], "exited");
  pump();
  pass(std::chrono::minutes(20));
  EXPECT_EQ(provider_.request_count(), 0u) << "the call was never sent";
  const Json call = only_call(lead_id);
  EXPECT_EQ(call["status"], "failed") << call.dump();
  EXPECT_EQ(lead(wf, lead_id)["status"], "completed");
}

}  // namespace
}  // namespace leadline::test
