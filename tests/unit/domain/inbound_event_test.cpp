#include "domain/inbound_event.h"

#include <gtest/gtest.h>

#include "domain/conditions.h"

namespace leadline::domain {
namespace {

const Json kSettings = {{"exit_rules",
                         {{{"event", "meeting_booked"}, {"status", "completed"}},
                          {{"event", "unsubscribed"}, {"status", "dropped"}}}}};

Lead waiting_lead(WaitKind wait) {
  Lead lead;
  lead.id = "lead_1";
  lead.workflow_id = "wf_1";
  lead.status = LeadStatus::kActive;
  lead.current_node_id = "node_1";
  lead.wait_kind = wait;
  lead.next_action_at = 5'000'000;
  lead.entered_at = 1'000;
  return lead;
}

InboundEvent event_of(std::string type, Json data = Json::object()) {
  InboundEvent e;
  e.id = "ev_1";
  e.type = std::move(type);
  e.data = std::move(data);
  return e;
}

TEST(ExitRules, AreCheckedAndMatchedByEventType) {
  ConfigProblems problems("settings");
  check_exit_rules(kSettings["exit_rules"], problems);
  EXPECT_TRUE(problems.take().empty());
  check_exit_rules({{{"event", "bad name"}, {"status", "won"}}, 3}, problems);
  EXPECT_EQ(problems.take().size(), 3u);
  check_exit_rules("x", problems);
  EXPECT_EQ(problems.take().size(), 1u);

  EXPECT_EQ(matching_exit_rule(kSettings, "MEETING_BOOKED")->status, LeadStatus::kCompleted);
  EXPECT_EQ(matching_exit_rule(kSettings, "unsubscribed")->status, LeadStatus::kDropped);
  EXPECT_FALSE(matching_exit_rule(kSettings, "replied"));
  EXPECT_FALSE(matching_exit_rule(Json::object(), "replied"));
}

TEST(ApplyEvent, AnExitRuleEndsADelayedLeadAndUnschedulesIt) {
  Lead lead = waiting_lead(WaitKind::kDelay);
  const auto applied = apply_event(lead, event_of("meeting_booked"), kSettings, nullptr, 9'000);
  EXPECT_EQ(applied.effect, EventEffect::kExited);
  EXPECT_EQ(lead.status, LeadStatus::kCompleted);
  EXPECT_EQ(lead.wait_kind, WaitKind::kNone);
  EXPECT_FALSE(lead.next_action_at);
  ASSERT_EQ(applied.history.size(), 2u);
  EXPECT_EQ(applied.history[0].status, "event");
  EXPECT_EQ(applied.history[1].status, "exited");
  EXPECT_EQ(applied.history[1].node_id, "node_1");
}

TEST(ApplyEvent, AnExitDuringACallKeepsTheCallsWakeUpSoItIsRecorded) {
  Lead lead = waiting_lead(WaitKind::kCall);
  apply_event(lead, event_of("unsubscribed"), kSettings, nullptr, 9'000);
  EXPECT_EQ(lead.status, LeadStatus::kDropped);
  EXPECT_EQ(lead.wait_kind, WaitKind::kCallDetached);
  EXPECT_EQ(lead.next_action_at, 5'000'000);
  EXPECT_EQ(lead.context["drop_reason"], "exit_rule");
}

TEST(ApplyEvent, WakesALeadWaitingForEventsAndOnlyRecordsOthers) {
  Lead waiting = waiting_lead(WaitKind::kEvent);
  EXPECT_EQ(apply_event(waiting, event_of("replied"), kSettings, nullptr, 9'000).effect,
            EventEffect::kResumed);
  EXPECT_EQ(waiting.next_action_at, 9'000);
  Lead delayed = waiting_lead(WaitKind::kDelay);
  EXPECT_EQ(apply_event(delayed, event_of("replied"), kSettings, nullptr, 9'000).effect,
            EventEffect::kRecorded);
  EXPECT_EQ(delayed.next_action_at, 5'000'000);
  Lead ended = waiting_lead(WaitKind::kNone);
  ended.status = LeadStatus::kCompleted;
  const auto applied = apply_event(ended, event_of("unsubscribed"), kSettings, nullptr, 9'000);
  EXPECT_EQ(applied.effect, EventEffect::kRecorded);
  EXPECT_EQ(ended.status, LeadStatus::kCompleted);
  EXPECT_EQ(applied.history.size(), 1u);
}

TEST(ApplyEvent, CountsEventsForConditionsAndOrdersThemForWaits) {
  Lead lead = waiting_lead(WaitKind::kEvent);
  apply_event(lead, event_of("replied", {{"sentiment", "neutral"}}), Json::object(), nullptr, 1);
  const std::int64_t entered = latest_event_seq(lead);
  EXPECT_EQ(entered, 1);
  EXPECT_FALSE(event_after(lead, {"replied"}, entered)) << "came before the wait";
  apply_event(lead, event_of("clicked"), Json::object(), nullptr, 2);
  apply_event(lead, event_of("replied", {{"sentiment", "positive"}}), Json::object(), nullptr, 3);
  EXPECT_EQ(event_after(lead, {"Replied", "clicked"}, entered), "clicked") << "the first to come";
  EXPECT_EQ(event_after(lead, {"replied"}, entered), "replied");

  ConditionContext context;
  context.events = &lead.context["events"];
  EXPECT_EQ(lookup_field(context, "events.replied.count"), "2");
  EXPECT_EQ(lookup_field(context, "events.booked.count"), "0");
  EXPECT_EQ(lookup_field(context, "events.replied.data.sentiment"), "positive");
  EXPECT_EQ(lookup_field(context, "events.booked.data.sentiment"), std::nullopt);
}

TEST(ApplyEvent, KeepsTheLatest32TypesInTheContext) {
  Lead lead = waiting_lead(WaitKind::kEvent);
  for (int i = 0; i < 40; ++i)
    apply_event(lead, event_of("type_" + std::to_string(i)), Json::object(), nullptr, i);
  const Json& events = lead.context["events"];
  EXPECT_EQ(events.size(), 32u);
  EXPECT_FALSE(events.contains("type_7")) << "the oldest make room";
  EXPECT_TRUE(events.contains("type_8"));
  EXPECT_TRUE(events.contains("type_39"));
  EXPECT_EQ(event_after(lead, {"type_39"}, 38), "type_39") << "the newest is always kept";
  EXPECT_EQ(latest_event_seq(lead), 40);
}

}  // namespace
}  // namespace leadline::domain
