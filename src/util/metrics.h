#pragma once
// Counters, gauges and fixed-bucket histograms updated lock-free from many threads, and a
// writer of the Prometheus text exposition format (version 0.0.4) that renders them. A
// Metrics registry holds the collectors that write every family when /metrics is scraped.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadline::util {

class Counter {
 public:
  void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Observations into buckets fixed at construction (upper bounds, ascending; +Inf implied).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  // Per bucket (not cumulative), the last one for +Inf.
  std::vector<std::uint64_t> bucket_counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

  // Seconds, from a millisecond up to about two minutes: request and batch durations.
  static std::vector<double> duration_buckets();
  // Seconds, from a millisecond up to a day: how late due work is picked up.
  static std::vector<double> lateness_buckets();

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

using Labels = std::vector<std::pair<std::string, std::string>>;

// Writes families in the text format: HELP and TYPE once per family, then its samples.
class MetricsWriter {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  // name_bucket{...,le="..."} (cumulative), name_sum and name_count.
  void histogram(std::string_view name, const Labels& labels, const Histogram& histogram);

  const std::string& text() const { return out_; }

  static std::string escape_label(std::string_view value);
  static std::string format_value(double value);

 private:
  std::string out_;
};

// What /metrics renders: collectors added at start-up, each writing its families.
class Metrics {
 public:
  using Collector = std::function<void(MetricsWriter&)>;
  void add_collector(Collector collector);
  // Runs every collector; one failing (e.g. the database is down) does not hide the others.
  std::string render() const;

 private:
  mutable std::mutex mutex_;  // guards collectors_; taken at start-up and scrape only
  std::vector<Collector> collectors_;
};

// process_resident_memory_bytes, process_open_fds, process_start_time_seconds (from /proc).
void write_process_metrics(MetricsWriter& out);

}  // namespace leadline::util
