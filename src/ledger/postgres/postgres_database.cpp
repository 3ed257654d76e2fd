// PostgreSQL backend through libpqxx: one connection, each batch one transaction sent in one
// round trip; a commit is durable when it returns (synchronous_commit = on, the server default,
// is enforced).
#include <chrono>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "ledger/database.hpp"

namespace dia::ledger {
namespace {

// `?` placeholders -> `$1, $2, ...` (our SQL never has `?` inside literals).
std::string to_postgres(const std::string& sql) {
  std::string out;
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string> text_params(const Statement& s) {
  std::vector<std::string> out;
  for (const auto& p : s.params) {
    if (const auto* n = std::get_if<std::int64_t>(&p)) {
      out.push_back(std::to_string(*n));
    } else {
      out.push_back(std::get<std::string>(p));
    }
  }
  return out;
}

template <class Transaction>
std::vector<Row> run(Transaction& tx, const Statement& statement) {
  const pqxx::result result = tx.exec_params(
      to_postgres(statement.sql), pqxx::prepare::make_dynamic_params(text_params(statement)));
  std::vector<Row> rows;
  for (const auto& r : result) {
    Row row;
    for (const auto& field : r) {
      if (field.is_null()) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(field.c_str(), field.size()));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const std::string& url) : connection_(url) {
    pqxx::nontransaction tx(connection_);
    tx.exec("SET synchronous_commit = on");
    tx.exec("SET client_min_messages = warning");
  }
  std::string backend() const override { return "postgresql"; }

  Expected<void> execute_batch(const std::vector<Statement>& statements,
                               std::size_t* failed) override {
    std::lock_guard lock(mutex_);
    if (statements.empty()) return {};
    // One round trip: the whole batch as one multi-statement query, which PostgreSQL runs as one
    // implicit transaction, committed (durably: synchronous_commit = on) before it answers, and
    // rolled back whole if any statement fails. The error does not say which statement failed:
    // only then is the batch run again statement by statement (below), to find it.
    try {
      pqxx::nontransaction tx(connection_);
      tx.exec(one_query(statements));
      return {};
    } catch (const std::exception&) {
    }
    return execute_one_by_one(statements, failed);
  }

  Expected<std::vector<Row>> query(const Statement& statement) override {
    std::lock_guard lock(mutex_);
    try {
      pqxx::work tx(connection_);
      std::vector<Row> rows = run(tx, statement);
      tx.commit();
      return rows;
    } catch (const std::exception& e) {
      return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
    }
  }

  Expected<std::vector<std::vector<Row>>> query_snapshot(
      const std::vector<Statement>& statements) override {
    std::lock_guard lock(mutex_);
    try {
      pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only>
          tx(connection_);
      std::vector<std::vector<Row>> results;
      for (const auto& s : statements) results.push_back(run(tx, s));
      tx.commit();
      return results;
    } catch (const std::exception& e) {
      return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
    }
  }

  Expected<void> claim() override {
    // A session-level advisory lock: released when the connection ends, also when the process
    // is killed (the server then ends the session; a restart waits a few seconds for that).
    for (int attempt = 0; attempt < 50; ++attempt) {
      auto rows = query({"SELECT pg_try_advisory_lock(7160101)", {}});
      if (!rows) return tl::unexpected(rows.error());
      if (as_text(rows->at(0).at(0)) == "t") return {};
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return fail(ErrorCode::kInvalidArgument,
                "another dia serve is already running on this PostgreSQL database (it holds the "
                "advisory lock 7160101)",
                "stop it first, or give this server its own database");
  }

 private:
  // The statements as one SQL text, their parameters inlined as quoted literals (untyped, so
  // PostgreSQL types each from its context exactly as it types a `$n` parameter sent as text).
  std::string one_query(const std::vector<Statement>& statements) {
    std::string out;
    for (const Statement& s : statements) {
      const std::vector<std::string> params = text_params(s);
      std::size_t n = 0;
      for (char c : s.sql) {
        if (c == '?') {
          out += connection_.quote(params.at(n++));
        } else {
          out += c;
        }
      }
      out += ";\n";
    }
    return out;
  }

  // One round trip per statement, inside one transaction; `failed` gets the failing statement.
  Expected<void> execute_one_by_one(const std::vector<Statement>& statements, std::size_t* failed) {
    std::size_t i = statements.size();  // the statement running (none while opening, committing)
    try {
      pqxx::work tx(connection_);
      for (i = 0; i < statements.size(); ++i) {
        const Statement& s = statements[i];
        tx.exec_params(to_postgres(s.sql), pqxx::prepare::make_dynamic_params(text_params(s)));
      }
      tx.commit();
      return {};
    } catch (const std::exception& e) {
      if (failed) *failed = i;
      return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
    }
  }

  pqxx::connection connection_;
  std::mutex mutex_;
};

}  // namespace

Expected<std::unique_ptr<Database>> open_postgres(const std::string& url) {
  try {
    return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(url));
  } catch (const std::exception& e) {
    return fail(ErrorCode::kIo, std::string("cannot connect to PostgreSQL: ") + e.what(),
                "check the URL, e.g. postgresql://user@127.0.0.1:5432/dbname");
  }
}

}  // namespace dia::ledger
