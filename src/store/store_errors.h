#pragma once
// Errors the store throws. Missing rows are not errors: methods answer nullopt/false.
#include <stdexcept>
#include <string>

namespace leadline::store {

// The database failed or is unreachable; the operation changed nothing.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The change conflicts with the current state (a uniqueness rule, or a status that moved
// underneath the caller); the operation changed nothing. The API answers 409 with what().
class ConflictError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace leadline::store
