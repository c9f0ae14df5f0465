// Operations routes (spec §8): /metrics parsed whole as Prometheus text with a strict parser,
// its values checked against the traffic and engine steps that produced them; /readyz
// against a database that stops answering.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "api/api_fixture.h"
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

// One scrape: samples keyed by `name{k="v",...}` with labels sorted by name.
struct Scrape {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;  // family -> counter|gauge|histogram

  double value(const std::string& key) const {
    auto it = samples.find(key);
    return it == samples.end() ? 0.0 : it->second;
  }
  // The sum over every sample of `name` (any labels).
  double total(const std::string& name) const {
    double sum = 0;
    for (const auto& [key, v] : samples)
      if (key == name || key.starts_with(name + "{")) sum += v;
    return sum;
  }
};

const std::regex kName("[a-zA-Z_:][a-zA-Z0-9_:]*");
const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");

double parse_value(const std::string& text) {
  if (text == "+Inf") return INFINITY;
  if (text == "-Inf") return -INFINITY;
  if (text == "NaN") return NAN;
  std::size_t used = 0;
  const double v = std::stod(text, &used);
  if (used != text.size()) throw std::runtime_error("bad value: " + text);
  return v;
}

// Parses `{k="v",...}` starting at text[pos] == '{'; answers the labels, pos after '}'.
std::map<std::string, std::string> parse_labels(const std::string& text, std::size_t& pos) {
  std::map<std::string, std::string> labels;
  ++pos;  // '{'
  while (true) {
    if (pos < text.size() && text[pos] == '}') {
      ++pos;
      return labels;
    }
    const auto eq = text.find('=', pos);
    if (eq == std::string::npos) throw std::runtime_error("label without '='");
    const std::string name = text.substr(pos, eq - pos);
    if (!std::regex_match(name, kLabelName)) throw std::runtime_error("bad label " + name);
    pos = eq + 1;
    if (pos >= text.size() || text[pos] != '"') throw std::runtime_error("unquoted label");
    ++pos;
    std::string value;
    while (true) {
      if (pos >= text.size()) throw std::runtime_error("unterminated label value");
      const char c = text[pos++];
      if (c == '"') break;
      if (c == '\n') throw std::runtime_error("raw newline in label value");
      if (c == '\\') {
        if (pos >= text.size()) throw std::runtime_error("dangling escape");
        const char e = text[pos++];
        if (e == 'n') {
          value += '\n';
        } else if (e == '\\' || e == '"') {
          value += e;
        } else {
          throw std::runtime_error("bad escape in label value");
        }
      } else {
        value += c;
      }
    }
    if (!labels.emplace(name, value).second) throw std::runtime_error("repeated label " + name);
    if (pos < text.size() && text[pos] == ',') ++pos;
  }
}

std::string key_of(const std::string& name, const std::map<std::string, std::string>& labels) {
  if (labels.empty()) return name;
  std::string key = name + "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    key += (first ? "" : ",") + k + "=\"" + v + "\"";
    first = false;
  }
  return key + "}";
}

// The family a sample belongs to: a histogram's _bucket/_sum/_count belong to its base name.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.ends_with(s)) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return name;
}

// Strict: every line is HELP, TYPE or a sample of a family typed before it; counters end in
// _total; histograms have cumulative buckets ending at le="+Inf" equal to _count.
Scrape parse_prometheus(const std::string& text) {
  Scrape scrape;
  std::set<std::string> helped;
  // histogram series (labels without le) -> buckets in order, and their _count
  std::map<std::string, std::vector<std::pair<std::string, double>>> buckets;
  std::map<std::string, double> counts;
  if (!text.empty() && text.back() != '\n') throw std::runtime_error("no final newline");
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) throw std::runtime_error("empty line");
    if (line.starts_with("# HELP ")) {
      const std::string rest = line.substr(7);
      const std::string name = rest.substr(0, rest.find(' '));
      if (!std::regex_match(name, kName)) throw std::runtime_error("bad HELP name: " + line);
      if (!helped.insert(name).second) throw std::runtime_error("second HELP: " + line);
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream in(line.substr(7));
      std::string name, type, extra;
      in >> name >> type;
      if (in >> extra) throw std::runtime_error("junk after TYPE: " + line);
      if (!std::regex_match(name, kName)) throw std::runtime_error("bad TYPE name: " + line);
      if (type != "counter" && type != "gauge" && type != "histogram")
        throw std::runtime_error("bad type: " + line);
      if (type == "counter" && !name.ends_with("_total"))
        throw std::runtime_error("counter not ending _total: " + line);
      if (!scrape.types.emplace(name, type).second)
        throw std::runtime_error("second TYPE: " + line);
      continue;
    }
    if (line.starts_with("#")) throw std::runtime_error("unexpected comment: " + line);
    std::size_t pos = 0;
    while (pos < line.size() && line[pos] != '{' && line[pos] != ' ') ++pos;
    const std::string name = line.substr(0, pos);
    if (!std::regex_match(name, kName)) throw std::runtime_error("bad sample name: " + line);
    std::map<std::string, std::string> labels;
    if (pos < line.size() && line[pos] == '{') labels = parse_labels(line, pos);
    if (pos >= line.size() || line[pos] != ' ') throw std::runtime_error("no value: " + line);
    const double value = parse_value(line.substr(pos + 1));
    const std::string family = family_of(name, scrape.types);
    auto type = scrape.types.find(family);
    if (type == scrape.types.end()) throw std::runtime_error("sample without TYPE: " + line);
    if (type->second == "histogram") {
      if (name == family) throw std::runtime_error("bare histogram sample: " + line);
      if (name.ends_with("_bucket")) {
        auto le = labels.find("le");
        if (le == labels.end()) throw std::runtime_error("bucket without le: " + line);
        const std::string bound = le->second;
        labels.erase(le);
        buckets[key_of(family, labels)].emplace_back(bound, value);
        labels.emplace("le", bound);
      } else if (name.ends_with("_count")) {
        counts[key_of(family, labels)] = value;
      }
    } else if (type->second == "counter" && value < 0) {
      throw std::runtime_error("negative counter: " + line);
    }
    if (!scrape.samples.emplace(key_of(name, labels), value).second)
      throw std::runtime_error("repeated sample: " + line);
  }
  for (const auto& [series, list] : buckets) {
    double previous = -1, previous_count = 0;
    for (const auto& [bound, count] : list) {
      const double le = parse_value(bound);
      if (le <= previous) throw std::runtime_error(series + ": bucket bounds not increasing");
      if (count < previous_count) throw std::runtime_error(series + ": buckets not cumulative");
      previous = le;
      previous_count = count;
    }
    if (list.empty() || list.back().first != "+Inf")
      throw std::runtime_error(series + ": no le=\"+Inf\" bucket last");
    if (!counts.contains(series) || counts[series] != list.back().second)
      throw std::runtime_error(series + ": +Inf bucket differs from _count");
  }
  for (const auto& [series, count] : counts)
    if (!buckets.contains(series)) throw std::runtime_error(series + ": _count without buckets");
  return scrape;
}

class OpsApi : public EngineTest {
 protected:
  Scrape scrape() {
    HttpClient anonymous(port_);
    auto res = anonymous.get("/metrics");
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_TRUE(res.headers["content-type"].starts_with("text/plain; version=0.0.4"))
        << res.headers["content-type"];
    try {
      return parse_prometheus(res.body);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << "\n" << res.body;
      return {};
    }
  }
};

TEST(PrometheusParser, RefusesWhatIsNotTheTextFormat) {
  EXPECT_NO_THROW(parse_prometheus("# HELP a_total x\n# TYPE a_total counter\na_total 1\n"));
  EXPECT_ANY_THROW(parse_prometheus("a_total 1\n"));              // no TYPE
  EXPECT_ANY_THROW(parse_prometheus("# TYPE a counter\na 1\n"));  // counter without _total
  EXPECT_ANY_THROW(parse_prometheus("# TYPE g gauge\ng{x=\"1} 1\n"));
  EXPECT_ANY_THROW(parse_prometheus(
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));
  EXPECT_ANY_THROW(parse_prometheus(
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n"));
  EXPECT_ANY_THROW(parse_prometheus("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n"));
  const auto ok = parse_prometheus("# TYPE g gauge\ng{a=\"q\\\"\\\\\\n\"} 1.5\n");
  EXPECT_EQ(ok.value("g{a=\"q\"\\\n\"}"), 1.5);
}

TEST_F(OpsApi, MetricsNeedNoKeyAndCountRequestsByRoutePattern) {
  const Scrape before = scrape();
  const std::string wf = create_workflow("Counted");
  create_workflow("Counted too");
  for (int i = 0; i < 3; ++i) ASSERT_EQ(api().get("/v1/workflows/" + wf).status, 200);
  expect_error(api().get("/v1/workflows/wf_doesnotexist00"), 404);
  expect_error(api().get("/v1/no/such/route/" + wf), 404);
  expect_error(api().request("PUT", "/v1/workflows"), 405);
  const Scrape after = scrape();

  const std::string by_id =
      "leadline_http_requests_total{code=\"200\",method=\"GET\",route=\"/v1/"
      "workflows/{id}\"}";
  EXPECT_EQ(after.value(by_id) - before.value(by_id), 3);
  const std::string missing =
      "leadline_http_requests_total{code=\"404\",method=\"GET\",route=\"/"
      "v1/workflows/{id}\"}";
  EXPECT_EQ(after.value(missing) - before.value(missing), 1);
  const std::string created =
      "leadline_http_requests_total{code=\"201\",method=\"POST\",route=\"/v1/workflows\"}";
  EXPECT_EQ(after.value(created) - before.value(created), 2);
  const std::string unmatched_404 =
      "leadline_http_requests_total{code=\"404\",method=\"ANY\",route=\"unmatched\"}";
  const std::string unmatched_405 =
      "leadline_http_requests_total{code=\"405\",method=\"ANY\",route=\"unmatched\"}";
  EXPECT_EQ(after.value(unmatched_404) - before.value(unmatched_404), 1);
  EXPECT_EQ(after.value(unmatched_405) - before.value(unmatched_405), 1);
  // The first scrape is counted by the second, under its own route.
  EXPECT_GE(after.value("leadline_http_requests_total{code=\"200\",method=\"GET\",route=\"/"
                        "metrics\"}"),
            1);
  // Latency per route: one observation per request.
  const std::string latency =
      "leadline_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/workflows/{id}\"}";
  EXPECT_EQ(after.value(latency) - before.value(latency), 4);
  // Bounded labels: no raw path or id ever becomes a label value.
  for (const auto& [key, value] : after.samples) EXPECT_EQ(key.find(wf), std::string::npos) << key;

  EXPECT_GT(after.value("process_resident_memory_bytes"), 1e6);
  EXPECT_GE(after.value("process_open_fds"), 3);
  const double start = after.value("process_start_time_seconds");
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_GT(start, now - 24 * 3600);
  EXPECT_LE(start, now + 1);
  EXPECT_EQ(after.types.at("leadline_http_request_duration_seconds"), "histogram");
  EXPECT_EQ(after.value("leadline_database_errors_total{where=\"http\"}"), 0);
}

TEST_F(OpsApi, MetricsFollowTheEngineLeadsAndCalls) {
  auto wf = create_valid_workflow();
  activate(wf);
  constexpr int kLeads = 4;
  for (int i = 0; i < kLeads; ++i)
    enroll(wf, {{"sim_outcomes", "COMPLETED"}}, "+1415555012" + std::to_string(i));
  // Stepped 5 s after they became due: the lateness histogram sees exactly that.
  clock_->advance(std::chrono::seconds(5));
  Scrape s = scrape();
  EXPECT_EQ(s.value("leadline_due_leads"), kLeads);
  EXPECT_EQ(s.value("leadline_due_oldest_seconds"), 5);
  EXPECT_EQ(s.value("leadline_engine_steps_total"), 0);

  const auto stepped = app_->engine().drain();
  ASSERT_EQ(stepped, static_cast<std::size_t>(kLeads));
  s = scrape();
  const auto stats = app_->engine().stats();
  EXPECT_EQ(s.value("leadline_engine_steps_total"), kLeads);
  EXPECT_EQ(s.value("leadline_engine_steps_total"), static_cast<double>(stats.steps));
  EXPECT_EQ(s.value("leadline_engine_batches_total"), static_cast<double>(stats.batches));
  EXPECT_GE(stats.batches, 1u);
  EXPECT_EQ(s.value("leadline_engine_batch_failures_total"), 0);
  EXPECT_EQ(s.value("leadline_engine_batch_duration_seconds_count"),
            static_cast<double>(stats.batches));
  EXPECT_EQ(s.value("leadline_engine_lateness_seconds_count"), kLeads);
  EXPECT_DOUBLE_EQ(s.value("leadline_engine_lateness_seconds_sum"), 5.0 * kLeads);
  EXPECT_EQ(s.value("leadline_engine_lateness_seconds_bucket{le=\"1\"}"), 0);
  EXPECT_EQ(s.value("leadline_engine_lateness_seconds_bucket{le=\"5\"}"), kLeads);
  EXPECT_EQ(s.value("leadline_due_leads"), 0);
  EXPECT_EQ(s.total("leadline_leads"), kLeads);
  EXPECT_EQ(s.value("leadline_leads{status=\"active\"}"), kLeads);
  EXPECT_EQ(s.total("leadline_calls"), 0);  // placed, not yet ended

  advance(std::chrono::minutes(2));  // the simulated calls end COMPLETED
  s = scrape();
  EXPECT_EQ(s.value("leadline_calls{outcome=\"COMPLETED\"}"), kLeads);
  EXPECT_EQ(s.value("leadline_leads{status=\"active\"}"), 0);
  EXPECT_EQ(s.total("leadline_leads"), kLeads);
  EXPECT_EQ(s.value("leadline_engine_steps_total"),
            static_cast<double>(app_->engine().stats().steps));
  EXPECT_EQ(s.value("leadline_call_dispatch_queue"), 0);
  EXPECT_EQ(s.value("leadline_webhook_delivery_queue"), 0);
  for (const char* result : {"placed", "retried", "failed", "cancelled"})
    EXPECT_EQ(s.types.count("leadline_call_dispatch_total"), 1u) << result;
  EXPECT_EQ(s.types.count("leadline_webhook_deliveries_total"), 1u);
  EXPECT_EQ(s.types.count("leadline_webhook_deliveries_paced_total"), 1u);
  // What SQLite holds in the process; a server database's memory is not the process's.
  if (db_.postgres())
    EXPECT_EQ(s.types.count("leadline_sqlite_memory_bytes"), 0u);
  else
    EXPECT_GT(s.value("leadline_sqlite_memory_bytes"), 0);
}

TEST_F(OpsApi, AFailedFoldOfTheGraphCountsIsCountedAndLosesNothing) {
  // PostgreSQL keeps the graph's counts as rows added per batch, folded every 256 committed
  // batches; here the database refuses the fold's DELETE the first time.
  auto wf = create_valid_workflow();
  activate(wf);
  const std::string refusal = db_.refuse_deletes("lead_counts");
  int enrolled = 0;
  auto one_lead_per_batch = [&](int batches) {
    for (int i = 0; i < batches; ++i, ++enrolled) {
      char phone[16];
      std::snprintf(phone, sizeof phone, "+1415555%04d", enrolled);
      enroll(wf, {{"sim_outcomes", "COMPLETED"}}, phone);
      ASSERT_EQ(app_->engine().run_batch(clock_->now()), 1u);
    }
  };
  one_lead_per_batch(256);
  const double failed = db_.postgres() ? 1 : 0;  // SQLite updates its counts in place
  Scrape s = scrape();
  EXPECT_EQ(s.value("leadline_database_errors_total{where=\"count_fold\"}"), failed);
  EXPECT_EQ(s.value("leadline_engine_batch_failures_total"), 0);
  EXPECT_EQ(app_->engine().stats().count_fold_errors, failed);
  EXPECT_EQ(api().get("/v1/workflows/" + wf + "/graph").json()["status_counts"]["active"], 256);

  db_.allow_again(refusal, "lead_counts");
  one_lead_per_batch(256);
  s = scrape();
  EXPECT_EQ(s.value("leadline_database_errors_total{where=\"count_fold\"}"), failed);
  EXPECT_EQ(api().get("/v1/workflows/" + wf + "/graph").json()["status_counts"]["active"], 512);
  // The second fold summed the rows the first left: few remain, not one per batch.
  EXPECT_LT(std::stoll(db_.rows("SELECT count(*) FROM lead_counts")[0][0]), 10);
}

TEST_F(OpsApi, ReadyWhileTheDatabaseAnswersAndNotWhenItStops) {
  HttpClient anonymous(port_);
  auto res = anonymous.get("/readyz");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json(), Json({{"status", "ready"}}));

  // Break the database for real, then mend it.
  std::function<void()> mend;
  if (db_.postgres()) {
    // Sessions ended as by a server restart: the pool reconnects, still ready.
    db_.terminate_connections();
    EXPECT_EQ(anonymous.get("/readyz").status, 200);
    db_.exec("ALTER TABLE organizations RENAME TO organizations_gone");
    mend = [&] { db_.exec("ALTER TABLE organizations_gone RENAME TO organizations"); };
  } else {
    // The database's directory disappears (an unmounted volume): open files still work,
    // but nothing new can be opened there.
    const auto away = dir_.path().string() + "-away";
    std::filesystem::rename(dir_.path(), away);
    mend = [this, away] { std::filesystem::rename(away, dir_.path()); };
  }
  res = anonymous.get("/readyz");
  expect_error(res, 503);
  EXPECT_EQ(res.json()["message"], "Database is not available");
  EXPECT_EQ(anonymous.get("/healthz").status, 200);  // the process is up all the same
  mend();
  EXPECT_EQ(anonymous.get("/readyz").status, 200);
  Scrape s = scrape();
  EXPECT_GE(s.value("leadline_database_errors_total{where=\"http\"}"), 1);
}

TEST_F(OpsApi, TheOpenApiDocumentListsTheOperationsRoutes) {
  auto doc = api().get("/v1/openapi.json").json();
  EXPECT_TRUE(doc["paths"].contains("/metrics"));
  EXPECT_TRUE(doc["paths"].contains("/readyz"));
  EXPECT_TRUE(doc["paths"]["/readyz"]["get"]["responses"].contains("503"));
}

}  // namespace
}  // namespace leadline::test
