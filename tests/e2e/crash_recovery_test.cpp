// Durability (issue 3): SIGKILL the server while thousands of leads are mid-workflow,
// restart it on the same SQLite file, and check that every lead finishes with exactly the
// calls its sim_outcomes imply — no lead lost, no attempt placed twice, no step repeated.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace leadline::test {
namespace {

std::string create_key(const std::string& database) {
  const std::string command =
      std::string(LEADLINE_BINARY) + " keys create --database " + database + " --org Crash";
  FILE* pipe = popen(command.c_str(), "r");
  std::string last, line;
  char buf[512];
  while (pipe && std::fgets(buf, sizeof buf, pipe)) {
    line = buf;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) last = line;
  }
  if (pipe) pclose(pipe);
  return last;
}

// The workflow: call (2 tries, 1 minute apart) -> COMPLETED: converted; otherwise wait a
// minute -> call once more -> COMPLETED: converted, otherwise dropped.
struct Expected {
  std::vector<std::string> outcomes;
  std::string status;
  size_t history_entries = 0;  // one per call attempt, the delay, and the terminal node
};
Expected expected_for(const std::vector<std::string>& sim) {
  Expected e;
  size_t i = 0;
  auto next = [&] { return sim[std::min(i++, sim.size() - 1)]; };
  for (int attempt = 1; attempt <= 2; ++attempt) {
    e.outcomes.push_back(next());
    const auto& o = e.outcomes.back();
    if (o == "COMPLETED") {
      e.status = "completed";
      e.history_entries = e.outcomes.size() + 1;
      return e;
    }
    if (o != "NO_ANSWER" && o != "BUSY" && o != "VOICEMAIL") break;
  }
  e.outcomes.push_back(next());
  e.status = e.outcomes.back() == "COMPLETED" ? "completed" : "dropped";
  e.history_entries = e.outcomes.size() + 2;
  return e;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

Json all_pages(HttpClient& api, const std::string& path) {
  Json items = Json::array();
  for (int page = 1;; ++page) {
    auto res = api.get(path + "&limit=100&page=" + std::to_string(page)).json();
    for (auto& item : res["data"]) items.push_back(item);
    if (page >= res["meta"]["totalPages"].get<int>()) return items;
  }
}

TEST(CrashRecovery, SigkillMidWorkflowLosesNoLeadAndPlacesNoCallTwice) {
  TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "crash.db").string();
  const std::string key = create_key(database);
  ASSERT_NE(key.find(':'), std::string::npos) << key;
  // 600x: a 30 s call lasts 50 ms of real time, a one-minute delay 100 ms.
  const std::vector<std::string> flags = {"--database",         database, "--time-scale", "600",
                                          "--sim-call-seconds", "30",     "--rate-limit", "0"};
  const std::vector<std::string> profiles = {
      "COMPLETED",     "NO_ANSWER,COMPLETED", "BUSY,NO_ANSWER,COMPLETED",
      "FAILED,FAILED", "VOICEMAIL",           "NO_ANSWER,BUSY,BUSY"};
  constexpr int kLeads = 3000;
  std::string wf;
  {
    auto server = std::make_unique<ServerProcess>(dir.path(), flags);
    HttpClient api(server->port(), key);
    // Calls at any hour: this test is about durability, and runs on the real clock.
    wf =
        api.post("/v1/workflows", {{"title", "Crash"}, {"settings", {{"calling_window", nullptr}}}})
            .json()["id"];
    auto node = [&](const Json& body) {
      return api.post("/v1/workflows/" + wf + "/nodes", body).json()["id"].get<std::string>();
    };
    const Json call = {{"agent_id", "agt"}, {"from_phone_number", "+14155550100"}};
    Json first_call = call;
    first_call["max_attempts"] = 2;
    first_call["retry_delay_minutes"] = 1;
    auto c1 = node({{"node_type", "VOICE_CALL"}, {"config", first_call}});
    auto wait = node({{"node_type", "TIME"}, {"config", {{"delay_minutes", 1}}}});
    auto c2 = node({{"node_type", "VOICE_CALL"}, {"config", call}});
    auto won = node({{"node_type", "CONVERTED"}});
    auto lost = node({{"node_type", "DROPPED"}});
    auto edge = [&](const std::string& from, const std::string& to, const Json& label) {
      ASSERT_EQ(api.post("/v1/workflows/" + wf + "/edges",
                         {{"from_node_id", from}, {"to_node_id", to}, {"label", label}})
                    .status,
                201);
    };
    edge(c1, won, "COMPLETED");
    edge(c1, wait, nullptr);
    edge(wait, c2, nullptr);
    edge(c2, won, "COMPLETED");
    edge(c2, lost, nullptr);
    Json leads = Json::array();
    for (int i = 0; i < kLeads; ++i)
      leads.push_back({{"phone_number", "+1212555" + std::to_string(10000 + i).substr(1)},
                       {"dynamic_variables", {{"sim_outcomes", profiles[i % profiles.size()]}}}});
    auto enrolled = api.post("/v1/workflows/" + wf + "/leads", {{"leads", leads}});
    ASSERT_EQ(enrolled.status, 201) << enrolled.body.substr(0, 500);
    ASSERT_EQ(enrolled.json()["leads_enrolled"], kLeads);
    ASSERT_EQ(api.post("/v1/workflows/" + wf + "/activate").status, 200);
    // Kill once some leads have finished and many are still on their way.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto counts = api.get("/v1/workflows/" + wf + "/graph").json()["status_counts"];
      const int done = counts["completed"].get<int>() + counts["dropped"].get<int>();
      if (done > 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    auto counts = api.get("/v1/workflows/" + wf + "/graph").json()["status_counts"];
    server->kill_hard();
    ASSERT_GT(counts["active"].get<int>() + counts["pending"].get<int>(), 0)
        << "killed too late to test anything: " << counts.dump();
  }

  ServerProcess server(dir.path(), flags);
  HttpClient api(server.port(), key);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  Json counts;
  while (std::chrono::steady_clock::now() < deadline) {
    counts = api.get("/v1/workflows/" + wf + "/graph").json()["status_counts"];
    if (counts["completed"].get<int>() + counts["dropped"].get<int>() == kLeads) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(counts["completed"].get<int>() + counts["dropped"].get<int>(), kLeads) << counts.dump();

  std::map<std::string, std::vector<Json>> calls_by_lead;
  for (auto& call : all_pages(api, "/v1/calls?workflow_id=" + wf))
    calls_by_lead[call["lead_id"]].push_back(call);
  auto leads = all_pages(api, "/v1/workflows/" + wf + "/leads?x=1");
  ASSERT_EQ(leads.size(), static_cast<size_t>(kLeads));
  int checked_histories = 0;
  for (auto& lead : leads) {
    const auto expected = expected_for(split(lead["dynamic_variables"]["sim_outcomes"]));
    auto calls = calls_by_lead[lead["id"]];
    std::sort(calls.begin(), calls.end(), [](const Json& a, const Json& b) {
      return a["created_at"] < b["created_at"] ||
             (a["created_at"] == b["created_at"] && a["attempt"] < b["attempt"]);
    });
    std::vector<std::string> outcomes;
    std::set<std::pair<std::string, int>> attempts;
    for (auto& call : calls) {
      outcomes.push_back(call["outcome"].is_string() ? call["outcome"].get<std::string>() : "?");
      EXPECT_TRUE(
          attempts.insert({call["node_id"].get<std::string>(), call["attempt"].get<int>()}).second)
          << "attempt placed twice for lead " << lead["id"];
    }
    EXPECT_EQ(outcomes, expected.outcomes) << lead.dump();
    EXPECT_EQ(lead["status"], expected.status) << lead.dump();
    if (checked_histories++ < 300) {  // a sample: every step appears once
      auto history =
          api.get("/v1/workflows/" + wf + "/leads/" + lead["id"].get<std::string>() + "/history")
              .json()["history"];
      std::set<std::string> steps;
      for (auto& h : history) {
        const std::string step =
            h["node_id"].get<std::string>() + "#" +
            (h["attempt"].is_null() ? "-" : std::to_string(h["attempt"].get<int>()));
        EXPECT_TRUE(steps.insert(step).second) << "step repeated: " << history.dump();
      }
      EXPECT_EQ(history.size(), expected.history_entries) << history.dump();
    }
  }
}

}  // namespace
}  // namespace leadline::test
