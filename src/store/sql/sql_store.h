#pragma once
// The Store, once for both databases, over the driver interface of driver.h.
//
// SQLite (embedded file, WAL): writes take BEGIN IMMEDIATE, so one writer at a time; readers
// run beside it on other pooled connections.
// PostgreSQL (several `leadline serve` processes sharing one database): transactions run at
// READ COMMITTED and lock the rows they decide on (the workflow row for lifecycle, graph and
// enrolment changes; the lead rows a step claims, with SKIP LOCKED), so every method keeps
// the same atomicity as SQLite's single writer.
#include <atomic>
#include <functional>
#include <string>

#include "store/sql/driver.h"
#include "store/store.h"

namespace leadline::store::sql {

// The exit status of a process that LEADLINE_TEST_DIE_IN_MIGRATION=<version> told to die
// before committing that migration (store.cpp): tests cut an upgrade off mid-way with it.
inline constexpr int kDiedInMigration = 86;

class SqlStore final : public Store {
 public:
  // Opens a first connection with `connect` and applies pending migrations. `check_fresh`
  // is what ping() runs (by default: a query on a pooled connection).
  explicit SqlStore(ConnectionPool::Connect connect, std::function<void()> check_fresh = {});

  // Store
  void ping() override;
  OpsCounts ops_counts(util::Millis now) override;
  bool has_organizations() override;
  Organization ensure_organization(std::string_view name, util::Millis now) override;
  void insert_api_key(const ApiKey& key) override;
  std::optional<ApiKey> find_api_key(std::string_view key_id) override;
  std::vector<ApiKey> list_api_keys(std::string_view org_id) override;
  bool revoke_api_key(std::string_view org_id, std::string_view key_id, util::Millis now) override;

  // organizations.cpp
  std::optional<Organization> find_organization(std::string_view org_id) override;
  std::optional<Organization> update_organization(std::string_view org_id,
                                                  const OrganizationPatch& patch,
                                                  util::Millis now) override;
  std::vector<util::Millis> contact_times(std::string_view org_id, std::string_view phone,
                                          util::Millis since) override;

  void insert_workflow(const domain::Workflow& workflow) override;
  std::optional<domain::Workflow> find_workflow(std::string_view org_id,
                                                std::string_view workflow_id) override;
  Page<domain::Workflow> list_workflows(std::string_view org_id,
                                        const WorkflowQuery& query) override;
  std::optional<domain::Workflow> update_workflow(std::string_view org_id,
                                                  std::string_view workflow_id,
                                                  const WorkflowPatch& patch,
                                                  util::Millis now) override;
  DeleteWorkflowResult delete_workflow(std::string_view org_id,
                                       std::string_view workflow_id) override;
  std::optional<domain::Workflow> duplicate_workflow(std::string_view org_id,
                                                     std::string_view source_id,
                                                     const domain::Workflow& copy) override;
  domain::Workflow transition_workflow(std::string_view org_id, std::string_view workflow_id,
                                       domain::WorkflowStatus expected,
                                       domain::LifecycleAction action, domain::WorkflowStatus to,
                                       util::Millis now) override;

  domain::Graph load_graph(std::string_view workflow_id) override;
  void insert_node(const domain::Node& node, util::Millis now) override;
  bool update_node(const domain::Node& node, util::Millis now) override;
  bool delete_node(std::string_view workflow_id, std::string_view node_id,
                   util::Millis now) override;
  void insert_edge(const domain::Edge& edge, util::Millis now) override;
  bool delete_edge(std::string_view workflow_id, std::string_view edge_id,
                   util::Millis now) override;
  std::vector<std::pair<std::string, NodeCounts>> lead_counts_by_node(
      std::string_view workflow_id) override;
  BlockedCounts blocked_counts(std::string_view workflow_id) override;
  std::vector<std::pair<std::string, std::int64_t>> lead_counts_by_status(
      std::string_view workflow_id) override;
  std::vector<std::pair<std::string, std::int64_t>> visits_by_node(
      std::string_view workflow_id) override;
  std::vector<VariantCount> split_counts(std::string_view workflow_id,
                                         std::string_view node_id) override;

  // leads.cpp
  using LeadStore::enroll_leads;
  EnrollResult enroll_leads(const domain::Workflow& workflow, LeadSource& leads,
                            bool allow_reenrollment, util::Millis now) override;
  Page<domain::Lead> list_leads(std::string_view workflow_id, const LeadQuery& query) override;
  std::optional<domain::Lead> find_lead(std::string_view workflow_id,
                                        std::string_view lead_id) override;
  RemoveLeadResult remove_lead(std::string_view workflow_id, std::string_view lead_id,
                               util::Millis now) override;
  std::vector<domain::HistoryEntry> lead_history(std::string_view lead_id) override;
  std::vector<std::string> variable_keys(std::string_view workflow_id) override;
  // calls.cpp
  Page<domain::Call> list_calls(std::string_view org_id, const CallQuery& query) override;
  std::optional<domain::Call> find_call(std::string_view org_id, std::string_view call_id) override;

  // engine.cpp
  size_t run_due_steps(util::Millis now, size_t limit, const StepFunction& step,
                       const ContactLookback& lookback) override;
  std::optional<util::Millis> next_due_at() override;
  bool record_action_result(std::string_view lead_id, std::string_view node_id, const Json& result,
                            util::Millis now) override;
  // dispatch.cpp
  std::vector<QueuedCall> claim_calls(util::Millis now, size_t limit, util::Millis lease_millis,
                                      const Store::DispatchChooser& choose) override;
  void record_dispatch_results(const std::vector<DispatchResult>& results,
                               util::Millis now) override;
  std::optional<util::Millis> next_dispatch_at() override;
  CallReportResult record_call_report(const domain::CallReport& report, util::Millis now) override;

  // webhooks.cpp
  void insert_webhook(const Webhook& webhook) override;
  std::optional<Webhook> find_webhook(std::string_view org_id,
                                      std::string_view webhook_id) override;
  Page<Webhook> list_webhooks(std::string_view org_id, const PageRequest& page) override;
  std::optional<Webhook> update_webhook(std::string_view org_id, std::string_view webhook_id,
                                        const WebhookPatch& patch, util::Millis now) override;
  bool delete_webhook(std::string_view org_id, std::string_view webhook_id) override;
  Page<WebhookDelivery> list_deliveries(std::string_view org_id, std::string_view webhook_id,
                                        const DeliveryQuery& query) override;
  void append_events(const std::vector<domain::Event>& events) override;
  std::vector<ClaimedDelivery> claim_deliveries(util::Millis now, size_t limit,
                                                std::string_view owner, util::Millis lease_millis,
                                                const WebhookScope& scope) override;
  void record_deliveries(std::string_view owner,
                         const std::vector<DeliveryOutcome>& outcomes) override;
  std::optional<util::Millis> next_delivery_at() override;

  // suppressions.cpp
  std::vector<SuppressionAdded> add_suppressions(
      const std::vector<domain::Suppression>& entries) override;
  std::optional<domain::Suppression> find_suppression(std::string_view org_id,
                                                      std::string_view suppression_id) override;
  Page<domain::Suppression> list_suppressions(std::string_view org_id,
                                              const SuppressionQuery& query) override;
  bool delete_suppression(std::string_view org_id, std::string_view suppression_id) override;
  std::optional<domain::Suppression> blocking_suppression(std::string_view org_id,
                                                          std::string_view workflow_id,
                                                          std::string_view phone,
                                                          util::Millis now) override;

  // events.cpp
  RecordEventsResult record_events(const std::vector<domain::InboundEvent>& events,
                                   util::Millis now) override;
  Page<LeadEventEntry> lead_events(std::string_view lead_id, const PageRequest& page) override;

  // graph.cpp
  void fold_counts() override;

 private:
  void migrate();
  ConnectionPool pool_;
  std::function<void()> check_fresh_;
};

}  // namespace leadline::store::sql
