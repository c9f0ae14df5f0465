#include "engine/http_job_runner.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>

#include "providers/http_client.h"
#include "util/json_parse.h"

namespace leadline::engine {

HttpJobRunner::HttpJobRunner(store::ExecutionStore& store, const util::Clock& clock,
                             bool allow_private_targets, unsigned threads)
    : store_(store),
      clock_(clock),
      allow_private_targets_(allow_private_targets),
      per_org_threads_(std::max(1u, threads / 2)),
      pool_(threads) {}

HttpJobRunner::~HttpJobRunner() { pool_.join(); }

void HttpJobRunner::submit(HttpJob job) {
  ++in_flight_;
  std::lock_guard lock(mutex_);
  auto& org = orgs_[job.org_id];
  if (org.running >= per_org_threads_) {
    org.waiting.push_back(std::move(job));
    return;
  }
  ++org.running;
  start(std::move(job));
}

void HttpJobRunner::start(HttpJob job) {
  boost::asio::post(pool_, [this, job = std::move(job)] {
    run(job);
    finish(job.org_id);
  });
}

void HttpJobRunner::finish(const std::string& org_id) {
  {
    std::lock_guard lock(mutex_);
    auto it = orgs_.find(org_id);
    if (!it->second.waiting.empty()) {
      start(std::move(it->second.waiting.front()));  // the freed thread goes to the same org
      it->second.waiting.pop_front();
    } else if (--it->second.running == 0) {
      orgs_.erase(it);
    }
  }
  ++finished_;  // before in_flight_ drops, so a waiter that sees 0 in flight sees this too
  --in_flight_;
}

void HttpJobRunner::run(const HttpJob& job) {
  providers::OutboundRequest request;
  request.method = job.method;
  request.url = job.url;
  request.headers = job.headers;
  request.body = job.body;
  request.timeout = std::chrono::milliseconds(job.timeout_ms);
  request.allow_private_targets = allow_private_targets_;
  const auto response = providers::send_request(request);
  Json result;
  const bool ok = response.status >= 200 && response.status < 300;
  result["status"] = ok ? "success" : "failure";
  result["status_code"] = response.status;
  result["response"] = util::parse_json_or_text(response.body);
  if (!ok)
    result["error"] =
        response.status == 0 ? response.error : "HTTP " + std::to_string(response.status);
  try {
    store_.record_action_result(job.lead_id, job.node_id, result, clock_.now());
  } catch (const std::exception& e) {
    // The lead's lease expires and the request is sent again.
    spdlog::warn("could not record the HTTP answer for lead {}: {}", job.lead_id, e.what());
  }
}

}  // namespace leadline::engine
