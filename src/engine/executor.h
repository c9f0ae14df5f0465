#pragma once
// Runs one step of one lead: from where it stands, through every instant node (CONDITIONAL,
// set_variables, SMS without a provider, terminals), up to the next node that waits (a
// delay, a call, an HTTP answer) or the end. Pure apart from its inputs: the time is given,
// calls go to the in-process simulator, and HTTP requests are returned as jobs to run after
// the batch commits. Thread-safe (const).
#include <string>
#include <vector>

#include "domain/lead.h"
#include "engine/compiled_workflow.h"
#include "providers/call_simulator.h"
#include "store/store.h"

namespace leadline::engine {

// An HTTP request a WEBHOOK node or an http.request action waits for.
struct HttpJob {
  std::string org_id;  // whose share of the runner's threads it takes
  std::string lead_id;
  std::string node_id;
  std::string url;
  std::string method;
  Json headers = Json::object();
  std::string body;
  std::int64_t timeout_ms = 10'000;
};

// Where calls go: the in-process simulator decides a call's result when its time is up; an
// external provider is sent the call by the CallDispatcher and reports the result later.
struct CallPlacement {
  bool external = false;
  // External only: how long after the provider accepted a call its outcome may take before
  // the call counts as FAILED (end reason "timeout").
  util::Millis timeout_millis = 30 * 60'000;
};

class Executor {
 public:
  explicit Executor(const providers::CallSimulator& simulator, CallPlacement placement = {})
      : simulator_(simulator), placement_(placement) {}

  // Steps the lead and appends what changed to `writes` (always the lead itself) and any
  // HTTP request to `jobs`. `workflow` is the lead's compiled graph (never null). Never
  // throws for one lead's sake: a step that throws is taken back and the lead fails alone
  // (fail_lead), so the rest of its batch commits. The calls its contact caps count are
  // `due.contacts`: the caller adds those that earlier steps of the batch placed.
  void step(store::DueLead& due, const CompiledWorkflow& workflow, util::Millis now,
            store::StepWrites& writes, std::vector<HttpJob>& jobs) const;

  // Appends the writes that end the lead `failed` at `node_id` (where a step stopped; by
  // default where it stood), with `reason` in its history and a workflow.lead.failed event.
  static void fail_lead(const store::DueLead& due, const CompiledWorkflow& workflow,
                        const std::optional<std::string>& node_id, util::Millis now,
                        const std::string& reason, store::StepWrites& writes);

  // The most nodes one step may pass through; validation forbids instant cycles, this only
  // guards against a graph edited into one while leads run.
  static constexpr int kMaxHops = 64;

 private:
  const providers::CallSimulator& simulator_;
  CallPlacement placement_;
};

}  // namespace leadline::engine
