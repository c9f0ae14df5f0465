// The leadline command line: serve, keys create, demo, backup.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/api_keys.h"
#include "api/static_files.h"
#include "app/application.h"
#include "app/demo.h"
#include "store/sqlite/sqlite_backup.h"
#include "store/store.h"

namespace {
using leadline::app::Application;
using leadline::app::AppOptions;

// Blocks SIGINT/SIGTERM in every thread (set before threads start) and waits for one here.
void wait_for_shutdown_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal = 0;
  sigwait(&set, &signal);
  spdlog::info("received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
}

void block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

// The database URL with its password (postgresql://user:PASSWORD@host) masked, for logs.
std::string redact_password(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

int run_serve(const AppOptions& options) {
  block_shutdown_signals();
  Application app(options);
  const auto now = app.clock().now();
  if (!app.store().has_organizations()) {
    auto org = app.store().ensure_organization("Default", now);
    auto issued = leadline::api::issue_api_key(app.store(), org.id, "first key", now);
    const auto port = leadline::app::parse_listen(options.listen).second;
    std::cout << "\nCreated organization \"Default\" and its first API key (shown only once):\n\n"
              << "  " << issued.credential() << "\n\nTry it:\n\n"
              << "  curl -s -H 'Authorization: Bearer " << issued.credential()
              << "' http://127.0.0.1:" << port << "/v1/workflows\n"
              << std::endl;
  }
  const auto port = app.start();
  spdlog::info("leadline listening on port {} (database {})", port,
               redact_password(options.database));
  if (options.web_dir && !options.web_dir->empty())
    spdlog::info("dashboard at http://127.0.0.1:{}/ (files from {})", port, *options.web_dir);
  wait_for_shutdown_signal();
  app.stop();
  spdlog::info("stopped");
  return 0;
}

// Builds the mission's three example workflows, runs them at a high time scale with a
// progress bar, and prints each one's per-node funnel.
int run_demo(AppOptions options, int leads) {
  options.run_engine = false;
  Application app(options);
  const auto now = app.clock().now();
  auto org = app.store().ensure_organization("Demo", now);
  auto workflows = leadline::app::create_demo_workflows(app.store(), org.id, leads, now);
  const std::int64_t total = static_cast<std::int64_t>(workflows.size()) * leads;
  std::cout << "Running " << workflows.size() << " workflows with " << total
            << " simulated leads at " << options.time_scale << "x speed (database "
            << redact_password(options.database) << ")\n";
  app.engine().start();
  const auto started = std::chrono::steady_clock::now();
  while (true) {
    std::int64_t finished = 0;
    for (const auto& w : workflows)
      for (const auto& [status, n] : app.store().lead_counts_by_status(w.id))
        if (status != "pending" && status != "active") finished += n;
    const int width = 40;
    const int filled = total ? static_cast<int>(finished * width / total) : width;
    const auto simulated =
        std::chrono::duration<double>(static_cast<double>(app.clock().now() - now) / 86'400'000.0);
    std::printf("\r[%s%s] %lld/%lld leads finished, %.1f simulated days ",
                std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                static_cast<long long>(finished), static_cast<long long>(total), simulated.count());
    std::fflush(stdout);
    if (finished >= total) break;
    if (std::chrono::steady_clock::now() - started > std::chrono::minutes(5)) {
      std::printf("\nstopping: the demo did not finish within 5 minutes\n");
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  app.engine().stop();
  std::cout << "\n\n";
  for (const auto& w : workflows) std::cout << leadline::app::funnel_table(app.store(), w) << "\n";
  std::cout << "Explore them: leadline serve --database " << options.database << "\n";
  return 0;
}

int run_keys_create(const std::string& database, const std::string& org_name,
                    const std::string& key_name) {
  auto store = leadline::store::open_store({database});
  const auto now = leadline::util::system_now();
  auto org = store->ensure_organization(org_name, now);
  auto issued = leadline::api::issue_api_key(*store, org.id, key_name, now);
  std::cout << "Organization " << org.name << " (" << org.id << "), new API key:\n"
            << issued.credential() << std::endl;
  return 0;
}
// Copies a live SQLite database with SQLite's online backup API.
int run_backup(const std::string& database, const std::string& to, bool force) {
  if (database.starts_with("postgres:") || database.starts_with("postgresql:")) {
    std::cerr << "leadline backup copies SQLite databases only; for PostgreSQL use pg_dump "
                 "(e.g. pg_dump --format=custom --file=FILE URL)\n";
    return 2;
  }
  if (!database.starts_with("sqlite:")) {
    std::cerr << "--database must be sqlite:PATH\n";
    return 2;
  }
  std::string path = database.substr(7);
  if (path.starts_with("//")) path = path.substr(2);
  std::error_code ec;
  if (std::filesystem::exists(to, ec) && !force) {
    std::cerr << to << " exists; pass --force to overwrite it\n";
    return 2;
  }
  if (std::filesystem::weakly_canonical(path, ec) == std::filesystem::weakly_canonical(to, ec)) {
    std::cerr << "--to must differ from the database file\n";
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  const auto result = leadline::store::sqlite::backup_database(path, to);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "Backed up " << path << " to " << to << " (" << result.pages << " pages in "
            << result.steps << " steps, " << seconds << " s)" << std::endl;
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("leadline");
  spdlog::set_default_logger(logger);

  CLI::App cli{"Leadline: multi-step outbound calling workflows"};
  cli.require_subcommand(1);

  AppOptions options;
  auto* serve = cli.add_subcommand("serve", "Run the HTTP API and the workflow engine");
  serve->add_option("--listen", options.listen, "HOST:PORT to listen on")
      ->envname("LEADLINE_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--database", options.database,
                   "sqlite:PATH or postgresql://USER:PASS@HOST:PORT/DB")
      ->envname("LEADLINE_DATABASE")
      ->capture_default_str();
  serve
      ->add_option("--sqlite-cache-mb", options.sqlite_cache_mb,
                   "SQLite: the most memory its page caches take, all connections together")
      ->envname("LEADLINE_SQLITE_CACHE_MB")
      ->check(CLI::Range(8, 1 << 20))
      ->capture_default_str();
  serve->add_option("--time-scale", options.time_scale, "Run the clock N times faster")
      ->envname("LEADLINE_TIME_SCALE")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      ->add_option("--rate-limit", options.rate_limit,
                   "Requests per second per organization (0 = off)")
      ->envname("LEADLINE_RATE_LIMIT")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();

  serve
      ->add_option("--webhook-rate-per-org", options.webhook_rate_per_org,
                   "Webhook deliveries per second per organization (0 = no cap)")
      ->envname("LEADLINE_WEBHOOK_RATE_PER_ORG")
      ->capture_default_str();
  serve
      ->add_option("--engine-threads", options.engine_threads,
                   "PostgreSQL: engine threads, each stepping batches of leads of its own")
      ->envname("LEADLINE_ENGINE_THREADS")
      ->capture_default_str();
  serve
      ->add_option("--sim-call-seconds", options.sim_call_seconds,
                   "Length of a simulated call in clock seconds")
      ->envname("LEADLINE_SIM_CALL_SECONDS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  std::string web_dir = leadline::api::default_web_dir().string();
  serve
      ->add_option("--web-dir", web_dir,
                   "Directory of the built dashboard (default: web/dist of the checkout)")
      ->envname("LEADLINE_WEB_DIR")
      ->capture_default_str();
  serve
      ->add_flag("--allow-private-targets", options.allow_private_targets,
                 "Let webhooks and HTTP actions reach loopback and private addresses")
      ->envname("LEADLINE_ALLOW_PRIVATE_TARGETS");
  serve
      ->add_option("--call-provider", options.call_provider,
                   "Where calls go: simulator (offline) or http (a DialNexa-style API)")
      ->envname("LEADLINE_CALL_PROVIDER")
      ->check(CLI::IsMember({"simulator", "http"}))
      ->capture_default_str();
  serve->add_option("--provider-url", options.provider_url, "Base URL of the call provider's API")
      ->envname("LEADLINE_PROVIDER_URL");
  serve->add_option("--provider-key", options.provider_key, "API key sent to the call provider")
      ->envname("LEADLINE_PROVIDER_KEY");
  serve
      ->add_option("--provider-secret", options.provider_secret,
                   "Secret the provider signs POST /v1/call-events with (HMAC-SHA256)")
      ->envname("LEADLINE_PROVIDER_SECRET");
  serve
      ->add_option("--provider-max-concurrent", options.provider_max_concurrent,
                   "Calls in flight at the provider at once (0 = no cap)")
      ->envname("LEADLINE_PROVIDER_MAX_CONCURRENT")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve
      ->add_option("--call-timeout", options.call_timeout_seconds,
                   "Seconds after the provider accepted a call before a call without outcome "
                   "is FAILED (timeout)")
      ->envname("LEADLINE_CALL_TIMEOUT")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  std::string database = "sqlite:leadline.db", org_name, key_name = "cli";
  auto* keys = cli.add_subcommand("keys", "Manage API keys");
  keys->require_subcommand(1);
  auto* create = keys->add_subcommand("create", "Create an API key (and the organization if new)");
  create->add_option("--database", database, "sqlite:PATH or postgresql://USER:PASS@HOST:PORT/DB")
      ->envname("LEADLINE_DATABASE")
      ->capture_default_str();
  create->add_option("--org", org_name, "Organization name")->required();
  create->add_option("--name", key_name, "A name for the key")->capture_default_str();

  AppOptions demo_options;
  demo_options.database = "sqlite:leadline-demo.db";
  demo_options.time_scale = 50'000;
  int demo_leads = 300;
  auto* demo = cli.add_subcommand("demo", "Run the three example workflows with simulated leads");
  demo->add_option("--database", demo_options.database,
                   "sqlite:PATH or postgresql://USER:PASS@HOST:PORT/DB")
      ->capture_default_str();
  demo->add_option("--time-scale", demo_options.time_scale, "Clock speed-up")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  demo->add_option("--leads", demo_leads, "Leads per workflow")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();

  std::string backup_database = "sqlite:leadline.db", backup_to;
  bool backup_force = false;
  auto* backup = cli.add_subcommand(
      "backup", "Copy a live SQLite database consistently (PostgreSQL: use pg_dump)");
  backup->add_option("--database", backup_database, "sqlite:PATH")
      ->envname("LEADLINE_DATABASE")
      ->capture_default_str();
  backup->add_option("--to", backup_to, "The file to write")->required();
  backup->add_flag("--force", backup_force, "Overwrite --to if it exists");

  CLI11_PARSE(cli, argc, argv);
  try {
    if (serve->parsed()) {
      options.web_dir = web_dir;
      return run_serve(options);
    }
    if (create->parsed()) return run_keys_create(database, org_name, key_name);
    if (demo->parsed()) return run_demo(demo_options, demo_leads);
    if (backup->parsed()) return run_backup(backup_database, backup_to, backup_force);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
