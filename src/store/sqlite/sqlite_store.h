#pragma once
// The Store on an embedded SQLite file (WAL mode). Writes take BEGIN IMMEDIATE, so one
// writer at a time; readers run beside it on other pooled connections.
#include <string>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace leadline::store::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens or creates the file at `path` and applies pending migrations.
  explicit SqliteStore(const std::string& path);

  // Store
  bool has_organizations() override;
  Organization ensure_organization(std::string_view name, util::Millis now) override;
  void insert_api_key(const ApiKey& key) override;
  std::optional<ApiKey> find_api_key(std::string_view key_id) override;
  std::vector<ApiKey> list_api_keys(std::string_view org_id) override;
  bool revoke_api_key(std::string_view org_id, std::string_view key_id, util::Millis now) override;

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
  std::vector<std::pair<std::string, std::int64_t>> lead_counts_by_status(
      std::string_view workflow_id) override;

 private:
  void migrate();
  ConnectionPool pool_;
};

}  // namespace leadline::store::sqlite
