// Database URL dispatch and result helpers.
#include "ledger/database.hpp"

#include <string_view>

namespace dia::ledger {

std::int64_t as_int(const std::optional<std::string>& cell) {
  return cell && !cell->empty() ? std::stoll(*cell) : 0;
}

std::string as_text(const std::optional<std::string>& cell) { return cell ? *cell : ""; }

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
