#pragma once
// Runs `leadline serve` as a child process on a loopback port, for tests that kill and
// restart the real binary.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace leadline::test {

class ServerProcess {
 public:
  // Starts the server with the given extra flags; waits until it listens.
  ServerProcess(const std::filesystem::path& dir, std::vector<std::string> flags) {
    log_ = dir / ("server-" + std::to_string(++starts_) + ".log");
    std::vector<std::string> args = {LEADLINE_BINARY, "serve", "--listen", "127.0.0.1:0"};
    args.insert(args.end(), flags.begin(), flags.end());
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      FILE* out = std::fopen(log_.c_str(), "w");
      dup2(fileno(out), STDOUT_FILENO);
      dup2(fileno(out), STDERR_FILENO);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    const std::regex listening("listening on port ([0-9]+)");
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(log_);
      std::stringstream text;
      text << in.rdbuf();
      std::smatch m;
      const std::string s = text.str();
      if (std::regex_search(s, m, listening)) {
        port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill_hard();
    throw std::runtime_error("leadline serve did not start; see " + log_.string());
  }
  ~ServerProcess() { kill_hard(); }

  std::uint16_t port() const { return port_; }

  // SIGKILL: no chance to flush or clean up, like a power cut of the process.
  void kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  static inline int starts_ = 0;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::filesystem::path log_;
};

}  // namespace leadline::test
