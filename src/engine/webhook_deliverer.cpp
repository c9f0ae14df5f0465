#include "engine/webhook_deliverer.h"

#include <algorithm>
#include <random>

#include <spdlog/spdlog.h>

#include "domain/event.h"
#include "engine/isolating_write.h"
#include "providers/http_client.h"
#include "util/crypto.h"
#include "util/ids.h"
#include "util/utf8.h"

namespace leadline::engine {
namespace {
constexpr size_t kMaxErrorLength = 300;

bool is_success(int status) { return status >= 200 && status < 300; }

std::string describe_failure(const providers::HttpResponse& response) {
  std::string error = response.status == 0
                          ? response.error
                          : "HTTP " + std::to_string(response.status) +
                                (response.body.empty() ? "" : ": " + response.body);
  if (error.empty()) error = "no answer";
  if (error.size() > kMaxErrorLength) error = error.substr(0, kMaxErrorLength) + "...";
  // Receivers answer in any encoding, and a cut may split a character: stored text must be
  // UTF-8 (PostgreSQL refuses anything else, and the delivery would be retried forever).
  return util::to_valid_utf8(error);
}

double random_unit() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}
}  // namespace

util::Millis retry_delay(int attempts, const DelivererOptions& options, double jitter) {
  double delay = static_cast<double>(options.first_retry_millis);
  for (int i = 1; i < attempts && delay < static_cast<double>(options.max_retry_millis); ++i)
    delay *= 2;
  delay = std::min(delay, static_cast<double>(options.max_retry_millis));
  return static_cast<util::Millis>(delay * (0.8 + 0.2 * std::clamp(jitter, 0.0, 1.0)));
}

SignedRequest sign_delivery(const store::ClaimedDelivery& claimed) {
  const auto& d = claimed.delivery;
  SignedRequest out;
  out.body = domain::webhook_body(d.event_type, d.created_at, d.payload);
  out.headers = {{"Content-Type", "application/json"},
                 {"X-Signature", "sha256=" + util::hmac_sha256_hex(claimed.secret, out.body)},
                 {"X-Event-Id", d.event_id},
                 {"X-Event-Type", d.event_type},
                 {"X-Webhook-Id", d.webhook_id},
                 {"X-Delivery-Attempt", std::to_string(d.attempts + 1)},
                 {"User-Agent", "Leadline-Webhooks/1"}};
  return out;
}

WebhookDeliverer::WebhookDeliverer(store::DeliveryOutbox& store, const util::Clock& clock,
                                   DelivererOptions options)
    : store_(store), clock_(clock), options_(options), owner_(util::new_id("dlv")) {
  if (options_.org_rate_per_second > 0) pacer_.emplace(options_.org_rate_per_second);
}

WebhookDeliverer::~WebhookDeliverer() { stop(); }

void WebhookDeliverer::start() {
  if (running_.exchange(true)) return;
  for (size_t i = 0; i < std::max<size_t>(1, options_.lanes); ++i)
    threads_.emplace_back([this] { loop(Lane::kFast); });
  threads_.emplace_back([this] { loop(Lane::kSlow); });
}

void WebhookDeliverer::stop() {
  if (!running_.exchange(false)) return;
  { std::lock_guard lock(wake_mutex_); }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

std::size_t WebhookDeliverer::drain() {
  std::size_t total = 0;
  while (std::size_t n =
             run_batch(clock_.now(), Lane::kFast) + run_batch(clock_.now(), Lane::kSlow))
    total += n;
  return total;
}

std::vector<std::string> WebhookDeliverer::slow_webhooks() {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(slow_mutex_);
  std::vector<std::string> ids;
  for (auto it = slow_until_.begin(); it != slow_until_.end();) {
    if (it->second <= now) {
      it = slow_until_.erase(it);
    } else {
      ids.push_back(it->first);
      ++it;
    }
  }
  return ids;
}

void WebhookDeliverer::note_answer_time(const std::string& webhook_id,
                                        std::chrono::steady_clock::duration took, bool answered) {
  if (answered && took < options_.slow_after) return;
  std::lock_guard lock(slow_mutex_);
  slow_until_[webhook_id] = std::chrono::steady_clock::now() + options_.slow_for;
}

std::size_t WebhookDeliverer::run_batch(util::Millis now, Lane lane) {
  store::WebhookScope scope{slow_webhooks(), lane == Lane::kSlow};
  if (lane == Lane::kSlow && scope.webhook_ids.empty()) return 0;
  auto claimed =
      store_.claim_deliveries(now, options_.batch_size, owner_, options_.lease_millis, scope);
  if (claimed.empty()) return 0;
  std::vector<store::DeliveryOutcome> outcomes(claimed.size());
  std::vector<size_t> to_send;
  to_send.reserve(claimed.size());
  for (size_t i = 0; i < claimed.size(); ++i) {
    const auto later = pacer_ ? pacer_->admit(claimed[i].org_id, now) : std::nullopt;
    if (!later) {
      to_send.push_back(i);
      continue;
    }
    auto& o = outcomes[i];
    o.delivery_id = claimed[i].delivery.id;
    o.status = "deferred";
    o.next_attempt_at = *later;
    o.at = now;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k = next++; k < to_send.size(); k = next++) {
      const size_t i = to_send[k];
      const auto& c = claimed[i];
      auto signed_request = sign_delivery(c);
      providers::OutboundRequest request;
      request.method = "POST";
      request.url = c.url;
      request.headers = std::move(signed_request.headers);
      request.body = std::move(signed_request.body);
      request.timeout = options_.timeout;
      request.allow_private_targets = options_.allow_private_targets;
      const auto sent_at = std::chrono::steady_clock::now();
      const auto response = http_.send(request);
      note_answer_time(c.delivery.webhook_id, std::chrono::steady_clock::now() - sent_at,
                       response.status != 0);
      const util::Millis at = clock_.now();
      auto& o = outcomes[i];
      o.delivery_id = c.delivery.id;
      o.at = at;
      if (response.status != 0) o.status_code = response.status;
      if (is_success(response.status)) {
        o.status = "delivered";
        continue;
      }
      o.error = describe_failure(response);
      if (at - c.delivery.created_at >= options_.give_up_after_millis) {
        o.status = "failed";
      } else {
        o.status = "pending";
        o.next_attempt_at = at + retry_delay(c.delivery.attempts + 1, options_, random_unit());
      }
    }
  };
  const size_t threads = std::min(options_.concurrency, to_send.size());
  std::vector<std::thread> pool;
  pool.reserve(threads > 0 ? threads - 1 : 0);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  const bool recorded = write_isolating(
      outcomes, [&](const auto& some) { store_.record_deliveries(owner_, some); },
      [](store::DeliveryOutcome o, const std::string& error) {
        o.status = "failed";  // delivered or not, retrying would meet the same refusal
        o.status_code.reset();
        o.next_attempt_at.reset();
        o.error = "the delivery's result could not be recorded: " +
                  util::to_valid_utf8(error.substr(0, 200));
        return o;
      },
      "webhook delivery results");
  if (!recorded) return claimed.size();  // leased: sent again after the lease
  for (const auto& o : outcomes) {
    if (o.status == "deferred") {
      ++paced_;
      continue;
    }
    ++attempts_;
    if (o.status == "delivered")
      ++delivered_;
    else if (o.status == "failed")
      ++failed_;
    else
      ++retried_;
  }
  return claimed.size();
}

DelivererStats WebhookDeliverer::stats() const {
  return {attempts_.load(), delivered_.load(), retried_.load(), failed_.load(), paced_.load()};
}

void WebhookDeliverer::loop(Lane lane) {
  std::size_t n = 0;
  while (running_) {
    try {
      // After a batch, straight to the next claim: there is likely more. An idle poll reads
      // first, as claiming takes SQLite's write lock (and the read scans the pending queue).
      const auto now = clock_.now();
      auto due = [&] {
        if (lane == Lane::kSlow && slow_webhooks().empty()) return false;
        const auto next = store_.next_delivery_at();
        return next && *next <= now;
      };
      n = n > 0 || due() ? run_batch(now, lane) : 0;
    } catch (const std::exception& e) {
      n = 0;
      spdlog::warn("webhook deliveries: {}", e.what());
    }
    if (n > 0) continue;
    std::unique_lock lock(wake_mutex_);
    wake_.wait_for(lock, options_.idle_poll, [this] { return !running_; });
  }
}

}  // namespace leadline::engine
