#pragma once
// The storage contract the API and the engine rely on. SqliteStore implements it (a
// PostgreSQL implementation follows the same contract). Every method may be called from any
// thread; every method that changes more than one row does so atomically.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/graph.h"
#include "domain/workflow.h"
#include "store/store_errors.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::store {

struct Organization {
  std::string id;
  std::string name;
  util::Millis created_at = 0;
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

class Store {
 public:
  virtual ~Store() = default;

  // --- Organizations and API keys ---
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

  // --- Workflows ---
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
  };
  virtual std::vector<std::pair<std::string, NodeCounts>> lead_counts_by_node(
      std::string_view workflow_id) = 0;
  virtual std::vector<std::pair<std::string, std::int64_t>> lead_counts_by_status(
      std::string_view workflow_id) = 0;
};

struct StoreOptions {
  std::string url = "sqlite:leadline.db";  // "sqlite:PATH"
};

// Opens (creating and migrating as needed) the database named by the URL. Throws
// StoreError for an unsupported scheme, naming the supported ones.
std::unique_ptr<Store> open_store(const StoreOptions& options);

}  // namespace leadline::store
