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
  // Runs all statements in one transaction and commits durably; on failure nothing is applied.
  virtual Expected<void> execute_batch(const std::vector<Statement>& statements) = 0;
  virtual Expected<std::vector<Row>> query(const Statement& statement) = 0;
};

// `sqlite:PATH` (WAL, synchronous=FULL) or `postgresql://...` / `postgres://...`.
Expected<std::unique_ptr<Database>> open_database(const std::string& url);

Expected<std::unique_ptr<Database>> open_sqlite(const std::string& path);
Expected<std::unique_ptr<Database>> open_postgres(const std::string& url);

// Applies the versioned schema migrations that are not applied yet (schema_version table).
Expected<int> migrate(Database& db);

}  // namespace dia::ledger
