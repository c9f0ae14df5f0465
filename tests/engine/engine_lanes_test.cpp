// Several engine lanes in one process (`--engine-threads`, PostgreSQL only) share the work as
// several processes do: each lane claims its own batches with SKIP LOCKED, every lead takes
// each step once, and a capped number is called once whichever lanes hold its leads. On SQLite
// the server refuses more than one lane (one writer: a second lane could only wait).
#include <map>

#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

constexpr int kLanes = 4;

class EngineLanes : public EngineTest {};

TEST_F(EngineLanes, FourLanesStepEveryLeadOnceAndCallACappedNumberOnce) {
  if (!db_.postgres()) GTEST_SKIP() << "engine lanes run side by side only on PostgreSQL";
  ASSERT_EQ(
      api()
          .patch("/v1/organization",
                 {{"settings", {{"contact_caps", Json::array({{{"calls", 1}, {"hours", 24}}})}}}})
          .status,
      200);
  // The same 60 numbers in five one-call workflows, stepped in batches of 40, so the lanes
  // batches hold leads of one number at the same time.
  constexpr int kWorkflows = 5, kNumbers = 60;
  std::vector<std::string> workflows;
  for (int w = 0; w < kWorkflows; ++w) {
    auto res = api().post("/v1/workflows", {{"title", "Lane " + std::to_string(w)},
                                            {"settings", {{"calling_window", nullptr}}}});
    ASSERT_EQ(res.status, 201) << res.body;
    const std::string wf = res.json()["id"];
    auto call = create_node(wf, "VOICE_CALL", call_config());
    create_edge(wf, call, create_node(wf, "CONVERTED"), "COMPLETED");
    create_edge(wf, call, create_node(wf, "DROPPED"));
    Json leads = Json::array();
    for (int n = 0; n < kNumbers; ++n)
      leads.push_back({{"phone_number", "+1212555" + std::to_string(1000 + n)},
                       {"dynamic_variables", {{"sim_outcomes", "COMPLETED"}}}});
    ASSERT_EQ(api().post("/v1/workflows/" + wf + "/leads", {{"leads", leads}}).status, 201);
    workflows.push_back(wf);
  }
  for (const auto& wf : workflows) activate(wf);

  engine::SchedulerOptions lanes;
  lanes.lanes = kLanes;
  lanes.batch_size = 40;
  lanes.simulator.call_millis = 30'000;
  engine::Scheduler scheduler(app_->store(), *clock_, lanes);
  const std::size_t placed = scheduler.drain();
  clock_->advance(std::chrono::seconds(31));
  const std::size_t ended = scheduler.drain();
  EXPECT_EQ(scheduler.stats().failures, 0u);

  std::map<std::string, int> calls_per_number;
  int converted = 0, capped = 0;
  for (const auto& wf : workflows) {
    const Json page = api().get("/v1/workflows/" + wf + "/leads?limit=100").json();
    ASSERT_EQ(page["data"].size(), static_cast<size_t>(kNumbers)) << page.dump();
    for (const auto& l : page["data"]) {
      const Json calls = calls_of(l["id"]);
      calls_per_number[l["phone_number"]] += static_cast<int>(calls.size());
      if (l["status"] == "completed") {
        ++converted;
        EXPECT_EQ(calls.size(), 1u);
      } else {
        ++capped;
        EXPECT_TRUE(calls.empty()) << l.dump();
        EXPECT_EQ(
            api()
                .get("/v1/workflows/" + wf + "/leads/" + l["id"].get<std::string>() + "/history")
                .json()["execution"]["waiting_for"],
            "contact_cap");
      }
    }
  }
  ASSERT_EQ(calls_per_number.size(), static_cast<size_t>(kNumbers));
  for (const auto& [number, calls] : calls_per_number)
    EXPECT_EQ(calls, 1) << number << " was called " << calls << " times";
  EXPECT_EQ(converted, kNumbers);
  EXPECT_EQ(capped, (kWorkflows - 1) * kNumbers);
  // Each lead was stepped once to place or hold its call, each call's end once more.
  EXPECT_EQ(placed, static_cast<size_t>(kWorkflows * kNumbers));
  EXPECT_EQ(ended, static_cast<size_t>(kNumbers));
}

TEST_F(EngineLanes, SqliteRefusesMoreThanOneEngineThread) {
  if (db_.postgres()) GTEST_SKIP() << "PostgreSQL runs several lanes";
  auto o = options();
  o.engine_threads = 2;
  try {
    app::Application refused(o);
    FAIL() << "a SQLite server started with two engine threads";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--engine-threads above 1 needs PostgreSQL"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(EngineLanes, EngineThreadsOutOfRangeAreRefused) {
  for (const std::int64_t threads : {0, 9}) {
    auto o = options();
    o.engine_threads = threads;
    try {
      app::Application refused(o);
      FAIL() << "a server started with " << threads << " engine threads";
    } catch (const std::invalid_argument& e) {
      EXPECT_STREQ(e.what(), "--engine-threads must be from 1 to 8");
    }
  }
}

}  // namespace
}  // namespace leadline::test
