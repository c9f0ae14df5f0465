// Outbound webhooks end to end (spec §7): events written by the engine and the lifecycle,
// delivered by the WebhookDeliverer to a real HTTP receiver on loopback, signed, in order
// per lead, retried with backoff, and given up after 24 hours.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "domain/render.h"
#include "engine/engine_fixture.h"
#include "engine/webhook_deliverer.h"
#include "support/http_peer.h"
#include "util/crypto.h"

namespace leadline::test {
namespace {

constexpr const char* kSecret = "receiver-shared-secret-0001";

Json all_events() {
  Json events = Json::array();
  for (const auto& name : domain::event_type_names()) events.push_back(name);
  return events;
}

class WebhooksTest : public EngineTest {
 protected:
  std::string create_webhook(const std::string& url, Json events = all_events(),
                             Json extra = Json::object()) {
    Json body = {{"url", url}, {"events", events}, {"secret", kSecret}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto res = api().post("/v1/user-webhooks", body);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json().value("id", "");
  }
  // VOICE_CALL -> (COMPLETED) CONVERTED, (NO_ANSWER) DROPPED; other outcomes stall.
  std::string call_workflow() {
    auto wf = create_workflow();
    call_ = create_node(wf, "VOICE_CALL", call_config(), "Call");
    won_ = create_node(wf, "CONVERTED", Json::object(), "Won");
    lost_ = create_node(wf, "DROPPED", Json::object(), "Lost");
    create_edge(wf, call_, won_, "COMPLETED");
    create_edge(wf, call_, lost_, "NO_ANSWER");
    return wf;
  }
  void deliver() { app_->webhooks().drain(); }
  // Runs the engine and the deliverer, moving the clock on, until nothing is pending.
  void run_until_delivered(const std::string& webhook_id, std::chrono::milliseconds step,
                           int max_rounds = 500) {
    for (int i = 0; i < max_rounds; ++i) {
      settle();
      deliver();
      if (pending(webhook_id) == 0) return;
      clock_->advance(step);
    }
    FAIL() << "deliveries still pending after " << max_rounds << " rounds";
  }
  std::int64_t pending(const std::string& webhook_id) {
    return api()
        .get("/v1/user-webhooks/" + webhook_id + "/deliveries?status=pending")
        .json()["meta"]["total"]
        .get<std::int64_t>();
  }
  Json deliveries(const std::string& webhook_id, const std::string& query = "") {
    return api().get("/v1/user-webhooks/" + webhook_id + "/deliveries?limit=100" + query).json();
  }
  // Event types received for one lead, in arrival order (each event once: the first time).
  static std::vector<std::string> types_for(const std::vector<PeerRequest>& requests,
                                            const std::string& lead_id) {
    std::vector<std::string> types;
    std::set<std::string> seen;
    for (const auto& r : requests) {
      Json body = r.json();
      const Json& payload = body["payload"];
      const bool mine = payload.contains("lead") && payload["lead"]["id"] == lead_id;
      if (mine && seen.insert(r.header("x-event-id")).second) types.push_back(body["event_type"]);
    }
    return types;
  }

  // A second organization, Beta, with a webhook for completions on peer_ and three leads
  // completed (once the engine settles); answers the webhook's id.
  std::string beta_with_three_completions() {
    HttpClient beta(port_, new_org_key("Beta"));
    const Json completed = Json::array({"workflow.lead.completed"});
    const std::string hook =
        beta.post("/v1/user-webhooks",
                  {{"url", peer_.url()}, {"events", completed}, {"secret", kSecret}})
            .json()
            .value("id", "");
    auto wf = beta.post("/v1/workflows", {{"title", "Beta"}}).json().value("id", "");
    beta.post("/v1/workflows/" + wf + "/nodes", {{"node_type", "CONVERTED"}});
    EXPECT_EQ(beta.post("/v1/workflows/" + wf + "/activate").status, 200);
    for (int i = 0; i < 3; ++i)
      EXPECT_EQ(beta.post("/v1/workflows/" + wf + "/leads",
                          {{"phone_number", "+1415555" + std::to_string(3000 + i)}})
                    .status,
                201);
    return hook;
  }

  HttpPeer peer_;
  std::string call_, won_, lost_;
};

TEST_F(WebhooksTest, SignsEachDeliveryAndNamesEachEventOnce) {
  create_webhook(peer_.url() + "/hooks?x=1");
  auto wf = call_workflow();
  activate(wf);
  enroll(wf, {{"sim_outcomes", "COMPLETED"}});
  settle();
  advance(seconds(31));
  deliver();
  auto requests = peer_.requests();
  ASSERT_GE(requests.size(), 5u);
  std::set<std::string> event_ids;
  for (const auto& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hooks?x=1");
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.header("x-signature"), "sha256=" + util::hmac_sha256_hex(kSecret, r.body));
    EXPECT_NE(r.header("x-signature"), "sha256=" + util::hmac_sha256_hex("wrong", r.body));
    EXPECT_TRUE(r.header("x-event-id").starts_with("evt_")) << r.header("x-event-id");
    event_ids.insert(r.header("x-event-id"));
    Json body = r.json();
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_TRUE(body["event_type"].is_string());
    EXPECT_TRUE(body["created_at"].is_string());
    EXPECT_TRUE(body["payload"].is_object());
  }
  EXPECT_EQ(event_ids.size(), requests.size()) << "every event has its own X-Event-Id";
}

TEST_F(WebhooksTest, AReportedEventAndTheExitItCausesAreDelivered) {
  create_webhook(peer_.url(), {"workflow.lead.event", "workflow.lead.completed"});
  auto wf = call_workflow();
  auto res = api().patch(
      "/v1/workflows/" + wf,
      {{"settings", {{"exit_rules", {{{"event", "meeting_booked"}, {"status", "completed"}}}}}}});
  ASSERT_EQ(res.status, 200) << res.body;
  activate(wf);
  const std::string lead = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}});
  settle();  // in its call
  ASSERT_EQ(api().post("/v1/events", {{"type", "replied"}, {"lead_id", lead}}).status, 201);
  ASSERT_EQ(
      api()
          .post("/v1/events",
                {{"type", "meeting_booked"}, {"lead_id", lead}, {"data", {{"slot", "10:00"}}}})
          .status,
      201);
  deliver();
  const auto requests = peer_.requests();
  EXPECT_EQ(types_for(requests, lead),
            (std::vector<std::string>{"workflow.lead.event", "workflow.lead.event",
                                      "workflow.lead.completed"}));
  Json booked, completed;
  for (const auto& r : requests) {
    Json body = r.json();
    if (body["event_type"] == "workflow.lead.event" &&
        body["payload"]["event"]["type"] == "meeting_booked")
      booked = body["payload"];
    if (body["event_type"] == "workflow.lead.completed") completed = body["payload"];
  }
  EXPECT_EQ(booked["event"]["data"]["slot"], "10:00") << booked.dump();
  EXPECT_EQ(booked["node"]["id"], call_);
  EXPECT_EQ(completed["exit_event"], "meeting_booked") << completed.dump();
  EXPECT_EQ(completed["lead"]["status"], "completed");
}

TEST_F(WebhooksTest, ALeadsEventsArriveInOrderWithTheirPayloads) {
  auto hook = create_webhook(peer_.url());
  auto wf = call_workflow();
  activate(wf);
  auto id = enroll(wf, {{"sim_outcomes", "COMPLETED"}, {"name", "Ada"}});
  settle();
  advance(seconds(31));
  deliver();
  auto requests = peer_.requests();
  EXPECT_EQ(types_for(requests, id),
            (std::vector<std::string>{"workflow.lead.node_entered", "call.completed",
                                      "workflow.lead.node_entered", "workflow.lead.completed"}));
  std::vector<Json> bodies;
  for (const auto& r : requests) bodies.push_back(r.json());
  // The activation's workflow.status_changed (other leads' and workflows' events have no
  // order among themselves: they are sent concurrently).
  Json changed;
  for (const auto& b : bodies)
    if (b["event_type"] == "workflow.status_changed") changed = b;
  ASSERT_TRUE(changed.is_object());
  EXPECT_EQ(changed["payload"]["previous_status"], "draft");
  EXPECT_EQ(changed["payload"]["status"], "active");
  EXPECT_EQ(changed["payload"]["action"], "activate");
  EXPECT_EQ(changed["payload"]["workflow"]["id"], wf);
  Json entered, call_done, completed;
  for (const auto& b : bodies) {
    if (b["event_type"] == "workflow.lead.node_entered" && entered.is_null()) entered = b;
    if (b["event_type"] == "call.completed") call_done = b;
    if (b["event_type"] == "workflow.lead.completed") completed = b;
  }
  EXPECT_EQ(entered["payload"]["node"],
            Json({{"id", call_}, {"type", "VOICE_CALL"}, {"label", "Call"}}));
  EXPECT_EQ(entered["payload"]["lead"]["id"], id);
  EXPECT_EQ(entered["payload"]["lead"]["dynamic_variables"]["name"], "Ada");
  EXPECT_EQ(entered["payload"]["lead"]["phone_number"], "+14155550123");
  EXPECT_EQ(entered["payload"]["lead"]["current_node_id"], call_);
  EXPECT_EQ(call_done["payload"]["outcome"], "COMPLETED");
  EXPECT_EQ(call_done["payload"]["call"]["status"], "completed");
  EXPECT_EQ(call_done["payload"]["call"]["lead_id"], id);
  EXPECT_EQ(completed["payload"]["lead"]["status"], "completed");
  EXPECT_EQ(completed["payload"]["node"]["id"], won_);

  auto list = deliveries(hook, "&status=delivered");
  EXPECT_EQ(list["meta"]["total"].get<size_t>(), requests.size());
  for (const auto& d : list["data"]) {
    EXPECT_EQ(d["status"], "delivered");
    EXPECT_EQ(d["attempts"], 1);
    EXPECT_EQ(d["last_status_code"], 200);
    EXPECT_TRUE(d["next_attempt_at"].is_null());
    EXPECT_TRUE(d["delivered_at"].is_string());
  }
}

TEST_F(WebhooksTest, CallEventsNameTheOutcomeAndStalledOrDroppedLeadsAreReported) {
  create_webhook(peer_.url());
  auto wf = call_workflow();
  activate(wf);
  auto busy = enroll(wf, {{"sim_outcomes", "BUSY"}}, "+14155550101");
  auto no_answer = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}}, "+14155550102");
  auto failed = enroll(wf, {{"sim_outcomes", "FAILED"}}, "+14155550103");
  settle();
  advance(seconds(31));
  deliver();
  auto requests = peer_.requests();
  EXPECT_EQ(types_for(requests, busy),
            (std::vector<std::string>{"workflow.lead.node_entered", "call.no_answer",
                                      "workflow.lead.stalled"}));
  EXPECT_EQ(types_for(requests, no_answer),
            (std::vector<std::string>{"workflow.lead.node_entered", "call.no_answer",
                                      "workflow.lead.node_entered", "workflow.lead.dropped"}));
  EXPECT_EQ(types_for(requests, failed),
            (std::vector<std::string>{"workflow.lead.node_entered", "call.failed",
                                      "workflow.lead.stalled"}));
  for (const auto& r : requests) {
    Json b = r.json();
    if (b["event_type"] == "call.no_answer" && b["payload"]["lead"]["id"] == busy) {
      EXPECT_EQ(b["payload"]["outcome"], "BUSY");
    }
    if (b["event_type"] == "workflow.lead.stalled" && b["payload"]["lead"]["id"] == failed) {
      EXPECT_EQ(b["payload"]["outcome"], "FAILED");
    }
  }
}

TEST_F(WebhooksTest, OnlySubscribedEventsOfActiveWebhooksAreSent) {
  HttpPeer inactive, deleted, picky;
  create_webhook(inactive.url(), all_events(), {{"is_active", false}});
  auto doomed = create_webhook(deleted.url());
  create_webhook(picky.url(), {"workflow.lead.completed"});
  auto wf = call_workflow();
  activate(wf);
  enroll(wf, {{"sim_outcomes", "COMPLETED"}});
  settle();
  advance(seconds(31));
  // Deleting a webhook drops its pending deliveries.
  EXPECT_GT(pending(doomed), 0);
  ASSERT_EQ(api().del("/v1/user-webhooks/" + doomed).status, 200);
  deliver();
  EXPECT_EQ(inactive.request_count(), 0u);
  EXPECT_EQ(deleted.request_count(), 0u);
  auto got = picky.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].json()["event_type"], "workflow.lead.completed");
}

TEST_F(WebhooksTest, AFailingReceiverGetsEveryEventInOrderOnceItRecovers) {
  // 500s and dropped connections for the first 12 requests, then it recovers. The handler
  // logs each answer in the order it decided them.
  struct Answer {
    std::string lead, event;
    bool ok;
  };
  std::mutex mutex;
  std::vector<Answer> log;
  peer_.set_handler([&](const PeerRequest& r) {
    std::lock_guard lock(mutex);
    const int n = static_cast<int>(log.size());
    Json b = r.json();
    const std::string lead =
        b["payload"].contains("lead") ? b["payload"]["lead"]["id"].get<std::string>() : "";
    log.push_back({lead, r.header("x-event-id"), n >= 12});
    PeerReply reply;
    if (n < 12 && n % 2 == 0) reply = PeerReply{500, "receiver down", {}, false};
    if (n < 12 && n % 2 == 1) reply.drop = true;
    return reply;
  });
  auto hook = create_webhook(peer_.url());
  auto wf = call_workflow();
  activate(wf);
  std::vector<std::string> leads;
  for (int i = 0; i < 4; ++i)
    leads.push_back(enroll(wf, {{"sim_outcomes", "COMPLETED"}}, "+1415555020" + std::to_string(i)));
  settle();
  advance(seconds(31));
  run_until_delivered(hook, seconds(30));

  auto requests = peer_.requests();
  // Each lead's events, in the order of first arrival, are its steps' order...
  for (const auto& lead : leads)
    EXPECT_EQ(types_for(requests, lead),
              (std::vector<std::string>{"workflow.lead.node_entered", "call.completed",
                                        "workflow.lead.node_entered", "workflow.lead.completed"}))
        << lead;
  // ...and no event of a lead was sent before the lead's previous event was answered 200.
  std::lock_guard lock(mutex);
  std::map<std::string, std::string> last_event;  // lead -> its latest event id seen
  std::set<std::string> succeeded;
  for (const auto& a : log) {
    if (!a.lead.empty()) {
      auto it = last_event.find(a.lead);
      if (it != last_event.end() && it->second != a.event) {
        EXPECT_TRUE(succeeded.count(it->second)) << a.event << " overtook " << it->second;
      }
      last_event[a.lead] = a.event;
    }
    if (a.ok) succeeded.insert(a.event);
  }
  // None lost: every delivery is delivered, and the retried ones say what went wrong.
  auto list = deliveries(hook);
  const auto total = list["meta"]["total"].get<size_t>();
  EXPECT_EQ(total, 1 + 4 * 4u);  // status_changed + 4 events per lead
  EXPECT_EQ(deliveries(hook, "&status=delivered")["meta"]["total"].get<size_t>(), total);
  int retried = 0;
  std::set<std::string> delivered_events;
  for (const auto& d : list["data"]) {
    delivered_events.insert(d["event_id"].get<std::string>());
    if (d["attempts"].get<int>() > 1) {
      ++retried;
      EXPECT_TRUE(d["last_error"].is_string()) << d.dump();
      EXPECT_EQ(d["last_status_code"], 200) << d.dump();
    }
  }
  EXPECT_GE(retried, 1);
  EXPECT_EQ(succeeded, delivered_events);
  EXPECT_EQ(succeeded.size(), total);
}

TEST_F(WebhooksTest, GivesUpAfterADayOfFailuresWithBackoff) {
  peer_.set_handler([](const PeerRequest&) { return PeerReply{503, "{}", {}, false}; });
  auto hook = create_webhook(peer_.url(), {"workflow.status_changed"});
  auto wf = call_workflow();
  activate(wf);
  const util::Millis created = clock_->now();
  std::vector<util::Millis> attempt_times;
  // Jump to each due attempt in turn.
  for (int i = 0; i < 200; ++i) {
    auto next = app_->store().next_delivery_at();
    if (!next) break;
    if (*next > clock_->now()) clock_->set(*next);
    const auto before = peer_.request_count();
    deliver();
    if (peer_.request_count() > before) attempt_times.push_back(clock_->now());
  }
  auto list = deliveries(hook);
  ASSERT_EQ(list["data"].size(), 1u);
  const Json d = list["data"][0];
  EXPECT_EQ(d["status"], "failed");
  EXPECT_TRUE(d["next_attempt_at"].is_null());
  EXPECT_EQ(d["last_status_code"], 503);
  EXPECT_EQ(d["attempts"].get<size_t>(), peer_.request_count());
  ASSERT_GE(attempt_times.size(), 3u);
  EXPECT_GE(attempt_times.back() - created, 24 * 3'600'000);  // retried for at least a day
  EXPECT_LT(attempt_times.back() - created, 26 * 3'600'000);
  // Backoff: the gaps grow (10 s doubling) and never exceed the 1 h cap.
  EXPECT_LT(attempt_times[1] - attempt_times[0], 15'000);
  EXPECT_GT(attempt_times[2] - attempt_times[1], attempt_times[1] - attempt_times[0]);
  for (size_t i = 1; i < attempt_times.size(); ++i)
    EXPECT_LE(attempt_times[i] - attempt_times[i - 1], 3'600'000);
  EXPECT_LT(peer_.request_count(), 60u);
  // Nothing more is sent once it failed.
  const auto count = peer_.request_count();
  clock_->advance(hours(5));
  deliver();
  EXPECT_EQ(peer_.request_count(), count);
}

TEST_F(WebhooksTest, AClaimIsLeasedToOneDelivererUntilItExpires) {
  create_webhook(peer_.url(), {"workflow.status_changed"});
  auto wf = call_workflow();
  activate(wf);
  auto& store = app_->store();
  const auto now = clock_->now();
  auto first = store.claim_deliveries(now, 10, "owner-a", 60'000);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(store.claim_deliveries(now, 10, "owner-b", 60'000).empty());
  // owner-a dies; after the lease another deliverer takes it over, and a late answer from
  // owner-a changes nothing.
  auto second = store.claim_deliveries(now + 60'000, 10, "owner-b", 60'000);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].delivery.id, first[0].delivery.id);
  store.record_deliveries("owner-a", {{first[0].delivery.id, "failed", 500, "late", {}, now}});
  EXPECT_EQ(pending(second[0].delivery.webhook_id), 1);
  store.record_deliveries("owner-b",
                          {{second[0].delivery.id, "delivered", 200, {}, {}, now + 61'000}});
  EXPECT_EQ(pending(second[0].delivery.webhook_id), 0);
}

// A lead's (here a workflow's) next delivery waits until the one before it ends: not while it
// is being retried, nor on a late answer from a deliverer whose lease ran out; once it is
// delivered or failed for good, the next is released.
TEST_F(WebhooksTest, ALeadsNextDeliveryIsReleasedOnlyWhenTheOneBeforeItEnds) {
  create_webhook(peer_.url(), {"workflow.status_changed"});
  auto wf = call_workflow();
  activate(wf);
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/pause").status, 200);
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/resume").status, 200);
  auto& store = app_->store();
  auto now = clock_->now();
  auto claim = [&](const char* owner) { return store.claim_deliveries(now, 10, owner, 60'000); };
  auto first = claim("owner-a");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].delivery.payload["status"], "active");
  const std::string id = first[0].delivery.id;
  // Retried later: still the one in front.
  store.record_deliveries("owner-a", {{id, "pending", 503, "busy", now + 10'000, now}});
  EXPECT_TRUE(claim("owner-a").empty());
  now += 10'000;
  auto retry = claim("owner-b");
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].delivery.id, id);
  // owner-b's lease runs out; owner-b's late "delivered" ends nothing.
  now += 60'000;
  ASSERT_EQ(claim("owner-c").size(), 1u);
  store.record_deliveries("owner-b", {{id, "delivered", 200, {}, {}, now}});
  EXPECT_TRUE(claim("owner-a").empty());
  // It fails for good: the next one goes, and only it.
  store.record_deliveries("owner-c", {{id, "failed", 400, "refused", {}, now}});
  auto second = claim("owner-a");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].delivery.payload["status"], "paused");
  store.record_deliveries("owner-a", {{second[0].delivery.id, "delivered", 200, {}, {}, now}});
  auto third = claim("owner-a");
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].delivery.payload["status"], "active");
  EXPECT_EQ(pending(third[0].delivery.webhook_id), 1);
}

// Each event of a lead is written just as the deliverer records the delivery before it, the
// moment the release decides. A new delivery is held or not under the same lock as that
// release: without the lock, one written beside a release is left held forever (nobody is
// left to release it) or claimed beside the one before it.
TEST_F(WebhooksTest, AnEventWrittenAsItsLeadsLastDeliveryIsRecordedIsNeitherStuckNorEarly) {
  auto hook = create_webhook(peer_.url(), {"workflow.status_changed"});
  auto wf = call_workflow();
  activate(wf);
  auto& store = app_->store();
  const util::Millis now = clock_->now();
  const auto activation = store.claim_deliveries(now, 10, "test", 60'000);
  ASSERT_EQ(activation.size(), 1u);
  store.record_deliveries("test", {{activation[0].delivery.id, "delivered", 200, {}, {}, now}});
  const std::string org_id = activation[0].org_id;

  // SQLite's single writer serializes the two threads (and makes each wait on the other's
  // lock): a few rounds show the same answers there.
  const int kEvents = db_.postgres() ? 200 : 20;
  std::atomic<int> claimed{0};
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int i = 0; i < kEvents; ++i) {
      domain::Event e;
      e.id = "evt_race" + std::to_string(1000 + i);
      e.org_id = org_id;
      e.type = domain::EventType::kWorkflowStatusChanged;
      e.order_key = "lead_race";
      e.payload = {{"n", i}};
      e.created_at = now;
      store.append_events({e});
      // The next one as soon as this one is claimed: while it is being recorded.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (claimed <= i && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
      if (claimed <= i) break;  // stuck: the checks below say why
    }
    writing = false;
  });
  std::vector<int> sent;
  bool side_by_side = false;
  auto deliver_round = [&] {
    const auto batch = store.claim_deliveries(now, 10, "test", 60'000);
    side_by_side = side_by_side || batch.size() > 1;
    std::vector<store::DeliveryOutcome> outcomes;
    for (const auto& c : batch) {
      sent.push_back(c.delivery.payload["n"].get<int>());
      outcomes.push_back({c.delivery.id, "delivered", 200, {}, {}, now});
    }
    claimed += static_cast<int>(batch.size());
    store.record_deliveries("test", outcomes);
    return !batch.empty();
  };
  while (writing) deliver_round();
  writer.join();
  while (deliver_round()) {
  }
  EXPECT_FALSE(side_by_side) << "two deliveries of one lead were claimed together";
  EXPECT_EQ(pending(hook), 0) << "a delivery was left held";
  ASSERT_EQ(sent.size(), static_cast<size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) EXPECT_EQ(sent[i], i);
}

TEST(WebhookRetryDelay, DoublesFromTenSecondsUpToAnHourWithJitterBelow) {
  engine::DelivererOptions o;
  EXPECT_EQ(engine::retry_delay(1, o, 1.0), 10'000);
  EXPECT_EQ(engine::retry_delay(2, o, 1.0), 20'000);
  EXPECT_EQ(engine::retry_delay(3, o, 1.0), 40'000);
  EXPECT_EQ(engine::retry_delay(30, o, 1.0), 3'600'000);
  EXPECT_EQ(engine::retry_delay(1, o, 0.0), 8'000);
  EXPECT_EQ(engine::retry_delay(200, o, 0.5), 3'240'000);
}

TEST_F(WebhooksTest, ADeliveryResultTheDatabaseRefusesEndsThatDeliveryAlone) {
  auto hook = create_webhook(peer_.url(), Json::array({"workflow.lead.completed"}));
  auto wf = create_workflow();
  create_node(wf, "CONVERTED");
  activate(wf);
  enroll(wf, Json::object(), "+14155556001");
  enroll(wf, Json::object(), "+14155556002");
  settle();
  ASSERT_EQ(pending(hook), 2);
  // One of the two deliveries cannot be marked delivered.
  const std::string refused = deliveries(hook, "&status=pending")["data"][0]["id"];
  db_.refuse_updates("webhook_deliveries",
                     "NEW.status = 'delivered' AND OLD.id = '" + refused + "'");
  deliver();
  EXPECT_EQ(pending(hook), 0);
  auto delivered = deliveries(hook, "&status=delivered")["data"];
  auto failed = deliveries(hook, "&status=failed")["data"];
  ASSERT_EQ(delivered.size(), 1u) << delivered;
  ASSERT_EQ(failed.size(), 1u) << failed;
  EXPECT_EQ(failed[0]["id"], refused);
  EXPECT_NE(failed[0].value("last_error", "").find("could not be recorded"), std::string::npos)
      << failed[0];
  // Nothing is sent again once the lease has run out.
  const auto sent = peer_.request_count();
  clock_->advance(minutes(10));
  deliver();
  EXPECT_EQ(peer_.request_count(), sent);
}

TEST_F(WebhooksTest, ASlowReceiverOfOneOrganizationDoesNotHoldUpAnother) {
  HttpPeer slow{[](const PeerRequest&) {
    PeerReply reply;
    reply.delay = std::chrono::milliseconds(800);
    return reply;
  }};
  auto converting = [](HttpClient& client, const std::string& title) {
    auto wf = client.post("/v1/workflows", {{"title", title}}).json().value("id", "");
    client.post("/v1/workflows/" + wf + "/nodes", {{"node_type", "CONVERTED"}});
    EXPECT_EQ(client.post("/v1/workflows/" + wf + "/activate").status, 200);
    return wf;
  };
  const Json completed = Json::array({"workflow.lead.completed"});
  create_webhook(slow.url(), completed);
  auto acme = converting(api(), "Acme");
  HttpClient beta(port_, new_org_key("Beta"));
  ASSERT_EQ(beta.post("/v1/user-webhooks",
                      {{"url", peer_.url()}, {"events", completed}, {"secret", kSecret}})
                .status,
            201);
  auto beta_wf = converting(beta, "Beta");

  engine::DelivererOptions options;
  options.allow_private_targets = true;
  options.concurrency = 4;
  options.lanes = 1;
  options.idle_poll = std::chrono::milliseconds(10);
  options.slow_after = std::chrono::milliseconds(400);
  engine::WebhookDeliverer deliverer(app_->store(), *clock_, options);
  deliverer.start();
  // Acme's receiver shows itself slow once...
  enroll(acme, Json::object(), "+14155558000");
  settle();
  ASSERT_TRUE(slow.wait_for_requests(1, std::chrono::seconds(5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  // ...then has a backlog of 12 (three rounds of its four senders) when Beta's one comes.
  for (int i = 1; i <= 12; ++i) enroll(acme, Json::object(), "+141555580" + std::to_string(10 + i));
  ASSERT_EQ(
      beta.post("/v1/workflows/" + beta_wf + "/leads", {{"phone_number", "+14155558100"}}).status,
      201);
  settle();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(peer_.wait_for_requests(1, std::chrono::milliseconds(1500)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
  EXPECT_LT(slow.request_count(), 13u);  // Acme's backlog is still being worked through
  deliverer.stop();
}

TEST_F(WebhooksTest, OneOrganizationsBurstDoesNotHoldBackAnothersDeliveries) {
  const Json completed = Json::array({"workflow.lead.completed"});
  const std::string acme_hook = create_webhook(peer_.url(), completed);
  auto acme = create_workflow("Burst");
  create_node(acme, "CONVERTED");
  activate(acme);
  Json leads = Json::array();
  for (int i = 0; i < 600; ++i)
    leads.push_back({{"phone_number", "+1415555" + std::to_string(2000 + i)}});
  ASSERT_EQ(api().post("/v1/workflows/" + acme + "/leads", {{"leads", leads}}).status, 201);
  settle();
  ASSERT_EQ(pending(acme_hook), 600);
  // Beta's three events come due a second after Acme's six hundred.
  clock_->advance(std::chrono::seconds(1));
  const std::string beta_hook = beta_with_three_completions();
  settle();

  // One batch of 256 takes all three of Beta's; the rest is Acme's, oldest first.
  auto& store = app_->store();
  const auto batch = store.claim_deliveries(clock_->now(), 256, "owner-a", 60'000);
  ASSERT_EQ(batch.size(), 256u);
  const auto of = [](const std::vector<store::ClaimedDelivery>& claimed, const std::string& id) {
    return std::count_if(claimed.begin(), claimed.end(),
                         [&](const auto& c) { return c.delivery.webhook_id == id; });
  };
  EXPECT_EQ(of(batch, beta_hook), 3);
  EXPECT_EQ(of(batch, acme_hook), 253);
  // With Beta served, Acme alone has the next batches whole, in due order.
  const auto next = store.claim_deliveries(clock_->now(), 256, "owner-a", 60'000);
  EXPECT_EQ(of(next, acme_hook), 256);
  for (size_t i = 1; i < next.size(); ++i)
    EXPECT_LE(next[i - 1].delivery.next_attempt_at, next[i].delivery.next_attempt_at);
  EXPECT_EQ(store.claim_deliveries(clock_->now(), 256, "owner-a", 60'000).size(), 91u);
}

TEST_F(WebhooksTest, AReceiverAnsweringBytesThatAreNotUtf8IsRecordedAndRetried) {
  // PostgreSQL refuses such text: the result could not be stored and the delivery was sent
  // again and again.
  peer_.set_handler([](const PeerRequest&) { return PeerReply{500, "erreur \xe9\xe8"}; });
  auto hook = create_webhook(peer_.url(), Json::array({"workflow.lead.completed"}));
  auto wf = create_workflow();
  create_node(wf, "CONVERTED");
  activate(wf);
  enroll(wf, Json::object());
  settle();
  deliver();
  auto pending_now = deliveries(hook, "&status=pending")["data"];
  ASSERT_EQ(pending_now.size(), 1u) << pending_now;
  EXPECT_EQ(pending_now[0]["attempts"], 1);
  EXPECT_EQ(pending_now[0]["last_error"], "HTTP 500: erreur \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(peer_.request_count(), 1u);
}

}  // namespace
}  // namespace leadline::test

namespace leadline::test {
namespace {

// The server capped at five webhook deliveries per second per organization.
class PacedWebhooksTest : public WebhooksTest {
 protected:
  app::AppOptions options() override {
    auto o = WebhooksTest::options();
    o.webhook_rate_per_org = 5;
    return o;
  }
  int received_from(const std::string& webhook_id) {
    int n = 0;
    for (const auto& r : peer_.requests()) n += r.header("x-webhook-id") == webhook_id;
    return n;
  }
};

TEST_F(PacedWebhooksTest, AnOrganizationsDeliveriesKeepToItsRateAndOthersAreNotHeldBack) {
  const Json completed = Json::array({"workflow.lead.completed"});
  const std::string acme_hook = create_webhook(peer_.url(), completed);
  auto acme = create_workflow("Burst");
  create_node(acme, "CONVERTED");
  activate(acme);
  enroll_numbered(acme, 20, "+1415555");
  const std::string beta_hook = beta_with_three_completions();
  settle();
  ASSERT_EQ(pending(acme_hook), 20);

  // One second's worth of Acme's twenty goes now, and all of Beta's three.
  deliver();
  EXPECT_EQ(received_from(acme_hook), 5);
  EXPECT_EQ(received_from(beta_hook), 3);
  EXPECT_EQ(app_->webhooks().stats().paced, 15u);
  // The fifteen held back were not attempted; they come due one every 200 ms.
  const Json held = deliveries(acme_hook, "&status=pending")["data"];
  ASSERT_EQ(held.size(), 15u);
  std::set<std::string> slots, expected;
  for (const auto& d : held) {
    EXPECT_EQ(d["attempts"], 0) << d;
    EXPECT_TRUE(d["last_error"].is_null()) << d;
    slots.insert(d["next_attempt_at"].get<std::string>());
  }
  for (int k = 1; k <= 15; ++k)
    expected.insert(domain::iso_or_null(clock_->now() + 200 * k).get<std::string>());
  EXPECT_EQ(slots, expected);

  // Then five a second, however long the clock stood still.
  for (int second = 1; second <= 3; ++second) {
    clock_->advance(std::chrono::seconds(1));
    deliver();
    EXPECT_EQ(received_from(acme_hook), 5 + 5 * second) << "after " << second << " s";
  }
  EXPECT_EQ(pending(acme_hook), 0);
  EXPECT_EQ(received_from(beta_hook), 3);
  EXPECT_EQ(app_->webhooks().stats().delivered, 23u);
}

}  // namespace
}  // namespace leadline::test
