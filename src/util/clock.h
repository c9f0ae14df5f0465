#pragma once
// The one source of time for the API and the engine: real, scaled (a demo runs N times
// faster than real time), or manual (tests advance it explicitly). Thread-safe.
#include <atomic>
#include <chrono>

#include "util/time.h"

namespace leadline::util {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now() const = 0;
  // How many clock milliseconds pass per real millisecond (1 for real time). The engine uses
  // it to turn "sleep until T" into a real wait.
  virtual double rate() const { return 1.0; }
};

class SystemClock final : public Clock {
 public:
  Millis now() const override { return system_now(); }
};

// Starts at the real time of construction and runs `scale` times faster.
class ScaledClock final : public Clock {
 public:
  explicit ScaledClock(double scale) : scale_(scale), origin_(system_now()) {}
  Millis now() const override {
    const Millis real = system_now();
    return origin_ + static_cast<Millis>(static_cast<double>(real - origin_) * scale_);
  }
  double rate() const override { return scale_; }

 private:
  double scale_;
  Millis origin_;
};

// Stands still until a test moves it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Millis start) : now_(start) {}
  Millis now() const override { return now_.load(); }
  double rate() const override { return 0.0; }
  void advance(std::chrono::milliseconds by) { now_ += by.count(); }
  void set(Millis to) { now_ = to; }

 private:
  std::atomic<Millis> now_;
};

}  // namespace leadline::util
