// SQLite backend: one connection, WAL journal, synchronous=FULL (a commit is on disk when it
// returns), prepared statements cached by SQL text.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <mutex>
#include <unordered_map>

#include "ledger/database.hpp"

namespace dia::ledger {
namespace {

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
    if (lock_fd_ >= 0) ::close(lock_fd_);
  }
  std::string backend() const override { return "sqlite"; }

  Expected<void> execute_batch(const std::vector<Statement>& statements,
                               std::size_t* failed) override {
    std::lock_guard lock(mutex_);
    if (failed) *failed = statements.size();
    if (auto r = exec_raw("BEGIN IMMEDIATE"); !r) return r;
    for (std::size_t i = 0; i < statements.size(); ++i) {
      auto r = run(statements[i], nullptr);
      if (!r) {
        exec_raw("ROLLBACK");
        if (failed) *failed = i;
        return r;
      }
    }
    if (auto r = exec_raw("COMMIT"); !r) {
      exec_raw("ROLLBACK");
      return r;
    }
    return {};
  }

  Expected<std::vector<Row>> query(const Statement& statement) override {
    std::lock_guard lock(mutex_);
    std::vector<Row> rows;
    auto r = run(statement, &rows);
    if (!r) return tl::unexpected(r.error());
    return rows;
  }

  Expected<std::vector<std::vector<Row>>> query_snapshot(
      const std::vector<Statement>& statements) override {
    std::lock_guard lock(mutex_);
    // A deferred transaction reads one WAL snapshot and never blocks the writer.
    if (auto r = exec_raw("BEGIN DEFERRED"); !r) return tl::unexpected(r.error());
    std::vector<std::vector<Row>> results;
    for (const auto& s : statements) {
      auto& rows = results.emplace_back();
      if (auto r = run(s, &rows); !r) {
        exec_raw("ROLLBACK");
        return tl::unexpected(r.error());
      }
    }
    if (auto r = exec_raw("COMMIT"); !r) return tl::unexpected(r.error());
    return results;
  }

  Expected<void> claim() override {
    // An advisory lock on PATH.lock, which the kernel releases when the process ends (kill -9
    // included); SQLite's own locks are per transaction and cannot say "one server".
    const std::string lock_path = path_ + ".lock";
    lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) {
      return fail(ErrorCode::kIo, "cannot open the lock file " + lock_path,
                  "check that its directory is writable");
    }
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      return fail(ErrorCode::kInvalidArgument,
                  "another dia serve is already running on sqlite:" + path_ + " (it holds " +
                      lock_path + ")",
                  "stop it first, or give this server its own --db");
    }
    return {};
  }

  Expected<void> exec_raw(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : "unknown error";
      sqlite3_free(message);
      return fail(ErrorCode::kIo, std::string("SQLite: ") + text + " in " + sql);
    }
    return {};
  }

 private:
  Expected<void> run(const Statement& s, std::vector<Row>* rows) {
    sqlite3_stmt* stmt = nullptr;
    if (auto it = cache_.find(s.sql); it != cache_.end()) {
      stmt = it->second;
    } else {
      if (sqlite3_prepare_v2(db_, s.sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        return fail(ErrorCode::kIo, std::string("SQLite: ") + sqlite3_errmsg(db_) + " in " + s.sql);
      }
      cache_.emplace(s.sql, stmt);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < s.params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<std::int64_t>(&s.params[i])) {
        sqlite3_bind_int64(stmt, index, *n);
      } else {
        const auto& t = std::get<std::string>(s.params[i]);
        sqlite3_bind_text(stmt, index, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
      }
    }
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        std::string message = sqlite3_errmsg(db_);
        sqlite3_reset(stmt);
        return fail(ErrorCode::kIo, "SQLite: " + message + " in " + s.sql);
      }
      if (!rows) continue;
      Row row;
      const int columns = sqlite3_column_count(stmt);
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          row.emplace_back(
              std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
      rows->push_back(std::move(row));
    }
    sqlite3_reset(stmt);
    return {};
  }

  sqlite3* db_;
  std::string path_;
  int lock_fd_ = -1;
  std::mutex mutex_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Expected<std::unique_ptr<Database>> open_sqlite(const std::string& path, bool create) {
  if (!create && ::access(path.c_str(), F_OK) != 0) {
    return fail(ErrorCode::kInvalidArgument, "the SQLite database '" + path + "' does not exist",
                "pass the --db a `dia serve` ran on");
  }
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(
          path.c_str(), &handle,
          SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX,
          nullptr) != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return fail(ErrorCode::kIo, "cannot open SQLite database '" + path + "': " + message,
                "check that the directory exists and is writable");
  }
  sqlite3_busy_timeout(handle, 10000);
  auto db = std::make_unique<SqliteDatabase>(handle, path);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    if (auto r = db->exec_raw(pragma); !r) return tl::unexpected(r.error());
  }
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace dia::ledger
