// Database URL dispatch and result helpers.
#include "ledger/database.hpp"

#include <algorithm>
#include <string_view>

namespace dia::ledger {

std::int64_t as_int(const std::optional<std::string>& cell) {
  return cell && !cell->empty() ? std::stoll(*cell) : 0;
}

std::string as_text(const std::optional<std::string>& cell) { return cell ? *cell : ""; }

Expected<PartsCommitted> commit_parts(Database& db, const std::vector<Statement>& batch,
                                      const std::vector<std::size_t>& part_ends) {
  // Optimistic: one transaction for all parts, no savepoint per part (which would cost a round
  // trip per part on PostgreSQL); only after a failure is the good prefix committed alone.
  std::size_t parts = part_ends.size();
  std::optional<Error> error;
  std::vector<Statement> prefix;  // a copy of the batch's good prefix, after a failure
  const std::vector<Statement>* run = &batch;
  for (;;) {
    if (run->empty()) return PartsCommitted{parts, error};
    std::size_t failed = run->size();
    auto r = db.execute_batch(*run, &failed);
    if (r) return PartsCommitted{parts, error};
    // The failed statement's part is the first that ends after it.
    const auto end = std::upper_bound(part_ends.begin(), part_ends.begin() + parts, failed);
    if (failed >= run->size() || end == part_ends.begin() + parts) {
      return tl::unexpected(r.error());
    }
    parts = static_cast<std::size_t>(end - part_ends.begin());
    error = r.error();
    prefix.assign(batch.begin(), batch.begin() + (parts == 0 ? 0 : part_ends[parts - 1]));
    run = &prefix;
  }
}

Expected<std::unique_ptr<Database>> open_database(const std::string& url, bool create) {
  const std::string_view u = url;
  if (u.starts_with("sqlite:")) {
    const std::string path(u.substr(7));
    if (path.empty())
      return fail(ErrorCode::kInvalidArgument, "empty SQLite path", "use --db sqlite:PATH");
    return open_sqlite(path, create);
  }
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) return open_postgres(url);
  return fail(ErrorCode::kInvalidArgument, "unknown database URL '" + url + "'",
              "use sqlite:PATH or postgresql://user@host:port/dbname");
}

}  // namespace dia::ledger
