// Events clients report about leads (EventStore): recorded with what they did to each lead,
// in the transaction that applies them (domain::apply_event).
#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "domain/event.h"
#include "store/sql/lead_counts.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace leadline::store::sql {
namespace {
using domain::EventEffect;
using domain::InboundEvent;
using domain::Lead;

// An event with an idempotency key is inserted before it is applied, to claim its key: a
// repeated key inserts nothing and returns no row (on PostgreSQL after the first insert of
// that key commits or rolls back). Its answer (`leads`) is filled in afterwards, for repeats
// to get. An event without a key is inserted once applied, with no answer kept: nobody can
// ask for it again.
constexpr std::string_view kInsertEventRow =
    "INSERT INTO inbound_events (id, org_id, event_type, lead_id, phone_number, workflow_id, "
    "data, idempotency_key, created_at, leads) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const SqlText kClaimEventKey([](const Dialect&) {
  return std::string(kInsertEventRow) +
         " ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
         "RETURNING seq";
});
// SQLite buffers RETURNING rows in a temporary table per statement; there the row key is
// read without one.
const SqlText kInsertEvent([](const Dialect& d) {
  return std::string(kInsertEventRow) + (d.postgres() ? " RETURNING seq" : "");
});
constexpr std::string_view kLastRowKey = "SELECT last_insert_rowid()";
constexpr std::string_view kEventColumns =
    "e.id, e.event_type, e.lead_id, e.phone_number, e.workflow_id, e.data, e.idempotency_key, "
    "e.created_at, e.leads";
constexpr std::string_view kSetEventLeads = "UPDATE inbound_events SET leads = ? WHERE seq = ?";
constexpr std::string_view kInsertEventLead =
    "INSERT INTO inbound_event_leads (lead_id, event_seq, workflow_id, effect) VALUES (?, ?, ?, ?)";
constexpr std::string_view kWorkflowState =
    "SELECT settings, paused_at FROM workflows WHERE id = ?";
constexpr std::string_view kNode =
    "SELECT id, node_type, label FROM nodes WHERE workflow_id = ? AND id = ?";
constexpr std::string_view kCountLeadEvents =
    "SELECT count(*) FROM inbound_event_leads WHERE lead_id = ?";
constexpr std::string_view kListLeadEvents =
    "SELECT e.id, e.event_type, e.data, t.effect, e.created_at FROM inbound_event_leads t "
    "JOIN inbound_events e ON e.seq = t.event_seq WHERE t.lead_id = ? ORDER BY t.event_seq "
    "LIMIT ? OFFSET ?";

const SqlText kEventByKey([](const Dialect&) {
  return "SELECT " + std::string(kEventColumns) +
         " FROM inbound_events e WHERE e.org_id = ? AND e.idempotency_key = ?";
});
const SqlText kLeadById([](const Dialect& d) {
  return "SELECT " + std::string(kLeadAndStateColumns) + ", s.lead_seq FROM " +
         std::string(kLeadTables) + " WHERE l.id = ? AND l.org_id = ?" + d.for_update_of("s");
});
// Open leads with the number in the organization's workflows (each workflow's phone index).
const SqlText kLeadsByPhone([](const Dialect& d) {
  return "SELECT " + std::string(kLeadAndStateColumns) + ", s.lead_seq FROM " +
         std::string(kLeadTables) +
         " WHERE l.workflow_id IN (SELECT id FROM workflows WHERE org_id = ?) "
         "AND l.phone_number = ? AND s.status IN ('pending', 'active') ORDER BY l.seq" +
         d.for_update_of("s");
});
const SqlText kLeadsByPhoneInWorkflow([](const Dialect& d) {
  return "SELECT " + std::string(kLeadAndStateColumns) + ", s.lead_seq FROM " +
         std::string(kLeadTables) +
         " WHERE l.workflow_id = ? AND l.phone_number = ? "
         "AND s.status IN ('pending', 'active') ORDER BY l.seq" +
         d.for_update_of("s");
});

Json targets_json(const std::vector<EventTarget>& targets) {
  Json out = Json::array();
  for (const auto& t : targets)
    out.push_back(
        {{"lead_id", t.lead_id}, {"workflow_id", t.workflow_id}, {"effect", to_string(t.effect)}});
  return out;
}

RecordedEvent read_recorded(const Statement& s, std::string org_id) {
  RecordedEvent r;
  InboundEvent& first = r.first.emplace();
  first.id = s.text(0);
  first.org_id = std::move(org_id);
  first.type = s.text(1);
  first.lead_id = s.opt_text(2);
  first.phone_number = s.opt_text(3);
  first.workflow_id = s.opt_text(4);
  first.data = parse_object(s.text(5));
  first.idempotency_key = s.opt_text(6);
  first.created_at = s.integer(7);
  Json leads = Json::parse(s.text(8), nullptr, false);
  if (leads.is_array())
    for (const Json& t : leads)
      if (t.is_object())
        r.leads.push_back({t.value("lead_id", ""), t.value("workflow_id", ""),
                           domain::event_effect_from_string(t.value("effect", ""))});
  return r;
}

Statement& bind_event(Statement& s, const InboundEvent& event, const std::string& answer) {
  return s.bind(1, event.id)
      .bind(2, event.org_id)
      .bind(3, event.type)
      .bind(4, event.lead_id)
      .bind(5, event.phone_number)
      .bind(6, event.workflow_id)
      .bind(7, event.data.dump())
      .bind(8, event.idempotency_key)
      .bind(9, event.created_at)
      .bind(10, answer);
}

// Inserts a keyed event to claim its key: its row key, or nullopt when the key was recorded
// before.
std::optional<std::int64_t> claim_event_key(Connection& conn, const InboundEvent& event) {
  auto s = conn.prepare(kClaimEventKey(conn.dialect()));
  if (!bind_event(s, event, "[]").step()) return std::nullopt;
  return s.integer(0);
}

// Inserts an event without idempotency key: its row key.
std::int64_t insert_event(Connection& conn, const InboundEvent& event) {
  auto s = conn.prepare(kInsertEvent(conn.dialect()));
  bind_event(s, event, "[]");
  if (conn.dialect().postgres()) {
    if (!s.step()) throw StoreError("an event was not inserted");
    return s.integer(0);
  }
  s.exec();
  auto key = conn.prepare(kLastRowKey);
  key.step();
  return key.integer(0);
}

// Thrown inside the transaction to roll the whole request back.
struct UnknownLead {
  size_t index;
};

// What one request's transaction has read and changed so far: each lead once (locked on
// PostgreSQL when first read), and the counts of those it changed.
class EventBatch {
 public:
  explicit EventBatch(Connection& conn) : conn_(conn) {}

  // The leads the event reaches, read (and locked) now or earlier in the request.
  std::vector<Lead*> targets(const InboundEvent& event) {
    std::vector<Lead*> out;
    if (event.lead_id) {
      if (auto it = leads_.find(*event.lead_id); it != leads_.end()) {
        if (!event.workflow_id || it->second.workflow_id == *event.workflow_id)
          out.push_back(&it->second);
        return out;
      }
      auto s =
          conn_.prepare(kLeadById(conn_.dialect())).bind(1, *event.lead_id).bind(2, event.org_id);
      if (s.step()) {
        Lead lead = read_lead(s);
        if (!event.workflow_id || lead.workflow_id == *event.workflow_id)
          out.push_back(&remember(std::move(lead), s.integer(kLeadColumnCount)));
      }
      return out;
    }
    auto s = event.workflow_id ? conn_.prepare(kLeadsByPhoneInWorkflow(conn_.dialect()))
                                     .bind(1, *event.workflow_id)
                                     .bind(2, *event.phone_number)
                               : conn_.prepare(kLeadsByPhone(conn_.dialect()))
                                     .bind(1, event.org_id)
                                     .bind(2, *event.phone_number);
    std::vector<std::string> ids;
    while (s.step()) {
      Lead lead = read_lead(s);
      ids.push_back(lead.id);
      if (!leads_.contains(lead.id)) remember(std::move(lead), s.integer(kLeadColumnCount));
    }
    for (const auto& id : ids) {
      Lead& lead = leads_.at(id);
      // Read before this request ended it: the number's open leads are those still open.
      if (!domain::is_terminal(lead.status)) out.push_back(&lead);
    }
    return out;
  }

  // Reads (and on PostgreSQL locks) every lead the events reach before any is applied: those
  // named by lead_id in the order of their ids, then those reached by number in the order of
  // the numbers. Two requests naming the same leads in different orders then lock them in the
  // same order, rather than each holding what the other waits for (a deadlock, which
  // PostgreSQL ends by aborting one: a 409 to its client).
  void lock_in_order(const std::vector<InboundEvent>& events) {
    if (!conn_.dialect().postgres()) return;  // SQLite has a single writer
    std::vector<const InboundEvent*> order;
    order.reserve(events.size());
    for (const auto& event : events) order.push_back(&event);
    const auto key = [](const InboundEvent* e) {
      return std::make_tuple(!e->lead_id, e->lead_id ? *e->lead_id : *e->phone_number,
                             e->workflow_id.value_or(""));
    };
    std::sort(order.begin(), order.end(),
              [&](const InboundEvent* a, const InboundEvent* b) { return key(a) < key(b); });
    for (const InboundEvent* event : order) targets(*event);
  }

  // What applying an event needs of the lead's workflow.
  struct WorkflowState {
    Json settings = Json::object();
    std::optional<util::Millis> paused_at;  // set while paused (or deactivated)
  };
  const WorkflowState& workflow_of(const std::string& workflow_id) {
    auto [it, added] = workflows_.try_emplace(workflow_id);
    if (added) {
      auto s = conn_.prepare(kWorkflowState).bind(1, workflow_id);
      if (s.step()) it->second = {parse_object(s.text(0)), s.opt_integer(1)};
    }
    return it->second;
  }

  // The node the lead stands on (nullptr: none, or deleted under it).
  const domain::Node* node_of(const Lead& lead) {
    if (!lead.current_node_id) return nullptr;
    auto key = std::make_pair(lead.workflow_id, *lead.current_node_id);
    auto [it, added] = nodes_.try_emplace(key);
    if (added) {
      auto s = conn_.prepare(kNode).bind(1, key.first).bind(2, key.second);
      if (s.step()) {
        domain::Node node;
        node.id = s.text(0);
        node.workflow_id = key.first;
        node.type = domain::node_type_from_string(s.text(1)).value_or(domain::NodeType::kDropped);
        node.label = s.text(2);
        it->second = std::move(node);
      }
    }
    return it->second ? &*it->second : nullptr;
  }

  // Writes every lead the request changed, with the counts their moves shift. (A lead whose
  // events were only recorded rewrites its narrow state row as read, and its context.)
  void write_leads() {
    if (changed_.empty()) return;
    std::vector<Lead> written;
    written.reserve(changed_.size());
    for (const auto& id : changed_) {
      auto& lead = leads_.at(id);
      counts_.add(lead, +1);
      written.push_back(std::move(lead));
    }
    update_lead_states(conn_, written, rows_);
    counts_.write(conn_);
  }
  // The row keys of the leads read.
  const RowKeys& rows() const { return rows_; }
  // Called before each change of the lead: the first time, its count moves out of its old key
  // and its state as read is kept.
  void will_change(const Lead& lead) {
    if (!changed_set_.insert(lead.id).second) return;
    changed_.push_back(lead.id);
    counts_.add(lead, -1);
  }

 private:
  Lead& remember(Lead lead, std::int64_t row) {
    rows_.emplace(lead.id, row);
    return leads_.emplace(lead.id, std::move(lead)).first->second;
  }

  Connection& conn_;
  std::unordered_map<std::string, Lead> leads_;
  std::unordered_map<std::string, WorkflowState> workflows_;
  std::map<std::pair<std::string, std::string>, std::optional<domain::Node>> nodes_;
  CountDeltas counts_;  // of the changed leads: -1 as read, +1 as written
  RowKeys rows_;
  std::vector<std::string> changed_;  // in the order first changed
  std::unordered_set<std::string> changed_set_;
};
}  // namespace

RecordEventsResult SqlStore::record_events(const std::vector<InboundEvent>& events,
                                           util::Millis now) {
  auto conn = pool_.acquire();
  try {
    return in_transaction(*conn, [&] {
      RecordEventsResult result;
      EventBatch batch(*conn);
      batch.lock_in_order(events);
      std::vector<domain::HistoryEntry> history;
      std::vector<domain::Event> webhook_events;
      const auto subscribers = load_subscribers(*conn);
      for (size_t i = 0; i < events.size(); ++i) {
        const InboundEvent& event = events[i];
        std::optional<std::int64_t> seq;
        if (event.idempotency_key) {
          seq = claim_event_key(*conn, event);
          if (!seq) {
            auto first = conn->prepare(kEventByKey(conn->dialect()))
                             .bind(1, event.org_id)
                             .bind(2, *event.idempotency_key);
            if (!first.step()) throw StoreError("an idempotent event vanished while read");
            result.events.push_back(read_recorded(first, event.org_id));
            continue;
          }
        }
        RecordedEvent recorded;
        const auto targets = batch.targets(event);
        if (event.lead_id && targets.empty()) throw UnknownLead{i};
        for (Lead* lead : targets) {
          const auto& workflow = batch.workflow_of(lead->workflow_id);
          const Json& settings = workflow.settings;
          const domain::Node* node = batch.node_of(*lead);
          batch.will_change(*lead);
          auto applied = domain::apply_event(*lead, event, settings, node, now, workflow.paused_at);
          for (auto& h : applied.history) history.push_back(std::move(h));
          recorded.leads.push_back({lead->id, lead->workflow_id, applied.effect});
          const auto mask = org_mask(subscribers, lead->org_id);
          if (mask & domain::event_bit(domain::EventType::kLeadEvent))
            webhook_events.push_back(domain::lead_event(
                domain::EventType::kLeadEvent, *lead, settings, node, now,
                {{"event", {{"id", event.id}, {"type", event.type}, {"data", event.data}}}}));
          if (applied.effect == EventEffect::kExited) {
            const auto ended = lead->status == domain::LeadStatus::kCompleted
                                   ? domain::EventType::kLeadCompleted
                                   : domain::EventType::kLeadDropped;
            if (mask & domain::event_bit(ended))
              webhook_events.push_back(
                  domain::lead_event(ended, *lead, settings, node, now,
                                     {{"exit_event", event.type}, {"reason", "exit rule"}}));
          }
        }
        // Only a keyed event can be asked again, so only its answer is kept.
        if (seq)
          conn->prepare(kSetEventLeads)
              .bind(1, targets_json(recorded.leads).dump())
              .bind(2, *seq)
              .exec();
        else
          seq = insert_event(*conn, event);
        for (const auto& target : recorded.leads)
          conn->prepare(kInsertEventLead)
              .bind(1, target.lead_id)
              .bind(2, *seq)
              .bind(3, target.workflow_id)
              .bind(4, to_string(target.effect))
              .exec();
        result.events.push_back(std::move(recorded));
      }
      batch.write_leads();
      insert_history(*conn, history, batch.rows());
      write_events(*conn, webhook_events, subscribers);
      return result;
    });
  } catch (const UnknownLead& unknown) {
    RecordEventsResult result;
    result.unknown_lead = unknown.index;
    return result;
  }
}

Page<LeadEventEntry> SqlStore::lead_events(std::string_view lead_id, const PageRequest& page) {
  auto conn = pool_.acquire();
  return read_page<LeadEventEntry>(*conn, std::string(kCountLeadEvents),
                                   std::string(kListLeadEvents), {std::string(lead_id)}, page,
                                   [](const Statement& s) {
                                     LeadEventEntry e;
                                     e.event_id = s.text(0);
                                     e.type = s.text(1);
                                     e.data = parse_object(s.text(2));
                                     e.effect = domain::event_effect_from_string(s.text(3));
                                     e.created_at = s.integer(4);
                                     return e;
                                   });
}

}  // namespace leadline::store::sql
