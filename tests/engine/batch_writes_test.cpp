// A batch's writes reach the database in statements of many rows (SQLite: 32 rows per
// UPDATE ... FROM (VALUES ...); PostgreSQL: one JSON array per batch). A statement joined on
// its rows must not name a row twice, so a lead written twice in one batch keeps its last
// write, and its variables are written when any of its writes changed them.
#include "engine/engine_fixture.h"
#include "util/time.h"

namespace leadline::test {
namespace {

class BatchWrites : public EngineTest {};

TEST_F(BatchWrites, ALeadWrittenTwiceInOneBatchKeepsItsLastWrite) {
  auto res = api().post("/v1/workflows",
                        {{"title", "Twice"}, {"settings", {{"calling_window", nullptr}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string wf = res.json()["id"];
  auto first = create_node(wf, "TIME", {{"delay_hours", 1}}, "First wait");
  auto second = create_node(wf, "TIME", {{"delay_hours", 1}}, "Second wait");
  auto done = create_node(wf, "CONVERTED");
  create_edge(wf, first, second);
  create_edge(wf, second, done);
  activate(wf);
  constexpr int kLeads = 70;  // two full statements of 32 rows and a rest of 6
  const Json ids = enroll_numbered(wf, kLeads, "+1415556");
  ASSERT_EQ(ids.size(), size_t{kLeads});
  settle();
  clock_->advance(hours(1));

  const util::Millis now = clock_->now();
  const size_t claimed =
      app_->store().run_due_steps(now, 100, [&](std::vector<store::DueLead>& batch) {
        store::StepWrites writes;
        for (auto& due : batch) {
          domain::Lead moved = due.lead;  // the first write: on to the second wait, in an hour
          moved.current_node_id = second;
          moved.entered_at = now;
          moved.wait_kind = domain::WaitKind::kDelay;
          moved.next_action_at = now + 3'600'000;
          moved.updated_at = now;
          moved.variables["noted"] = "by the first write";
          moved.variables_changed = true;
          writes.leads.push_back(moved);
          moved.next_action_at = now + 7'200'000;  // the last write: in two hours
          moved.variables_changed = false;
          writes.leads.push_back(std::move(moved));
        }
        return writes;
      });
  ASSERT_EQ(claimed, size_t{kLeads});

  for (const auto& id : ids) {
    const Json l = lead(wf, id.get<std::string>());
    EXPECT_EQ(l["current_node_id"], second) << l.dump();
    EXPECT_EQ(l["next_action_at"], util::format_iso(now + 7'200'000)) << l.dump();
    EXPECT_EQ(l["dynamic_variables"]["noted"], "by the first write") << l.dump();
  }
  // Each lead left the first wait once and is counted once at the second.
  const Json graph = api().get("/v1/workflows/" + wf + "/graph").json();
  EXPECT_EQ(graph["status_counts"]["active"], kLeads) << graph["status_counts"].dump();
  advance(hours(1));  // the first write's time: nothing is due yet
  EXPECT_EQ(lead(wf, ids[0].get<std::string>())["current_node_id"], second);
  advance(hours(1));
  EXPECT_EQ(lead(wf, ids[0].get<std::string>())["status"], "completed");
}

// Most steps leave the context as they read it (a delay, a call placed); the store keeps the
// stored one for them instead of serializing and rewriting it, and writes it for a lead when
// any of its writes in the batch changed it.
TEST_F(BatchWrites, TheContextIsWrittenOnlyByTheWritesThatChangedIt) {
  auto res = api().post("/v1/workflows",
                        {{"title", "Context"}, {"settings", {{"calling_window", nullptr}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string wf = res.json()["id"];
  auto wait = create_node(wf, "TIME", {{"delay_hours", 1}}, "Wait");
  auto done = create_node(wf, "CONVERTED");
  create_edge(wf, wait, done);
  activate(wf);
  constexpr int kLeads = 40;  // a full statement of 32 rows and a rest
  const Json ids = enroll_numbered(wf, kLeads, "+1415557");
  ASSERT_EQ(ids.size(), size_t{kLeads});
  settle();
  clock_->advance(hours(1));

  // Even leads: one write, marked unchanged although it holds a new context (so what the store
  // keeps shows which it wrote). Odd leads: a changed write, then an unchanged one.
  const util::Millis now = clock_->now();
  auto rewrite = [&](std::vector<store::DueLead>& batch) {
    store::StepWrites writes;
    for (auto& due : batch) {
      domain::Lead moved = due.lead;
      moved.next_action_at = now + 3'600'000;
      moved.updated_at = now;
      moved.context["noted"] = "by a step";
      const bool odd = std::stoi(moved.phone_number.substr(moved.phone_number.size() - 2)) % 2;
      if (odd) writes.leads.push_back(moved);
      moved.context_unchanged = true;
      writes.leads.push_back(std::move(moved));
    }
    return writes;
  };
  ASSERT_EQ(app_->store().run_due_steps(now, 100, rewrite), size_t{kLeads});

  int odd = 0;
  for (const auto& id : ids) {
    const auto stored = app_->store().find_lead(wf, id.get<std::string>());
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->next_action_at, now + 3'600'000) << stored->id;
    const bool is_odd = std::stoi(stored->phone_number.substr(stored->phone_number.size() - 2)) % 2;
    odd += is_odd;
    EXPECT_EQ(stored->context.contains("noted"), is_odd) << stored->context.dump();
  }
  EXPECT_EQ(odd, kLeads / 2);
}

// PostgreSQL gets a batch's rows as one array literal per column, or as COPY's text (history,
// calls): quotes, backslashes, braces, commas, tabs, line breaks, COPY's end marker and null
// (\. and \N), the word NULL, an empty string and non-ASCII text all come back as written
// (SQLite binds each value: the same test holds there).
TEST_F(BatchWrites, TextOfEveryKindComesBackAsWritten) {
  const std::string tricky = "say \"hi\", C:\\dir\\ {a,b} \\\" Zürich 🚀\ttab\nline\r\n\\.\n\\N end";
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL", call_config({{"agent_id", "agent " + tricky}}),
                          "Call " + tricky);
  auto done = create_node(wf, "CONVERTED", Json::object(), "Done " + tricky);
  create_edge(wf, call, done);
  const Json variables = {{"sim_outcomes", "COMPLETED"},
                          {"tricky", tricky},
                          {"null_word", "NULL"},
                          {"empty", ""},
                          {"braces", "{}"},
                          {"quote", "\""}};
  auto id = enroll(wf, variables);
  activate(wf);
  settle();
  advance(seconds(30));
  const Json l = lead(wf, id);
  EXPECT_EQ(l["status"], "completed") << l.dump();
  for (const auto& [name, value] : variables.items())
    EXPECT_EQ(l["dynamic_variables"][name], value) << name;
  const Json h = history(wf, id);
  ASSERT_GE(h.size(), 2u) << h.dump();
  EXPECT_EQ(h.front()["label"], "Call " + tricky);
  EXPECT_EQ(h.back()["label"], "Done " + tricky);
  const Json calls = calls_of(id);
  ASSERT_EQ(calls.size(), 1u) << calls.dump();
  EXPECT_EQ(calls[0]["outcome"], "COMPLETED");
  EXPECT_EQ(calls[0]["agent_id"], "agent " + tricky);
}

}  // namespace
}  // namespace leadline::test
