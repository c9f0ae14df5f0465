#include "domain/workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>

namespace leadline::domain {
namespace {

using S = WorkflowStatus;
using A = LifecycleAction;

constexpr S kAllStatuses[] = {S::kDraft, S::kActive, S::kPaused, S::kCompleted, S::kCancelled};
constexpr A kAllActions[] = {A::kActivate, A::kPause,    A::kResume,
                             A::kCancel,   A::kComplete, A::kDeactivate};

TEST(Workflow, StatusNamesRoundTrip) {
  for (S status : kAllStatuses) {
    EXPECT_EQ(workflow_status_from_string(to_string(status)), status) << to_string(status);
  }
  EXPECT_EQ(to_string(S::kDraft), "draft");
  EXPECT_EQ(to_string(S::kActive), "active");
  EXPECT_EQ(to_string(S::kPaused), "paused");
  EXPECT_EQ(to_string(S::kCompleted), "completed");
  EXPECT_EQ(to_string(S::kCancelled), "cancelled");
}

TEST(Workflow, ReadsLegacyRunningAsActive) {
  EXPECT_EQ(workflow_status_from_string("running"), S::kActive);
}

TEST(Workflow, RejectsUnknownStatus) {
  EXPECT_EQ(workflow_status_from_string("Active"), std::nullopt);
  EXPECT_EQ(workflow_status_from_string(""), std::nullopt);
  EXPECT_EQ(workflow_status_from_string("archived"), std::nullopt);
}

TEST(Workflow, ActionNamesRoundTrip) {
  for (A action : kAllActions) {
    EXPECT_EQ(lifecycle_action_from_string(to_string(action)), action) << to_string(action);
  }
  EXPECT_EQ(to_string(A::kDeactivate), "deactivate");
  EXPECT_EQ(lifecycle_action_from_string("start"), std::nullopt);
  EXPECT_EQ(lifecycle_action_from_string("PAUSE"), std::nullopt);
}

TEST(Workflow, LifecycleTableIsExactlyTheSpecs) {
  // §2.8: every (from, action) pair not listed here is illegal.
  const std::map<std::pair<S, A>, S> legal = {
      {{S::kDraft, A::kActivate}, S::kActive},     {{S::kActive, A::kPause}, S::kPaused},
      {{S::kPaused, A::kResume}, S::kActive},      {{S::kDraft, A::kCancel}, S::kCancelled},
      {{S::kActive, A::kCancel}, S::kCancelled},   {{S::kPaused, A::kCancel}, S::kCancelled},
      {{S::kActive, A::kComplete}, S::kCompleted}, {{S::kPaused, A::kComplete}, S::kCompleted},
      {{S::kActive, A::kDeactivate}, S::kDraft},   {{S::kPaused, A::kDeactivate}, S::kDraft},
  };
  for (S from : kAllStatuses) {
    for (A action : kAllActions) {
      auto it = legal.find({from, action});
      auto expected = it == legal.end() ? std::nullopt : std::optional<S>(it->second);
      EXPECT_EQ(apply_lifecycle(from, action), expected)
          << to_string(action) << " from " << to_string(from);
    }
  }
}

TEST(Workflow, OnlyCompletedAndCancelledAreFinal) {
  EXPECT_FALSE(is_final(S::kDraft));
  EXPECT_FALSE(is_final(S::kActive));
  EXPECT_FALSE(is_final(S::kPaused));
  EXPECT_TRUE(is_final(S::kCompleted));
  EXPECT_TRUE(is_final(S::kCancelled));
}

}  // namespace
}  // namespace leadline::domain
