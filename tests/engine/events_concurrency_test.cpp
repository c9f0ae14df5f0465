// An event that arrives while an engine batch holds its lead (another process's batch on
// PostgreSQL, the single writer on SQLite) waits for that batch to commit and applies to the
// lead as the batch left it: the step's move is kept, and the exit rule still ends the lead.
#include <future>
#include <thread>

#include "engine/engine_fixture.h"
#include "util/ids.h"

namespace leadline::test {
namespace {

class EventsWhileStepping : public EngineTest {};

TEST_F(EventsWhileStepping, AnEventWaitsForTheBatchHoldingItsLeadAndAppliesAfterIt) {
  auto res = api().post(
      "/v1/workflows",
      {{"title", "Held"},
       {"settings",
        {{"calling_window", nullptr},
         {"exit_rules", Json::array({{{"event", "meeting_booked"}, {"status", "completed"}}})}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string wf = res.json()["id"];
  auto first = create_node(wf, "TIME", {{"delay_hours", 1}}, "First wait");
  auto second = create_node(wf, "TIME", {{"delay_hours", 1}}, "Second wait");
  auto done = create_node(wf, "CONVERTED");
  create_edge(wf, first, second);
  create_edge(wf, second, done);
  activate(wf);
  const std::string id = enroll(wf, {});
  settle();
  ASSERT_EQ(lead(wf, id)["current_node_id"], first);
  clock_->advance(hours(1));

  auto& store = app_->store();
  std::future<store::RecordEventsResult> event;
  const util::Millis now = clock_->now();
  const size_t claimed = store.run_due_steps(now, 10, [&](std::vector<store::DueLead>& batch) {
    store::StepWrites writes;
    for (auto& due : batch) {
      // What the executor would do: leave the first wait for the second.
      domain::Lead moved = due.lead;
      moved.current_node_id = second;
      moved.entered_at = now;
      moved.wait_kind = domain::WaitKind::kDelay;
      moved.next_action_at = now + 3'600'000;
      moved.updated_at = now;
      writes.leads.push_back(std::move(moved));
    }
    // The event comes while this batch holds the lead.
    event = std::async(std::launch::async, [&] {
      domain::InboundEvent e;
      e.id = "ev_concurrent0001";
      e.org_id = batch.front().lead.org_id;
      e.type = "meeting_booked";
      e.lead_id = id;
      e.created_at = now;
      return store.record_events({e}, now);
    });
    EXPECT_EQ(event.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
        << "the event must wait for the batch that holds its lead";
    return writes;
  });
  ASSERT_EQ(claimed, 1u);
  const auto result = event.get();
  ASSERT_EQ(result.events.size(), 1u);
  ASSERT_EQ(result.events[0].leads.size(), 1u);
  EXPECT_EQ(result.events[0].leads[0].effect, domain::EventEffect::kExited);

  const Json l = lead(wf, id);
  EXPECT_EQ(l["status"], "completed");
  EXPECT_EQ(l["current_node_id"], second) << "the batch's move was kept";
  EXPECT_EQ(l["next_action_at"], nullptr);
  advance(hours(2));
  EXPECT_EQ(lead(wf, id)["status"], "completed");
  EXPECT_EQ(lead(wf, id)["current_node_id"], second);
}

// Two bulk requests that name the same leads in opposite orders both go through: each locks
// the leads in one order (on PostgreSQL; SQLite runs them one after the other), so neither
// holds a lead the other waits for.
TEST_F(EventsWhileStepping, BulkRequestsNamingTheSameLeadsInOppositeOrdersDoNotDeadlock) {
  auto res = api().post("/v1/workflows", {{"title", "Many"}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string wf = res.json()["id"];
  create_node(wf, "TIME", {{"delay_days", 1}});
  const Json ids = enroll_numbered(wf, 200, "+1415557");
  ASSERT_EQ(ids.size(), 200u);
  const std::string org = app_->store().ensure_organization("Acme", clock_->now()).id;
  auto events_for = [&](bool reversed) {
    std::vector<domain::InboundEvent> events;
    for (size_t i = 0; i < ids.size(); ++i) {
      domain::InboundEvent e;
      e.id = util::new_id("ev");
      e.org_id = org;
      e.type = "replied";
      e.lead_id = ids[reversed ? ids.size() - 1 - i : i].get<std::string>();
      e.created_at = clock_->now();
      events.push_back(std::move(e));
    }
    return events;
  };
  auto& store = app_->store();
  for (int round = 0; round < 10; ++round) {
    auto forward = std::async(
        std::launch::async, [&] { return store.record_events(events_for(false), clock_->now()); });
    auto backward = std::async(
        std::launch::async, [&] { return store.record_events(events_for(true), clock_->now()); });
    ASSERT_NO_THROW(EXPECT_EQ(forward.get().events.size(), ids.size())) << "round " << round;
    ASSERT_NO_THROW(EXPECT_EQ(backward.get().events.size(), ids.size())) << "round " << round;
  }
  const Json events =
      api()
          .get("/v1/workflows/" + wf + "/leads/" + ids[0].get<std::string>() + "/events?limit=100")
          .json();
  EXPECT_EQ(events["meta"]["total"], 20) << events.dump().substr(0, 300);
}

}  // namespace
}  // namespace leadline::test
