#pragma once
// The storage contract the API and the engine rely on, split along its roles (as Temporal
// splits its persistence into execution, task and metadata stores): each caller takes only
// the role it uses. Store is all of them; sql::SqlStore implements it once for SQLite and
// PostgreSQL. Every method may be called from any thread; every method that changes more
// than one row does so atomically.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/call_report.h"
#include "domain/event.h"
#include "domain/graph.h"
#include "domain/inbound_event.h"
#include "domain/lead.h"
#include "domain/suppression.h"
#include "domain/workflow.h"
#include "store/store_errors.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::store {

struct Organization {
  std::string id;
  std::string name;
  util::Millis created_at = 0;
  // Compliance settings every workflow of the organization inherits (domain/call_policy.h).
  Json settings = Json::object();
  std::optional<util::Millis> updated_at;
};

// A change to an organization; absent fields stay as they are.
struct OrganizationPatch {
  std::optional<std::string> name;
  // Keys to set in the settings, merged into the stored object under the row's lock (so two
  // patches of different keys both land); a key set to null is removed.
  std::optional<Json> settings_changes;
};

struct ApiKey {
  std::string id;
  std::string org_id;
  std::string name;
  std::string secret_hash;  // SHA-256 hex of the secret; the secret itself is never stored
  util::Millis created_at = 0;
  std::optional<util::Millis> revoked_at;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
};

struct PageRequest {
  int page = 1;    // from 1
  int limit = 20;  // 1..100
};

struct WorkflowQuery {
  std::optional<domain::WorkflowStatus> status;
  std::optional<std::string> title_contains;  // case-insensitive
  std::string sort_by = "created_at";         // created_at | updated_at | title
  bool ascending = false;
  PageRequest page;
};

struct WorkflowPatch {
  std::optional<std::string> title;
  std::optional<std::optional<std::string>> description;  // set to a value or to null
  std::optional<Json> settings;                           // replaces the whole object
};

enum class DeleteWorkflowResult { kDeleted, kNotFound, kActive, kBusy };

struct EnrollResult {
  std::vector<std::string> lead_ids;  // of the leads inserted, in input order
  // Input positions (0-based) skipped as duplicates: the phone number already has a
  // non-terminal lead in the workflow, or appears earlier in the same request.
  std::vector<size_t> duplicates;
  // Input positions skipped because the do-not-call list stops calls to the number in this
  // workflow, with the entry that does.
  std::vector<std::pair<size_t, domain::Suppression>> suppressed;
};

// The leads of one enrolment, handed to the store a chunk at a time, so the caller can still
// be preparing later chunks (checking their phone numbers on other cores) while the store
// writes earlier ones. Chunks stay valid until enroll_leads returns; positions in EnrollResult
// count across them, in order. A chunk is handed out once, so the store does not retry.
class LeadSource {
 public:
  virtual ~LeadSource() = default;
  // The next chunk; empty when there are no more. What it throws ends the enrolment with
  // nothing written.
  virtual std::span<const domain::Lead> next() = 0;
};

// Leads the caller holds already, as one chunk.
class LeadsAtOnce final : public LeadSource {
 public:
  explicit LeadsAtOnce(const std::vector<domain::Lead>& leads) : leads_(leads) {}
  std::span<const domain::Lead> next() override {
    return std::exchange(leads_, std::span<const domain::Lead>());
  }

 private:
  std::span<const domain::Lead> leads_;
};

struct LeadQuery {
  std::optional<domain::LeadStatus> status;
  std::optional<std::string> current_node_id;
  std::vector<std::string> lead_ids;  // empty = any
  PageRequest page;
};

enum class RemoveLeadResult { kRemoved, kNotFound, kAlreadyTerminal };

struct CallQuery {
  std::optional<std::string> workflow_id;
  std::optional<std::string> lead_id;
  std::optional<std::string> status;
  PageRequest page;
};

// A lead the engine claimed, with what its step needs besides the graph.
struct DueLead {
  domain::Lead lead;
  domain::WorkflowStatus workflow_status = domain::WorkflowStatus::kActive;
  std::int64_t workflow_version = 0;
  std::optional<domain::Call> call;  // the row of lead.call_id, when it has one
  // The event types some active webhook of the lead's organization subscribes to, read in
  // the claiming transaction: the executor builds only those events (0: none at all).
  domain::EventMask webhook_events = 0;
  // The do-not-call entry that stops calls and texts to the lead now, read in the claiming
  // transaction (nullopt: none does).
  std::optional<domain::Suppression> suppression = std::nullopt;
  // Its organization's settings (never null once claimed; shared by the batch's leads).
  std::shared_ptr<const Json> org_settings = nullptr;
  // org_settings, or no settings (an empty object) while they are not read yet.
  const Json& organization_settings() const {
    static const Json kNone = Json::object();
    return org_settings ? *org_settings : kNone;
  }
  // The times of earlier calls to the lead's number in its organization, within the window
  // the engine asked for (ContactLookback); empty when none or not asked. The engine adds the
  // calls that steps earlier in the same batch placed to the number.
  std::vector<util::Millis> contacts = {};
  bool contacts_read = false;  // whether `contacts` was read (asked for), even if empty
};

// How far back the calls to a claimed lead's number matter to its step (the longest contact
// cap on it, in milliseconds; 0: none, or its step will not place a call: its calls need not
// be read, nor on PostgreSQL its number locked).
using ContactLookback = std::function<util::Millis(const DueLead&)>;

// Everything one batch of steps writes; applied in the transaction that claimed the batch.
struct StepWrites {
  std::vector<domain::Lead> leads;  // full new state of each stepped lead
  std::vector<domain::HistoryEntry> history;
  std::vector<domain::Call> new_calls;
  std::vector<domain::Call> finished_calls;  // status, outcome, end_reason, ... , ended_at
  // Webhook events of these steps; each is fanned out to the subscribed active webhooks.
  std::vector<domain::Event> events;
  // Do-not-call entries the steps' calls asked for (opt-out), added as add_suppressions does.
  std::vector<domain::Suppression> suppressions;
};

// An outbound webhook subscription (spec §7). The secret signs every delivery.
struct Webhook {
  std::string id;  // "wh_..."
  std::string org_id;
  std::string url;
  std::vector<std::string> events;  // event type names, each known
  std::string secret;
  bool is_active = true;
  util::Millis created_at = 0;
  util::Millis updated_at = 0;
};

struct WebhookPatch {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::string> secret;
  std::optional<bool> is_active;
};

// Which webhooks a claim of deliveries is about (the deliverer keeps slow receivers apart).
struct WebhookScope {
  std::vector<std::string> webhook_ids;
  bool only_these = false;  // false: every webhook but these
};

// One event's delivery to one webhook.
struct WebhookDelivery {
  std::string id;  // "whd_..."
  std::string webhook_id;
  std::string event_id;
  std::string event_type;
  std::string order_key;  // the lead id (workflow id for workflow.status_changed)
  std::string status;     // pending, delivered, failed
  int attempts = 0;
  std::optional<int> last_status_code;
  std::optional<std::string> last_error;
  std::optional<util::Millis> next_attempt_at;  // null once delivered or failed
  util::Millis created_at = 0;                  // the event's time
  std::optional<util::Millis> delivered_at;
  Json payload = nullptr;
};

struct DeliveryQuery {
  std::optional<std::string> status;  // pending | delivered | failed
  PageRequest page;
};

// A delivery leased to a deliverer, with what sending it needs.
struct ClaimedDelivery {
  WebhookDelivery delivery;
  std::string url;
  std::string secret;
  std::string org_id;  // the webhook's organization
};

// What one attempt of a claimed delivery came to.
struct DeliveryOutcome {
  std::string delivery_id;
  // delivered, pending (retry at next_attempt_at), failed, or deferred: not attempted (held
  // back by its organization's delivery rate), due again at next_attempt_at, attempts and
  // last error unchanged.
  std::string status;
  std::optional<int> status_code;
  std::optional<std::string> error;
  std::optional<util::Millis> next_attempt_at;
  util::Millis at = 0;
};

// --- Calls through an external provider (spec §6.1) ---

// A queued call with what its request to the provider needs.
struct QueuedCall {
  domain::Call call;
  Json variables = Json::object();  // the lead's dynamic variables
  bool lead_terminal = false;       // removed, cancelled, ...: the call must not be placed
};

// What a dispatcher sees when it claims calls, read inside the claiming transaction.
struct DispatchSlate {
  std::vector<QueuedCall> due;  // queued and due for sending, oldest first
  std::unordered_map<std::string, Json> settings_by_workflow;  // of the due calls' workflows
  // Calls at the provider (initiated) or being sent (claimed), over all workflows or in one:
  // what the concurrency caps count. Counted on demand (only capped senders pay for it).
  std::function<std::int64_t()> in_flight;
  std::function<std::int64_t(const std::string& workflow_id)> in_flight_of;
};

// Call ids the dispatcher sends now, and those it ends without sending (their lead ended).
struct DispatchChoice {
  std::vector<std::string> send;
  std::vector<std::string> cancel;
};

// How a request to the provider went.
struct DispatchResult {
  enum Kind { kPlaced, kRetry, kFailed } kind = kPlaced;
  std::string call_id;
  std::optional<std::string> provider_call_id;  // kPlaced, when the provider said
  std::string error;                            // kRetry, kFailed: what went wrong
  std::string end_reason;                       // kFailed
  util::Millis retry_at = 0;                    // kRetry
};

enum class CallReportResult {
  kRecorded,      // the outcome is stored and the lead is due
  kAlreadyEnded,  // a repeated or late report: nothing changed but missing details
  kProgress,      // the call goes on; noted, nothing else changed
  kUnknownCall,
};

// What /metrics reads from the database when scraped (all organizations together).
struct OpsCounts {
  std::vector<std::pair<std::string, std::int64_t>> leads_by_status;
  std::vector<std::pair<std::string, std::int64_t>> calls_by_outcome;  // ended calls only
  std::int64_t due_leads = 0;                 // due now and not yet stepped
  std::optional<std::int64_t> sqlite_memory;  // bytes SQLite holds in this process (SQLite only)
  std::optional<util::Millis> oldest_due;     // the earliest next_action_at among those
  std::int64_t queued_calls = 0;              // waiting to be sent to the call provider
  std::int64_t pending_deliveries = 0;        // webhook deliveries not yet delivered
};

// Readiness and the counts /metrics reports.
class OpsStore {
 public:
  virtual ~OpsStore() = default;
  // Throws StoreError when the database does not answer a trivial query.
  virtual void ping() = 0;
  virtual OpsCounts ops_counts(util::Millis now) = 0;
};

// Organizations and API keys.
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual bool has_organizations() = 0;
  // The organization with that name, created (with a new id) if there is none.
  virtual Organization ensure_organization(std::string_view name, util::Millis now) = 0;
  virtual void insert_api_key(const ApiKey& key) = 0;
  // The key by id, revoked or not; nullopt when there is none.
  virtual std::optional<ApiKey> find_api_key(std::string_view key_id) = 0;
  // The organization's keys, newest first.
  virtual std::vector<ApiKey> list_api_keys(std::string_view org_id) = 0;
  // Marks the key revoked; false when it is absent, another org's, or already revoked.
  virtual bool revoke_api_key(std::string_view org_id, std::string_view key_id,
                              util::Millis now) = 0;
};

// An organization's own record and settings (GET/PATCH /v1/organization), and what its
// contact caps count.
class OrganizationStore {
 public:
  virtual ~OrganizationStore() = default;
  virtual std::optional<Organization> find_organization(std::string_view org_id) = 0;
  // Applies the patch; throws ConflictError when another organization has the new name. Leads
  // of the organization waiting for a calling window or a contact cap are made due, so new
  // caps or state rules apply to them at once. nullopt when absent.
  virtual std::optional<Organization> update_organization(std::string_view org_id,
                                                          const OrganizationPatch& patch,
                                                          util::Millis now) = 0;
  // The times of the organization's calls to `phone` since `since` that count against
  // contact caps, oldest first.
  virtual std::vector<util::Millis> contact_times(std::string_view org_id, std::string_view phone,
                                                  util::Millis since) = 0;
};

// Workflows and their graphs, with the lead counts the graph view shows.
class DefinitionStore {
 public:
  virtual ~DefinitionStore() = default;
  virtual void insert_workflow(const domain::Workflow& workflow) = 0;
  // The workflow with its counts; nullopt when absent or another organization's.
  virtual std::optional<domain::Workflow> find_workflow(std::string_view org_id,
                                                        std::string_view workflow_id) = 0;
  virtual Page<domain::Workflow> list_workflows(std::string_view org_id,
                                                const WorkflowQuery& query) = 0;
  // Applies the patch and bumps the version; nullopt when absent. Throws ConflictError
  // when the workflow is completed or cancelled.
  virtual std::optional<domain::Workflow> update_workflow(std::string_view org_id,
                                                          std::string_view workflow_id,
                                                          const WorkflowPatch& patch,
                                                          util::Millis now) = 0;
  // Deletes the workflow with its nodes, edges, leads and history (calls stay).
  virtual DeleteWorkflowResult delete_workflow(std::string_view org_id,
                                               std::string_view workflow_id) = 0;
  // Copies the workflow into `copy` (its id, title, timestamps are the caller's) with every
  // node and edge under new ids. nullopt when the source is absent.
  virtual std::optional<domain::Workflow> duplicate_workflow(std::string_view org_id,
                                                             std::string_view source_id,
                                                             const domain::Workflow& copy) = 0;
  // Moves the workflow from `expected` to `to` and applies the lead-side effects of the
  // action (spec §2.8). Throws ConflictError when the status is no longer `expected`.
  virtual domain::Workflow transition_workflow(std::string_view org_id,
                                               std::string_view workflow_id,
                                               domain::WorkflowStatus expected,
                                               domain::LifecycleAction action,
                                               domain::WorkflowStatus to, util::Millis now) = 0;

  // --- Graph ---
  // Nodes and edges in creation order (empty when the workflow is absent).
  virtual domain::Graph load_graph(std::string_view workflow_id) = 0;
  // Each graph edit bumps the workflow's version. They throw ConflictError when the
  // workflow is completed or cancelled (checked inside the same transaction).
  virtual void insert_node(const domain::Node& node, util::Millis now) = 0;
  // Replaces label, position and config; false when the node is absent.
  virtual bool update_node(const domain::Node& node, util::Millis now) = 0;
  // Deletes the node and its edges; false when absent.
  virtual bool delete_node(std::string_view workflow_id, std::string_view node_id,
                           util::Millis now) = 0;
  // Throws ConflictError when the same (from, to, label) already exists.
  virtual void insert_edge(const domain::Edge& edge, util::Millis now) = 0;
  virtual bool delete_edge(std::string_view workflow_id, std::string_view edge_id,
                           util::Millis now) = 0;
  // Lead counts per node ("active", "waiting") and per lead status, for the graph view.
  struct NodeCounts {
    std::int64_t active = 0;
    std::int64_t waiting = 0;
    std::int64_t stalled = 0;  // of the waiting: no edge applies (spec §5.4)
    std::int64_t blocked = 0;  // of the waiting: for calling hours or a contact cap
  };
  virtual std::vector<std::pair<std::string, NodeCounts>> lead_counts_by_node(
      std::string_view workflow_id) = 0;
  virtual std::vector<std::pair<std::string, std::int64_t>> lead_counts_by_status(
      std::string_view workflow_id) = 0;
  // The workflow's leads a compliance rule holds (active) or ended (dropped).
  struct BlockedCounts {
    std::int64_t calling_window = 0;  // waiting for the calling window or a state's hours
    std::int64_t contact_cap = 0;     // waiting until a contact cap has room
    std::int64_t suppressed = 0;      // dropped: the number is on the do-not-call list
    std::int64_t consent = 0;         // dropped: not enough consent
  };
  virtual BlockedCounts blocked_counts(std::string_view workflow_id) = 0;
  // A SPLIT node's variants as leads took them: how many leads went down each (by label as
  // the history spells it), and how many of those ended on a CONVERTED node.
  struct VariantCount {
    std::string label;
    std::int64_t leads = 0;
    std::int64_t converted = 0;
  };
  virtual std::vector<VariantCount> split_counts(std::string_view workflow_id,
                                                 std::string_view node_id) = 0;
  // How many distinct leads have a finished visit of each node (the funnel).
  virtual std::vector<std::pair<std::string, std::int64_t>> visits_by_node(
      std::string_view workflow_id) = 0;
};

// Leads and calls as the API sees them: enrolment, listing, removal, history.
class LeadStore {
 public:
  virtual ~LeadStore() = default;
  // Inserts the leads (ids, timestamps and next_action_at filled by the caller) except
  // duplicates, bumps the workflow's enrolled count and records new variable names, all in
  // one transaction. Throws ConflictError when the workflow is completed or cancelled.
  virtual EnrollResult enroll_leads(const domain::Workflow& workflow, LeadSource& leads,
                                    bool allow_reenrollment, util::Millis now) = 0;
  EnrollResult enroll_leads(const domain::Workflow& workflow,
                            const std::vector<domain::Lead>& leads, bool allow_reenrollment,
                            util::Millis now) {
    LeadsAtOnce source(leads);
    return enroll_leads(workflow, source, allow_reenrollment, now);
  }
  // Newest first (created_at, then id).
  virtual Page<domain::Lead> list_leads(std::string_view workflow_id, const LeadQuery& query) = 0;
  virtual std::optional<domain::Lead> find_lead(std::string_view workflow_id,
                                                std::string_view lead_id) = 0;
  // Marks the lead removed and unschedules it (a call in flight still finishes and is
  // recorded). The history gets an entry for the node it stood on.
  virtual RemoveLeadResult remove_lead(std::string_view workflow_id, std::string_view lead_id,
                                       util::Millis now) = 0;
  // Oldest first.
  virtual std::vector<domain::HistoryEntry> lead_history(std::string_view lead_id) = 0;
  // Every variable name ever enrolled into the workflow, in first-seen order.
  virtual std::vector<std::string> variable_keys(std::string_view workflow_id) = 0;
  virtual Page<domain::Call> list_calls(std::string_view org_id, const CallQuery& query) = 0;
  virtual std::optional<domain::Call> find_call(std::string_view org_id,
                                                std::string_view call_id) = 0;
};

// The engine's claims of due leads and the writes of their steps.
class ExecutionStore {
 public:
  virtual ~ExecutionStore() = default;
  // In one transaction: claims up to `limit` leads due at `now` (leads of active workflows,
  // plus leads of any workflow waiting on a call, so calls finish), passes them to `step`,
  // and applies what it returns. A throw from `step` rolls everything back. Answers the
  // number of leads claimed.
  // `lookback` says which leads' earlier calls to read (DueLead::contacts); on PostgreSQL
  // their numbers stay locked until the batch commits, so caps hold across processes.
  using StepFunction = std::function<StepWrites(std::vector<DueLead>& batch)>;
  virtual size_t run_due_steps(util::Millis now, size_t limit, const StepFunction& step,
                               const ContactLookback& lookback = {}) = 0;
  // The earliest next_action_at among leads that run_due_steps could claim (nullopt: none).
  virtual std::optional<util::Millis> next_due_at() = 0;
  // Upkeep of the graph's counts, which run_due_steps keeps as rows added per batch on
  // PostgreSQL: sums each key's rows into one, so readers sum few (nothing to do on SQLite,
  // which updates them in place). A failure loses nothing (readers sum every row) and the
  // next call folds what is left. Throws StoreError.
  virtual void fold_counts() = 0;
  // Records the answer of a WEBHOOK / http.request step in the lead's context
  // ("action_result") and makes the lead due, if it still waits on that node; false
  // otherwise (a late or repeated answer changes nothing).
  virtual bool record_action_result(std::string_view lead_id, std::string_view node_id,
                                    const Json& result, util::Millis now) = 0;
};

// What an event did to one lead it reached.
struct EventTarget {
  std::string lead_id;
  std::string workflow_id;
  domain::EventEffect effect = domain::EventEffect::kRecorded;
};

struct RecordedEvent {
  std::vector<EventTarget> leads;
  // Set when the event's idempotency key had been recorded before (nothing changed): the
  // event as first recorded, whose answer a repeat gets.
  std::optional<domain::InboundEvent> first;
};

struct RecordEventsResult {
  std::vector<RecordedEvent> events;  // in input order
  // The input position of an event whose lead_id names no lead of the organization (in its
  // workflow_id, when given): then nothing at all was recorded.
  std::optional<size_t> unknown_lead;
};

// One event as a lead's event list shows it.
struct LeadEventEntry {
  std::string event_id;
  std::string type;
  Json data = Json::object();
  domain::EventEffect effect = domain::EventEffect::kRecorded;
  util::Millis created_at = 0;
};

// Events clients report about leads (extension: POST /v1/events).
class EventStore {
 public:
  virtual ~EventStore() = default;
  // Records the events in one transaction, in order: each reaches its lead (lead_id) or every
  // pending or active lead with its phone number in the organization (limited to
  // workflow_id when given), is kept in their history and context, ends a lead by its
  // workflow's exit rule or wakes a lead waiting for events (domain::apply_event), and fans
  // out workflow.lead.event (and the end's event) to subscribed webhooks. An event whose
  // idempotency key the organization used before changes nothing and answers the first.
  virtual RecordEventsResult record_events(const std::vector<domain::InboundEvent>& events,
                                           util::Millis now) = 0;
  // The events that reached the lead, oldest first.
  virtual Page<LeadEventEntry> lead_events(std::string_view lead_id, const PageRequest& page) = 0;
};

struct SuppressionQuery {
  std::optional<std::string> number_contains;  // digits (and '+') of the number
  std::optional<std::string> workflow_id;      // "" = the organization-wide entries
  PageRequest page;
};

struct SuppressionAdded {
  domain::Suppression entry;  // as stored
  bool created = true;        // false: the number (and scope) was listed; its entry updated
};

// The organization's do-not-call list (compliance extension, spec §7a).
class SuppressionStore {
 public:
  virtual ~SuppressionStore() = default;
  // Adds the entries in one transaction. An entry whose number and workflow scope the
  // organization already lists replaces that entry's reason, source and expiry (its id and
  // creation time stay).
  virtual std::vector<SuppressionAdded> add_suppressions(
      const std::vector<domain::Suppression>& entries) = 0;
  // nullopt when absent or another organization's.
  virtual std::optional<domain::Suppression> find_suppression(std::string_view org_id,
                                                              std::string_view suppression_id) = 0;
  // Newest first.
  virtual Page<domain::Suppression> list_suppressions(std::string_view org_id,
                                                      const SuppressionQuery& query) = 0;
  virtual bool delete_suppression(std::string_view org_id, std::string_view suppression_id) = 0;
  // The entry that stops calls to `phone` in the workflow at `now` (the engine's rule).
  virtual std::optional<domain::Suppression> blocking_suppression(std::string_view org_id,
                                                                  std::string_view workflow_id,
                                                                  std::string_view phone,
                                                                  util::Millis now) = 0;
};

// Webhook subscriptions (spec §7) and the deliveries the API lists.
class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  virtual void insert_webhook(const Webhook& webhook) = 0;
  // nullopt when absent or another organization's.
  virtual std::optional<Webhook> find_webhook(std::string_view org_id,
                                              std::string_view webhook_id) = 0;
  // Newest first.
  virtual Page<Webhook> list_webhooks(std::string_view org_id, const PageRequest& page) = 0;
  // nullopt when absent.
  virtual std::optional<Webhook> update_webhook(std::string_view org_id,
                                                std::string_view webhook_id,
                                                const WebhookPatch& patch, util::Millis now) = 0;
  // Deletes the webhook and its deliveries (pending ones are never sent); false when absent.
  virtual bool delete_webhook(std::string_view org_id, std::string_view webhook_id) = 0;
  // The webhook's deliveries, newest first; empty when the webhook is absent.
  virtual Page<WebhookDelivery> list_deliveries(std::string_view org_id,
                                                std::string_view webhook_id,
                                                const DeliveryQuery& query) = 0;
};

// The webhook outbox: events in, deliveries leased to deliverers and their attempts recorded.
class DeliveryOutbox {
 public:
  virtual ~DeliveryOutbox() = default;
  // Writes the events (and one pending delivery per subscribed active webhook) in one
  // transaction; an event nobody subscribes to is dropped. The engine's events go through
  // run_due_steps instead.
  virtual void append_events(const std::vector<domain::Event>& events) = 0;
  // Leases up to `limit` due pending deliveries of active webhooks to `owner` until
  // now + lease_millis. Never one while an earlier delivery of the same webhook and order
  // key is pending, so each lead's events arrive in order. A lease that expired (its owner
  // died) is claimed again. Several processes may call it at once. `scope` picks the
  // webhooks: only those listed, or all but those listed.
  virtual std::vector<ClaimedDelivery> claim_deliveries(util::Millis now, size_t limit,
                                                        std::string_view owner,
                                                        util::Millis lease_millis,
                                                        const WebhookScope& scope = {}) = 0;
  // Records attempts of deliveries leased to `owner` (one transaction; a delivery whose
  // lease moved on, or that was deleted, is left alone).
  virtual void record_deliveries(std::string_view owner,
                                 const std::vector<DeliveryOutcome>& outcomes) = 0;
  // The earliest next_attempt_at of a pending delivery of an active webhook (nullopt: none).
  virtual std::optional<util::Millis> next_delivery_at() = 0;
};

// The call outbox (external provider, spec §6.1): queued calls leased to dispatchers, what
// the provider answered, and its reports on calls.
class CallOutbox {
 public:
  virtual ~CallOutbox() = default;
  // In one transaction (one claimer at a time across processes): reads the slate of up to
  // `limit` due queued calls, lets `choose` pick, marks the chosen `send` calls claimed until
  // now + lease_millis (in flight, not due again before then) and ends the `cancel` calls as
  // FAILED ("cancelled"). Answers the claimed calls.
  using DispatchChooser = std::function<DispatchChoice(const DispatchSlate&)>;
  virtual std::vector<QueuedCall> claim_calls(util::Millis now, size_t limit,
                                              util::Millis lease_millis,
                                              const DispatchChooser& choose) = 0;
  // Applies what the provider answered, in one transaction: placed calls become
  // `initiated`; failed ones end FAILED and wake their lead; retries wait until retry_at.
  // Only calls still queued change (a call the engine ended meanwhile stays ended).
  virtual void record_dispatch_results(const std::vector<DispatchResult>& results,
                                       util::Millis now) = 0;
  // The earliest next_dispatch_at of a queued call (nullopt: none).
  virtual std::optional<util::Millis> next_dispatch_at() = 0;
  // Records a provider's report on a call: an outcome ends the call (once) and makes its
  // lead due; a report on an ended call only fills in an analysis or transcript it lacked.
  virtual CallReportResult record_call_report(const domain::CallReport& report,
                                              util::Millis now) = 0;
};

class Store : public OpsStore,
              public KeyStore,
              public OrganizationStore,
              public DefinitionStore,
              public LeadStore,
              public ExecutionStore,
              public WebhookStore,
              public SuppressionStore,
              public EventStore,
              public DeliveryOutbox,
              public CallOutbox {};

struct StoreOptions {
  StoreOptions(std::string database_url = "sqlite:leadline.db") : url(std::move(database_url)) {}
  std::string url;  // "sqlite:PATH" or "postgresql://..."
  // SQLite only: the most memory all page caches of the process take together; nullopt keeps
  // the driver's default (256 MB).
  std::optional<std::int64_t> sqlite_cache_bytes;
  // Whether the URL names a PostgreSQL server (several writers) rather than a SQLite file.
  bool postgres() const {
    return url.starts_with("postgresql://") || url.starts_with("postgres://");
  }
};

// Opens (creating and migrating as needed) the database named by the URL. Throws
// StoreError for an unsupported scheme, naming the supported ones.
std::unique_ptr<Store> open_store(const StoreOptions& options);

}  // namespace leadline::store
