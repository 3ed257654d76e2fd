// PostgreSQL backend through libpqxx: one connection, each batch one transaction; a commit is
// durable when it returns (synchronous_commit = on, the server default, is enforced).
#include <mutex>
#include <pqxx/pqxx>

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

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const std::string& url) : connection_(url) {
    pqxx::nontransaction tx(connection_);
    tx.exec("SET synchronous_commit = on");
    tx.exec("SET client_min_messages = warning");
  }
  std::string backend() const override { return "postgresql"; }

  Expected<void> execute_batch(const std::vector<Statement>& statements) override {
    std::lock_guard lock(mutex_);
    try {
      pqxx::work tx(connection_);
      for (const auto& s : statements) {
        tx.exec_params(to_postgres(s.sql), pqxx::prepare::make_dynamic_params(text_params(s)));
      }
      tx.commit();
      return {};
    } catch (const std::exception& e) {
      return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
    }
  }

  Expected<std::vector<Row>> query(const Statement& statement) override {
    std::lock_guard lock(mutex_);
    try {
      pqxx::work tx(connection_);
      const pqxx::result result = tx.exec_params(
          to_postgres(statement.sql), pqxx::prepare::make_dynamic_params(text_params(statement)));
      tx.commit();
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
    } catch (const std::exception& e) {
      return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
    }
  }

 private:
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
