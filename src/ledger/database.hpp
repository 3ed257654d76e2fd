// A minimal SQL database interface with two backends (SQLite, PostgreSQL). Statements use `?`
// placeholders; results come back as text (NULL as nullopt). Every batch is one transaction,
// durable (synced) when execute_batch returns.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dia/error.hpp"

namespace dia::ledger {

using SqlValue = std::variant<std::int64_t, std::string>;

struct Statement {
  std::string sql;
  std::vector<SqlValue> params;
};

using Row = std::vector<std::optional<std::string>>;

std::int64_t as_int(const std::optional<std::string>& cell);  // 0 for NULL
std::string as_text(const std::optional<std::string>& cell);  // "" for NULL

class Database {
 public:
  virtual ~Database() = default;
  virtual std::string backend() const = 0;  // "sqlite" or "postgresql"
  // Runs all statements in one transaction and commits durably; on failure nothing is applied,
  // and `failed` (when given) gets the index of the statement that failed (statements.size()
  // when the commit itself failed).
  virtual Expected<void> execute_batch(const std::vector<Statement>& statements,
                                       std::size_t* failed = nullptr) = 0;
  virtual Expected<std::vector<Row>> query(const Statement& statement) = 0;
  // Runs the queries in one read-only transaction: all see the same snapshot, and a writer on
  // another connection is not blocked.
  virtual Expected<std::vector<std::vector<Row>>> query_snapshot(
      const std::vector<Statement>& statements) = 0;
  // Prepares the database for `dia serve`. SQLite: claims it for this process alone until the
  // object is destroyed or the process ends; fails with a clear line when another process holds
  // it. PostgreSQL: any number of processes share it (lock_writes below).
  virtual Expected<void> claim() = 0;
  // Several processes on one database (PostgreSQL; SQLite is one process per file, see claim):
  // each group of writes runs between lock_writes and unlock_writes, which no other process's
  // writes interleave. lock_writes is true when another process may have committed since this
  // one last locked or committed: memory is then stale and must be reloaded before any change.
  // A single-process backend keeps these defaults.
  virtual Expected<bool> lock_writes() { return false; }
  virtual void unlock_writes() {}
  // After lock_writes answered true: when the backend marks every row of the tracked tables
  // (track_changes) with the write counter of the commit that last wrote it (column
  // row_version), the counter this process's memory was at; only rows above it changed since.
  // None: every row must be read again.
  virtual std::optional<std::int64_t> changed_since() const { return std::nullopt; }
  // Makes every commit mark the rows it writes in `tables` (column row_version) for
  // changed_since; called by migrate. A single-process backend has nothing to do.
  virtual Expected<void> track_changes(const std::vector<std::string>& /*tables*/) { return {}; }
};

// What commit_parts committed: the parts before `committed`; when that is not all of them, the
// part `committed` failed with `error` and nothing of it or of the parts after it was applied.
struct PartsCommitted {
  std::size_t committed = 0;
  std::optional<Error> error;
};

// Commits a batch made of consecutive parts (part k ends before statement part_ends[k]) in one
// transaction, isolating each part: when a statement fails, the parts before its part are
// committed without it (a second transaction), so that one bad part never sinks the others.
// An error when nothing could be committed (the database is unreachable, the commit failed).
Expected<PartsCommitted> commit_parts(Database& db, const std::vector<Statement>& batch,
                                      const std::vector<std::size_t>& part_ends);

// `sqlite:PATH` (WAL, synchronous=FULL) or `postgresql://...` / `postgres://...`. With
// `create` false a missing SQLite file is an error instead of a new empty database.
Expected<std::unique_ptr<Database>> open_database(const std::string& url, bool create = true);

Expected<std::unique_ptr<Database>> open_sqlite(const std::string& path, bool create = true);
Expected<std::unique_ptr<Database>> open_postgres(const std::string& url);

// Applies the versioned schema migrations that are not applied yet (schema_version table).
Expected<int> migrate(Database& db);

}  // namespace dia::ledger
