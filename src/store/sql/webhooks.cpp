// Webhooks, the event outbox and delivery bookkeeping (spec §7). Events are written by the
// transaction that caused them (run_due_steps, transition_workflow, append_events); the
// deliverer claims due deliveries with a lease and records each attempt.
//
// Several processes deliver at once on PostgreSQL: a claim locks its rows with FOR UPDATE SKIP
// LOCKED and writes a lease (owner, until) before it commits, so no other process takes them
// while the lease runs, and a process that dies mid-delivery leaves them to be claimed again
// once the lease expires. Results are recorded only by the lease's owner.
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"
#include "store/webhook_fanout.h"
#include "util/hash.h"
#include "util/ids.h"

namespace leadline::store::sql {
namespace {
constexpr std::string_view kWebhookColumns =
    "id, org_id, url, events, secret, is_active, created_at, updated_at";
constexpr std::string_view kInsertWebhook =
    "INSERT INTO webhooks (id, org_id, url, events, event_mask, secret, is_active, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateWebhook =
    "UPDATE webhooks SET url = ?, events = ?, event_mask = ?, secret = ?, is_active = ?, "
    "updated_at = ? WHERE id = ?";
constexpr std::string_view kDeleteDeliveries =
    "DELETE FROM webhook_deliveries WHERE webhook_id = ?";
constexpr std::string_view kDeleteWebhook = "DELETE FROM webhooks WHERE org_id = ? AND id = ?";
constexpr std::string_view kSubscribers =
    "SELECT id, org_id, event_mask FROM webhooks WHERE is_active = 1";
constexpr std::string_view kInsertEvent =
    "INSERT INTO webhook_events (id, org_id, type, order_key, payload, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
// Held while an earlier delivery of the same webhook and order key is pending (migration
// 0011); the EXISTS probes webhook_deliveries_order, the one index on both columns. Its
// parameters after the six values: the webhook and order key again.
constexpr std::string_view kInsertDelivery =
    "INSERT INTO webhook_deliveries (id, webhook_id, event_id, order_key, status, attempts, "
    "next_attempt_at, created_at, held) SELECT ?, ?, ?, ?, 'pending', 0, ?, ?, "
    "CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = ? "
    "AND p.order_key = ? AND p.status = 'pending') THEN 1 ELSE 0 END";
// d.* columns of a delivery with its event's type and payload (13 columns).
constexpr std::string_view kDeliveryColumns =
    "d.id, d.webhook_id, d.event_id, e.type, d.order_key, d.status, d.attempts, "
    "d.last_status_code, d.last_error, d.next_attempt_at, d.created_at, d.delivered_at, "
    "e.payload";
constexpr int kDeliveryColumnCount = 13;
// Due, not leased (or the lease expired), of an active webhook, and not held behind an
// earlier delivery of the same webhook and lead; `which` picks the webhooks (its parameters
// come first), the parameters after it are now, now and the limit.
std::string claim_sql(const Dialect& d, std::string_view which) {
  return "SELECT " + std::string(kDeliveryColumns) +
         ", w.url, w.secret, w.org_id, d.seq FROM webhook_deliveries d "
         "JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id "
         "WHERE " +
         std::string(which) +
         " AND d.status = 'pending' AND d.next_attempt_at <= ? "
         "AND (d.lease_until IS NULL OR d.lease_until <= ?) AND w.is_active = 1 "
         "AND d.held = 0 "
         "ORDER BY d.next_attempt_at, d.seq LIMIT ?" +
         d.for_update_skip_locked("d");
}
// Parameters: the scope's webhook ids (JSON) and whether only those.
const SqlText kClaim([](const Dialect& d) {
  return claim_sql(d, "(d.webhook_id IN (" + d.json_strings("?") + ")) = (? = 1)");
});
const SqlText kClaimOfWebhook([](const Dialect& d) { return claim_sql(d, "d.webhook_id = ?"); });
// The webhooks of the scope with a claimable delivery, and when the oldest came due (NULL:
// none). One probe of webhook_deliveries_pending per webhook.
const SqlText kDueWebhooks([](const Dialect& d) {
  return "SELECT w.id, w.org_id, (SELECT d.next_attempt_at FROM webhook_deliveries d "
         "WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.held = 0 "
         "AND d.next_attempt_at <= ? "
         "AND (d.lease_until IS NULL OR d.lease_until <= ?) ORDER BY d.next_attempt_at LIMIT 1) "
         "FROM webhooks w WHERE w.is_active = 1 AND (w.id IN (" +
         d.json_strings("?") + ")) = (? = 1)";
});
// Parameters: owner, until, the JSON array of the claimed deliveries' seq.
const SqlText kLease([](const Dialect& d) {
  return "UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ? WHERE " +
         d.key_in_integers("seq");
});
// A success keeps the last error of earlier attempts, so the list shows what went wrong.
constexpr std::string_view kRecord =
    "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status_code = ?, "
    "last_error = coalesce(?, last_error), next_attempt_at = ?, delivered_at = ?, "
    "lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? "
    "RETURNING webhook_id, order_key";
// Releases the next pending delivery of a webhook and order key, once the one before it is
// delivered or failed for good.
constexpr std::string_view kRelease =
    "UPDATE webhook_deliveries SET held = 0 WHERE held = 1 AND seq = (SELECT min(p.seq) "
    "FROM webhook_deliveries p WHERE p.webhook_id = ? AND p.order_key = ? "
    "AND p.status = 'pending')";
constexpr std::string_view kDefer =
    "UPDATE webhook_deliveries SET next_attempt_at = ?, lease_owner = NULL, lease_until = NULL "
    "WHERE id = ? AND lease_owner = ?";
// When the next delivery can be claimed: the earliest, over active webhooks, of a pending
// delivery's due time or, while leased, the lease's end. Each webhook's first deliveries in due
// order only (webhook_deliveries_pending), so that an idle poll does not read a receiver's
// whole backlog of retries: the earliest is among them unless more of that webhook's are in
// flight at once, and then its lanes are busy and claim without asking.
constexpr std::string_view kNextDelivery =
    "SELECT min((SELECT min(CASE WHEN h.lease_until > h.next_attempt_at THEN h.lease_until "
    "ELSE h.next_attempt_at END) FROM (SELECT d.next_attempt_at, d.lease_until "
    "FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'pending' "
    "AND d.held = 0 ORDER BY d.next_attempt_at LIMIT 1000) h)) FROM webhooks w "
    "WHERE w.is_active = 1";

// How many deliveries of each webhook a batch of `limit` takes first: nothing when at most
// one organization has claimable deliveries (the batch then goes in due order); otherwise
// limit / organizations for each (at least one), split evenly among its webhooks, in the
// order the organizations' oldest claimable deliveries came due.
std::vector<std::pair<std::string, size_t>> fair_shares(Connection& conn, util::Millis now,
                                                        const std::string& scope_ids,
                                                        bool only_these, size_t limit) {
  struct Waiting {
    util::Millis oldest = 0;
    std::vector<std::string> webhooks;
  };
  std::map<std::string, Waiting> by_org;
  {
    auto s = conn.prepare(kDueWebhooks(conn.dialect()))
                 .bind(1, now)
                 .bind(2, now)
                 .bind(3, scope_ids)
                 .bind(4, only_these ? 1 : 0);
    while (s.step()) {
      if (s.is_null(2)) continue;
      auto it = by_org.try_emplace(s.text(1), Waiting{s.integer(2), {}}).first;
      it->second.oldest = std::min(it->second.oldest, s.integer(2));
      it->second.webhooks.push_back(s.text(0));
    }
  }
  std::vector<std::pair<std::string, size_t>> shares;
  if (by_org.size() < 2) return shares;
  std::vector<const Waiting*> orgs;
  for (const auto& [org, waiting] : by_org) orgs.push_back(&waiting);
  std::stable_sort(orgs.begin(), orgs.end(),
                   [](const Waiting* a, const Waiting* b) { return a->oldest < b->oldest; });
  const size_t org_share = std::max<size_t>(1, limit / orgs.size());
  for (const Waiting* org : orgs)
    for (const auto& webhook : org->webhooks)
      shares.emplace_back(webhook, std::max<size_t>(1, org_share / org->webhooks.size()));
  return shares;
}

Webhook read_webhook(const Statement& s) {
  Webhook w;
  w.id = s.text(0);
  w.org_id = s.text(1);
  w.url = s.text(2);
  w.events = names_from_text(s.text(3));
  w.secret = s.text(4);
  w.is_active = s.integer(5) != 0;
  w.created_at = s.integer(6);
  w.updated_at = s.integer(7);
  return w;
}

WebhookDelivery read_delivery(const Statement& s, int first = 0) {
  WebhookDelivery d;
  d.id = s.text(first);
  d.webhook_id = s.text(first + 1);
  d.event_id = s.text(first + 2);
  d.event_type = s.text(first + 3);
  d.order_key = s.text(first + 4);
  d.status = s.text(first + 5);
  d.attempts = static_cast<int>(s.integer(first + 6));
  if (auto code = s.opt_integer(first + 7)) d.last_status_code = static_cast<int>(*code);
  d.last_error = s.opt_text(first + 8);
  d.next_attempt_at = s.opt_integer(first + 9);
  d.created_at = s.integer(first + 10);
  d.delivered_at = s.opt_integer(first + 11);
  d.payload = Json::parse(s.text(first + 12), nullptr, false);
  return d;
}

// The lock key of a webhook's deliveries to one lead (order key).
std::int64_t delivery_order_lock(std::string_view webhook_id, std::string_view order_key) {
  return static_cast<std::int64_t>(util::stable_hash(webhook_id, order_key));
}

std::optional<Webhook> find_in(Connection& conn, std::string_view org_id, std::string_view id) {
  static const std::string sql =
      "SELECT " + std::string(kWebhookColumns) + " FROM webhooks WHERE org_id = ? AND id = ?";
  auto s = conn.prepare(sql).bind(1, org_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_webhook(s);
}
}  // namespace

std::vector<Subscriber> load_subscribers(Connection& conn) {
  std::vector<Subscriber> out;
  auto s = conn.prepare(kSubscribers);
  while (s.step())
    out.push_back({s.text(0), s.text(1), static_cast<domain::EventMask>(s.integer(2))});
  return out;
}

void write_events(Connection& conn, const std::vector<domain::Event>& events,
                  const std::vector<Subscriber>& subscribers) {
  if (subscribers.empty()) return;
  // Whether a new delivery is held depends on the pending ones of its lead: the lead's lock
  // keeps a concurrent writer or release (record_deliveries) from deciding on the same lead
  // from a snapshot without this transaction's rows.
  std::vector<std::vector<const Subscriber*>> targets_of;
  std::vector<std::int64_t> lead_locks;
  for (const auto& event : events) {
    targets_of.push_back(subscribers_of(event, subscribers));
    for (const Subscriber* target : targets_of.back())
      lead_locks.push_back(delivery_order_lock(target->webhook_id, event.order_key));
  }
  conn.lock_all_until_commit(std::move(lead_locks));
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& event = events[i];
    const auto& targets = targets_of[i];
    if (targets.empty()) continue;
    conn.prepare(kInsertEvent)
        .bind(1, event.id)
        .bind(2, event.org_id)
        .bind(3, to_string(event.type))
        .bind(4, event.order_key)
        .bind(5, event.payload.dump())
        .bind(6, event.created_at)
        .exec();
    for (const Subscriber* target : targets)
      conn.prepare(kInsertDelivery)
          .bind(1, util::new_id("whd"))
          .bind(2, target->webhook_id)
          .bind(3, event.id)
          .bind(4, event.order_key)
          .bind(5, event.created_at)
          .bind(6, event.created_at)
          .bind(7, target->webhook_id)
          .bind(8, event.order_key)
          .exec();
  }
}

void SqlStore::insert_webhook(const Webhook& w) {
  auto conn = pool_.acquire();
  conn->prepare(kInsertWebhook)
      .bind(1, w.id)
      .bind(2, w.org_id)
      .bind(3, w.url)
      .bind(4, names_to_text(w.events))
      .bind(5, static_cast<std::int64_t>(event_mask(w.events)))
      .bind(6, w.secret)
      .bind(7, w.is_active ? 1 : 0)
      .bind(8, w.created_at)
      .bind(9, w.updated_at)
      .exec();
}

std::optional<Webhook> SqlStore::find_webhook(std::string_view org_id,
                                              std::string_view webhook_id) {
  auto conn = pool_.acquire();
  return find_in(*conn, org_id, webhook_id);
}

Page<Webhook> SqlStore::list_webhooks(std::string_view org_id, const PageRequest& page) {
  static const std::string count_sql = "SELECT count(*) FROM webhooks WHERE org_id = ?";
  static const std::string list_sql = "SELECT " + std::string(kWebhookColumns) +
                                      " FROM webhooks WHERE org_id = ? "
                                      "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
  auto conn = pool_.acquire();
  return read_page<Webhook>(*conn, count_sql, list_sql, {std::string(org_id)}, page,
                            [](const Statement& s) { return read_webhook(s); });
}

std::optional<Webhook> SqlStore::update_webhook(std::string_view org_id,
                                                std::string_view webhook_id,
                                                const WebhookPatch& patch, util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&]() -> std::optional<Webhook> {
    auto w = find_in(*conn, org_id, webhook_id);
    if (!w) return std::nullopt;
    if (patch.url) w->url = *patch.url;
    if (patch.events) w->events = *patch.events;
    if (patch.secret) w->secret = *patch.secret;
    if (patch.is_active) w->is_active = *patch.is_active;
    w->updated_at = now;
    conn->prepare(kUpdateWebhook)
        .bind(1, w->url)
        .bind(2, names_to_text(w->events))
        .bind(3, static_cast<std::int64_t>(event_mask(w->events)))
        .bind(4, w->secret)
        .bind(5, w->is_active ? 1 : 0)
        .bind(6, now)
        .bind(7, w->id)
        .exec();
    return w;
  });
}

bool SqlStore::delete_webhook(std::string_view org_id, std::string_view webhook_id) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    if (!find_in(*conn, org_id, webhook_id)) return false;
    conn->prepare(kDeleteDeliveries).bind(1, webhook_id).exec();
    return conn->prepare(kDeleteWebhook).bind(1, org_id).bind(2, webhook_id).exec() > 0;
  });
}

Page<WebhookDelivery> SqlStore::list_deliveries(std::string_view org_id,
                                                std::string_view webhook_id,
                                                const DeliveryQuery& query) {
  std::string where =
      " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
      "JOIN webhook_events e ON e.id = d.event_id WHERE w.org_id = ? AND d.webhook_id = ?";
  if (query.status) where += " AND d.status = ?";
  const std::string count_sql = "SELECT count(*)" + where;
  const std::string list_sql = "SELECT " + std::string(kDeliveryColumns) + where +
                               " ORDER BY d.created_at DESC, d.seq DESC LIMIT ? OFFSET ?";
  std::vector<std::string> filters = {std::string(org_id), std::string(webhook_id)};
  if (query.status) filters.push_back(*query.status);
  auto conn = pool_.acquire();
  return read_page<WebhookDelivery>(*conn, count_sql, list_sql, filters, query.page,
                                    [](const Statement& s) { return read_delivery(s); });
}

void SqlStore::append_events(const std::vector<domain::Event>& events) {
  if (events.empty()) return;
  auto conn = pool_.acquire();
  in_transaction(*conn, [&] { write_events(*conn, events, load_subscribers(*conn)); });
}

std::vector<ClaimedDelivery> SqlStore::claim_deliveries(util::Millis now, size_t limit,
                                                        std::string_view owner,
                                                        util::Millis lease_millis,
                                                        const WebhookScope& scope) {
  auto conn = pool_.acquire();
  const std::string scope_ids = Json(scope.webhook_ids).dump();
  return in_transaction(*conn, [&] {
    std::vector<ClaimedDelivery> claimed;
    // Claims and leases at once, so the claims after it in this transaction pass them by.
    auto take = [&](Statement& s) {
      Json seqs = Json::array();
      while (s.step()) {
        claimed.push_back({read_delivery(s), s.text(kDeliveryColumnCount),
                           s.text(kDeliveryColumnCount + 1), s.text(kDeliveryColumnCount + 2)});
        seqs.push_back(s.integer(kDeliveryColumnCount + 3));
      }
      if (seqs.empty()) return;
      conn->prepare(kLease(conn->dialect()))
          .bind(1, owner)
          .bind(2, now + lease_millis)
          .bind(3, seqs.dump())
          .exec();
    };
    // With several organizations waiting, each first takes an equal share of the batch,
    // oldest waiting first, split among its webhooks: one organization's burst of a million
    // events does not hold back another's next delivery for the minutes it takes to send.
    const auto shares = fair_shares(*conn, now, scope_ids, scope.only_these, limit);
    for (const auto& [webhook_id, share] : shares) {
      if (claimed.size() >= limit) break;
      auto s = conn->prepare(kClaimOfWebhook(conn->dialect()))
                   .bind(1, webhook_id)
                   .bind(2, now)
                   .bind(3, now)
                   .bind(4, static_cast<std::int64_t>(std::min(share, limit - claimed.size())));
      take(s);
    }
    // The rest of the batch in due order, whoever it belongs to.
    if (claimed.size() < limit) {
      auto s = conn->prepare(kClaim(conn->dialect()))
                   .bind(1, scope_ids)
                   .bind(2, scope.only_these ? 1 : 0)
                   .bind(3, now)
                   .bind(4, now)
                   .bind(5, static_cast<std::int64_t>(limit - claimed.size()));
      take(s);
    }
    return claimed;
  });
}

void SqlStore::record_deliveries(std::string_view owner,
                                 const std::vector<DeliveryOutcome>& outcomes) {
  if (outcomes.empty()) return;
  auto conn = pool_.acquire();
  in_transaction(*conn, [&] {
    std::vector<std::pair<std::string, std::string>> finished;  // webhook, order key
    for (const auto& o : outcomes) {
      if (o.status == "deferred") {
        conn->prepare(kDefer)
            .bind(1, o.next_attempt_at.value_or(o.at))
            .bind(2, o.delivery_id)
            .bind(3, owner)
            .exec();
        continue;
      }
      auto s = conn->prepare(kRecord)
                   .bind(1, o.status)
                   .bind(2, o.status_code)
                   .bind(3, o.error)
                   .bind(4, o.next_attempt_at)
                   .bind(5, o.status == "delivered" ? std::optional(o.at) : std::nullopt)
                   .bind(6, o.delivery_id)
                   .bind(7, owner);
      if (s.step() && o.status != "pending") finished.emplace_back(s.text(0), s.text(1));
    }
    // After every update and under the leads' locks (see write_events), so that a delivery
    // another transaction adds to the same lead is either released here or not held.
    std::vector<std::int64_t> lead_locks;
    for (const auto& [webhook_id, order_key] : finished)
      lead_locks.push_back(delivery_order_lock(webhook_id, order_key));
    conn->lock_all_until_commit(std::move(lead_locks));
    for (const auto& [webhook_id, order_key] : finished)
      conn->prepare(kRelease).bind(1, webhook_id).bind(2, order_key).exec();
  });
}

std::optional<util::Millis> SqlStore::next_delivery_at() {
  auto conn = pool_.acquire();
  auto s = conn->prepare(kNextDelivery);
  if (s.step() && !s.is_null(0)) return s.integer(0);
  return std::nullopt;
}

}  // namespace leadline::store::sql
