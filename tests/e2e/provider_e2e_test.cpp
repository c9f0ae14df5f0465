// The whole loop against a DialNexa-style provider run by the test on loopback (issue 4's
// "done when"): the real binary places calls over HTTP, the provider reports each outcome
// back to POST /v1/call-events (signed), leads branch on them and retry — and the server is
// SIGKILLed midway. Every lead finishes, every attempt reaches the provider under one
// Idempotency-Key, and no attempt exists twice.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "e2e/e2e_helpers.h"
#include "support/http_client.h"
#include "support/http_peer.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/test_database.h"
#include "util/crypto.h"

namespace leadline::test {
namespace {

constexpr const char* kSecret = "provider-signing-secret";

// A provider that deduplicates by Idempotency-Key (as DialNexa-style APIs do) and reports
// each new call's end from its own thread, retrying until the server takes the report.
class FakeProvider {
 public:
  FakeProvider() {
    reporter_ = std::thread([this] { report_loop(); });
  }
  ~FakeProvider() {
    stopping_ = true;
    reporter_.join();
  }
  std::string url() const { return peer_.url(); }
  void point_at(std::uint16_t port) { port_ = port; }
  std::size_t requests() const { return peer_.request_count(); }
  std::set<std::string> keys() {
    std::lock_guard lock(mutex_);
    return keys_;
  }

 private:
  PeerReply take(const PeerRequest& request) {
    const Json body = request.json();
    const std::string key = request.header("idempotency-key");
    const Json metadata = body.value("metadata", Json::object());
    std::lock_guard lock(mutex_);
    if (keys_.insert(key).second) {
      // Odd leads do not pick up their first call; everyone answers the second.
      const bool odd = std::stoi(metadata.value("index", "0")) % 2 == 1;
      const int attempt = metadata.value("attempt", 1);
      const std::string reason = odd && attempt == 1 ? "user_did_not_pick_up" : "user_hangup";
      pending_.push_back({{"event_type", "call_ended"},
                          {"payload",
                           {{"call",
                             {{"id", "pc_" + key},
                              {"status", "ended"},
                              {"end_reason", reason},
                              {"duration_seconds", reason == "user_hangup" ? 20 : 0},
                              {"metadata", metadata}}}}}});
    }
    return PeerReply{201, Json{{"id", "pc_" + key}}.dump()};
  }

  void report_loop() {
    std::unique_ptr<HttpClient> client;
    std::uint16_t connected_to = 0;
    while (!stopping_) {
      Json event;
      {
        std::lock_guard lock(mutex_);
        if (!pending_.empty()) {
          event = pending_.front();
          pending_.pop_front();
        }
      }
      if (event.is_null() || port_ == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      bool delivered = false;
      try {
        if (!client || connected_to != port_) {
          connected_to = port_;
          client = std::make_unique<HttpClient>(connected_to);
        }
        const std::string raw = event.dump();
        auto res =
            client->request("POST", "/v1/call-events", raw,
                            {{"X-Signature", "sha256=" + util::hmac_sha256_hex(kSecret, raw)}});
        delivered = res.status == 200;
      } catch (const std::exception&) {
        client.reset();  // the server is down: try again once it is back
      }
      if (!delivered) {
        std::lock_guard lock(mutex_);
        pending_.push_back(event);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }

  HttpPeer peer_{[this](const PeerRequest& r) { return take(r); }};
  std::mutex mutex_;
  std::set<std::string> keys_;
  std::deque<Json> pending_;
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> stopping_{false};
  std::thread reporter_;
};

TEST(ProviderEndToEnd, CallsPlacedOnceOutcomesFlowBackAndACrashLosesNothing) {
  TempDir dir;
  TestDatabase db(dir.path(), "provider.db");
  const std::string key = create_key(db.url());
  FakeProvider provider;
  const std::vector<std::string> flags = {
      "--database", db.url(), "--time-scale", "600", "--rate-limit", "0", "--call-provider", "http",
      "--provider-url", provider.url(), "--provider-key", "pk_test", "--provider-secret", kSecret,
      "--allow-private-targets",
      // The clock runs 600x, also while the server is
      // down: a 30-minute call timeout would pass during
      // the restart. Calls here end by report only.
      "--call-timeout", "8640000"};
  constexpr int kLeads = 300;
  std::string wf;
  {
    auto server = std::make_unique<ServerProcess>(dir.path(), flags);
    provider.point_at(server->port());
    HttpClient api(server->port(), key);
    wf = api.post("/v1/workflows",
                  {{"title", "Provider"}, {"settings", {{"calling_window", nullptr}}}})
             .json()["id"];
    auto node = [&](const Json& body) {
      return api.post("/v1/workflows/" + wf + "/nodes", body).json()["id"].get<std::string>();
    };
    auto call = node({{"node_type", "VOICE_CALL"},
                      {"config",
                       {{"agent_id", "agt"},
                        {"from_phone_number", "+14155550100"},
                        {"max_attempts", 2},
                        {"retry_delay_minutes", 1}}}});
    auto won = node({{"node_type", "CONVERTED"}});
    auto lost = node({{"node_type", "DROPPED"}});
    ASSERT_EQ(api.post("/v1/workflows/" + wf + "/edges",
                       {{"from_node_id", call}, {"to_node_id", won}, {"label", "COMPLETED"}})
                  .status,
              201);
    ASSERT_EQ(api.post("/v1/workflows/" + wf + "/edges",
                       {{"from_node_id", call}, {"to_node_id", lost}, {"label", nullptr}})
                  .status,
              201);
    Json leads = Json::array();
    for (int i = 0; i < kLeads; ++i)
      leads.push_back({{"phone_number", "+1212555" + std::to_string(10000 + i).substr(1)},
                       {"dynamic_variables", {{"index", std::to_string(i)}}}});
    ASSERT_EQ(api.post("/v1/workflows/" + wf + "/leads", {{"leads", leads}}).status, 201);
    ASSERT_EQ(api.post("/v1/workflows/" + wf + "/activate").status, 200);
    // Kill once the provider has taken some calls and others are still to come.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (provider.keys().size() < kLeads / 3 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    server->kill_hard();
    ASSERT_LT(provider.keys().size(), static_cast<size_t>(kLeads + kLeads / 2))
        << "killed too late to test anything";
  }

  ServerProcess server(dir.path(), flags);
  provider.point_at(server.port());
  HttpClient api(server.port(), key);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  Json counts;
  while (std::chrono::steady_clock::now() < deadline) {
    counts = api.get("/v1/workflows/" + wf + "/graph").json()["status_counts"];
    if (counts.value("completed", 0) == kLeads || counts.value("dropped", 0) > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(counts.value("completed", 0), kLeads) << counts.dump();

  // Every attempt exists once, and the provider saw exactly those attempts' keys.
  auto calls = all_pages(api, "/v1/calls?workflow_id=" + wf);
  std::map<std::string, int> calls_per_lead;
  std::set<std::string> attempts;
  for (const auto& c : calls) {
    ++calls_per_lead[c["lead_id"]];
    EXPECT_EQ(c["status"] == "completed" || c["status"] == "no_answer", true) << c.dump();
    EXPECT_TRUE(attempts
                    .insert(c["lead_id"].get<std::string>() + ":" +
                            c["node_id"].get<std::string>() + ":" +
                            std::to_string(c["attempt"].get<int>()))
                    .second)
        << "attempt placed twice: " << c.dump();
  }
  EXPECT_EQ(calls.size(), static_cast<size_t>(kLeads + kLeads / 2));
  EXPECT_EQ(provider.keys(), attempts);
  for (const auto& lead : all_pages(api, "/v1/workflows/" + wf + "/leads?x=1")) {
    const int index = std::stoi(lead["dynamic_variables"]["index"].get<std::string>());
    EXPECT_EQ(calls_per_lead[lead["id"]], index % 2 == 1 ? 2 : 1) << lead.dump();
  }
}

}  // namespace
}  // namespace leadline::test
