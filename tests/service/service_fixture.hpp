// Runs a real `dia serve` process on SQLite or PostgreSQL and talks to it over HTTP.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "dia/micros.hpp"
#include "ledger/database.hpp"

namespace dia::testing {

using nlohmann::json;
namespace fs = std::filesystem;

inline constexpr const char* kOperatorToken = "test-operator-token-0123456789";

// A fresh database for one test: a new SQLite file, or a new PostgreSQL database created on the
// server named by $DIA_TEST_POSTGRES_URL (scripts/postgres.sh starts one; CI must have it), whose
// name goes to `created` so that the test can drop it (drop_database).
inline std::string fresh_database(const std::string& backend, const fs::path& dir,
                                  std::string* created = nullptr) {
  static std::atomic<int> counter{0};
  const std::string name = "dia_t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  if (backend == "sqlite") return "sqlite:" + (dir / (name + ".db")).string();
  const char* url = std::getenv("DIA_TEST_POSTGRES_URL");
  if (!url) return {};
  pqxx::connection c(url);
  pqxx::nontransaction tx(c);
  tx.exec("CREATE DATABASE " + name);
  if (created) *created = name;
  std::string base = url;
  return base.substr(0, base.rfind('/') + 1) + name;
}

inline void drop_database(const std::string& name) {
  const char* url = std::getenv("DIA_TEST_POSTGRES_URL");
  if (name.empty() || !url) return;
  pqxx::connection c(url);
  pqxx::nontransaction tx(c);
  tx.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

// Skips locally, fails in CI (CI=true), when PostgreSQL is not configured.
#define DIA_REQUIRE_BACKEND(url)                                                              \
  do {                                                                                        \
    if ((url).empty()) {                                                                      \
      const char* ci = std::getenv("CI");                                                     \
      if (ci && std::string(ci) == "true") {                                                  \
        FAIL() << "DIA_TEST_POSTGRES_URL is not set (run the tests through scripts/test.sh)"; \
      }                                                                                       \
      GTEST_SKIP() << "DIA_TEST_POSTGRES_URL is not set";                                     \
    }                                                                                         \
  } while (false)

class Server {
 public:
  Server(std::string db_url, fs::path dir) : db_url_(std::move(db_url)), dir_(std::move(dir)) {}
  ~Server() { stop(SIGTERM); }

  void start(std::vector<std::string> extra = {}) {
    const fs::path port_file = dir_ / ("port." + std::to_string(starts_++));
    fs::remove(port_file);
    pid_ = fork();
    if (pid_ == 0) {
      setenv("DIA_OPERATOR_TOKEN", kOperatorToken, 1);
      const std::string log = (dir_ / "server.log").string();
      freopen(log.c_str(), "a", stderr);
      std::vector<std::string> args{DIA_CLI_PATH, "serve", "--db",        db_url_,
                                    "--port",     "0",     "--port-file", port_file.string()};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    for (int i = 0; i < 600 && !fs::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(fs::exists(port_file)) << "dia serve did not start; see " << dir_ / "server.log";
    std::ifstream(port_file) >> port_;
  }
  void stop(int signal) {
    if (pid_ <= 0) return;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Still running (not exited, not killed by a signal).
  bool alive() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }
  const std::string& db_url() const { return db_url_; }

 private:
  std::string db_url_;
  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int starts_ = 0;
};

struct Answer {
  int status = 0;
  json body;
};

class Client {
 public:
  explicit Client(int port, std::string token = kOperatorToken)
      : http_("127.0.0.1", port), token_(std::move(token)) {
    // Long enough for a request that designs on the server (pareto(1,3) with 3 bidders builds a
    // Border lottery: about 6 s of CPU, over 30 s on a loaded CI machine); a hang still fails.
    http_.set_read_timeout(120, 0);
    http_.set_keep_alive(true);
  }
  Answer post(const std::string& path, const std::string& body, const std::string& key) {
    httplib::Headers h{{"Authorization", "Bearer " + token_}};
    if (!key.empty()) h.emplace("Idempotency-Key", key);
    return wrap(http_.Post(path.c_str(), h, body, "application/json"));
  }
  Answer post(const std::string& path, const json& body, const std::string& key) {
    return post(path, body.dump(), key);
  }
  // A request without a token (POST /v1/enroll).
  Answer post_anonymous(const std::string& path, const json& body) {
    return wrap(http_.Post(path.c_str(), body.dump(), "application/json"));
  }
  Answer get(const std::string& path) {
    return wrap(http_.Get(path.c_str(), httplib::Headers{{"Authorization", "Bearer " + token_}}));
  }

 private:
  static Answer wrap(const httplib::Result& r) {
    if (!r) return {0, json()};
    return {r->status, json::parse(r->body, nullptr, false)};
  }
  httplib::Client http_;
  std::string token_;
};

inline std::string unique_key() {
  static std::atomic<long> n{0};
  return "k-" + std::to_string(getpid()) + "-" + std::to_string(n++) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

// A two-bidder saved design on discrete(1:0.5,2:0.5) with X = G (q = 1): G = (1/4, 3/4).
inline json two_bidder_design() {
  return {{"values", "discrete(1:0.5,2:0.5)"},
          {"bidders", 2},
          {"reduced_form", {{"values", {1.0, 2.0}}, {"allocation", {0.25, 0.75}}}}};
}

class ServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // One flat directory per test: the parameterized name ("Test/sqlite") has a '/'.
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ =
        fs::temp_directory_path() / ("dia-service-test-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    url_ = fresh_database(GetParam(), dir_, &pg_database_);
  }
  void TearDown() override {
    server_.reset();
    if (!HasFailure()) {
      fs::remove_all(dir_);
      drop_database(pg_database_);
    }
  }
  void start_server(std::vector<std::string> extra = {}) {
    server_ = std::make_unique<Server>(url_, dir_);
    server_->start(std::move(extra));
  }
  Client op() { return Client(server_->port()); }

  // The principal's side of a registration: exchanges its enrollment code for its token.
  std::string enroll(const Answer& registration) {
    EXPECT_EQ(registration.status, 201) << registration.body;
    const Answer a =
        Client(server_->port())
            .post_anonymous("/v1/enroll",
                            json{{"enrollment_code", registration.body["enrollment_code"]}});
    EXPECT_EQ(a.status, 201) << a.body;
    return a.body.value("token", std::string());
  }

  // Registers and enrolls a bidder funded with `amount`; returns {id, token}.
  std::pair<std::int64_t, std::string> bidder(Micros amount) {
    auto c = op();
    const Answer a = c.post("/v1/bidders", json{{"name", "b"}}, unique_key());
    EXPECT_EQ(a.status, 201) << a.body;
    const auto id = a.body["bidder_id"].get<std::int64_t>();
    const std::string token = enroll(a);
    if (amount > 0) {
      EXPECT_EQ(c.post("/v1/bidders/" + std::to_string(id) + "/funds",
                       json{{"amount_micros", amount}}, unique_key())
                    .status,
                201);
    }
    return {id, token};
  }
  std::string inspector() {
    return enroll(op().post("/v1/inspectors", json{{"name", "i"}}, unique_key()));
  }
  std::int64_t auction(const json& body) {
    const Answer a = op().post("/v1/auctions", body, unique_key());
    EXPECT_EQ(a.status, 201) << a.body;
    return a.body.value("auction_id", std::int64_t{0});
  }
  json ledger_check() {
    const Answer a = op().get("/v1/ledger/check");
    EXPECT_EQ(a.status, 200) << a.body;
    return a.body;
  }

  fs::path dir_;
  std::string url_;
  std::string pg_database_;  // to drop at the end (kept, like dir_, when the test failed)
  std::unique_ptr<Server> server_;
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace dia::testing
