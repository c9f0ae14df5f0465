// Lifecycle rules of spec §2.8 as the engine sees them, on a manual clock.
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

// call -> wait 1 day -> converted
struct CallThenWait {
  std::string wf, call, wait, done;
};

class LifecycleTest : public EngineTest {
 protected:
  CallThenWait build() {
    CallThenWait g;
    g.wf = create_workflow();
    g.call = create_node(g.wf, "VOICE_CALL", call_config());
    g.wait = create_node(g.wf, "TIME", {{"delay_hours", 24}});
    g.done = create_node(g.wf, "CONVERTED");
    create_edge(g.wf, g.call, g.wait);
    create_edge(g.wf, g.wait, g.done);
    return g;
  }
  void post(const std::string& wf, const std::string& action) {
    auto res = api().post("/v1/workflows/" + wf + "/" + action);
    ASSERT_EQ(res.status, 200) << res.body;
  }
};

TEST_F(LifecycleTest, PauseFreezesDelaysAndResumeWaitsOnlyWhatWasLeft) {
  auto g = build();
  auto id = enroll(g.wf, {{"sim_outcomes", "COMPLETED"}});
  activate(g.wf);
  settle();
  advance(seconds(30));  // call done; 24 h delay starts now
  ASSERT_EQ(lead(g.wf, id)["current_node_id"], g.wait);
  advance(hours(10));
  post(g.wf, "pause");
  advance(hours(100));  // paused: nothing moves
  EXPECT_EQ(lead(g.wf, id)["current_node_id"], g.wait);
  post(g.wf, "resume");
  advance(hours(13));
  EXPECT_EQ(lead(g.wf, id)["status"], "active");  // 14 h were left
  advance(hours(1));
  EXPECT_EQ(lead(g.wf, id)["status"], "completed");
}

TEST_F(LifecycleTest, CallRingingAtPauseIsRecordedButTheLeadWaitsForResume) {
  auto g = build();
  auto id = enroll(g.wf, {{"sim_outcomes", "COMPLETED"}});
  activate(g.wf);
  settle();
  post(g.wf, "pause");
  advance(seconds(30));
  auto calls = calls_of(id);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["outcome"], "COMPLETED");           // the step under way finished
  EXPECT_EQ(lead(g.wf, id)["current_node_id"], g.call);  // but the lead did not move on
  post(g.wf, "resume");
  settle();
  EXPECT_EQ(lead(g.wf, id)["current_node_id"], g.wait);
  EXPECT_EQ(calls_of(id).size(), 1u);  // no second call
}

TEST_F(LifecycleTest, LeadsEnrolledWhilePausedStartAtTheEntryOnResume) {
  auto g = build();
  activate(g.wf);
  post(g.wf, "pause");
  auto id = enroll(g.wf, {{"sim_outcomes", "COMPLETED"}});
  advance(hours(1));
  EXPECT_EQ(lead(g.wf, id)["status"], "pending");
  post(g.wf, "resume");
  settle();
  EXPECT_EQ(lead(g.wf, id)["current_node_id"], g.call);
}

TEST_F(LifecycleTest, CancelEndsEveryLeadButLetsRingingCallsFinish) {
  auto g = build();
  auto ringing = enroll(g.wf, {{"sim_outcomes", "COMPLETED"}});
  activate(g.wf);
  settle();
  auto waiting = enroll(g.wf, {{"sim_outcomes", "COMPLETED"}}, "+14155550124");
  post(g.wf, "cancel");
  advance(seconds(30));
  EXPECT_EQ(lead(g.wf, ringing)["status"], "cancelled");
  EXPECT_EQ(lead(g.wf, waiting)["status"], "cancelled");
  EXPECT_EQ(calls_of(ringing)[0]["status"], "completed");
  EXPECT_TRUE(calls_of(waiting).empty());
  advance(days(5));
  EXPECT_EQ(lead(g.wf, ringing)["current_node_id"], g.call);
  // With the call recorded, the workflow can be deleted.
  EXPECT_EQ(api().del("/v1/workflows/" + g.wf).status, 200);
}

TEST_F(LifecycleTest, DeactivateFreezesAndReactivationContinues) {
  auto g = build();
  auto id = enroll(g.wf, {{"sim_outcomes", "COMPLETED"}});
  activate(g.wf);
  settle();
  advance(seconds(30));
  advance(hours(20));
  ASSERT_EQ(api().patch("/v1/workflows/" + g.wf + "/status", {{"action", "deactivate"}}).status,
            200);
  advance(hours(50));
  EXPECT_EQ(lead(g.wf, id)["status"], "active");
  activate(g.wf);
  advance(hours(3));
  EXPECT_EQ(lead(g.wf, id)["status"], "active");
  advance(hours(1));
  EXPECT_EQ(lead(g.wf, id)["status"], "completed");
}

TEST_F(LifecycleTest, RemovedLeadStopsAndItsRingingCallIsStillRecorded) {
  auto g = build();
  auto id = enroll(g.wf, {{"sim_outcomes", "COMPLETED"}});
  activate(g.wf);
  settle();
  ASSERT_EQ(api().del("/v1/workflows/" + g.wf + "/leads/" + id).status, 200);
  advance(seconds(30));
  EXPECT_EQ(lead(g.wf, id)["status"], "removed");
  EXPECT_EQ(calls_of(id)[0]["status"], "completed");
  advance(days(2));
  EXPECT_EQ(lead(g.wf, id)["current_node_id"], g.call);
}

}  // namespace
}  // namespace leadline::test
