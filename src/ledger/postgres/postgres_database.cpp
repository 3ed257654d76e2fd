// PostgreSQL backend through libpqxx: one connection, each batch one transaction sent in one
// round trip; a commit is durable when it returns (synchronous_commit = on, the server default,
// is enforced). Any number of `dia serve` share one database: their write groups take turns
// under an advisory lock, and a counter that every commit advances tells each process whether
// another one wrote since it last did (docs/api.md, "Several nodes"). A process that holds the
// write lock and stops answering loses it after the write lease (its session ends), and every
// commit is fenced by that counter, so a process that resumes cannot write on stale memory.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <thread>

#include "ledger/database.hpp"
#include "ledger/postgres/batch_text.hpp"

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

std::vector<Row> rows_of(const pqxx::result& result) {
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

template <class Transaction>
std::vector<Row> run(Transaction& tx, const Statement& statement) {
  return rows_of(tx.exec_params(to_postgres(statement.sql),
                                pqxx::prepare::make_dynamic_params(text_params(statement))));
}

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const std::string& url) : url_(url) { connect(); }
  std::string backend() const override { return "postgresql"; }

  Expected<void> execute_batch(const std::vector<Statement>& statements,
                               std::size_t* failed) override {
    std::lock_guard lock(mutex_);
    if (statements.empty()) return {};
    last_use_ = std::chrono::steady_clock::now();
    // One round trip: the whole batch as one multi-statement query, which PostgreSQL runs as one
    // implicit transaction, committed (durably: synchronous_commit = on) before it answers, and
    // rolled back whole if any statement fails. The error does not say which statement failed:
    // only then is the batch run again statement by statement (below), to find it. Once the
    // write counter exists (claim), the transaction's first statement is the fence and its last
    // advances the counter.
    try {
      pqxx::nontransaction tx(*connection_);
      const pqxx::result r =
          tx.exec(counted_ ? fence() + one_query(statements) + kAdvance : one_query(statements));
      if (counted_) advanced(r.at(0));
      return {};
    } catch (const std::exception&) {
    }
    return execute_one_by_one(statements, failed);
  }

  Expected<std::vector<Row>> query(const Statement& statement) override {
    std::lock_guard lock(mutex_);
    last_use_ = std::chrono::steady_clock::now();
    try {
      pqxx::work tx(*connection_);
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
    last_use_ = std::chrono::steady_clock::now();
    try {
      pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only>
          tx(*connection_);
      // Sent at once (libpqxx's pipeline), parameters inlined as in one_query: a node's reload
      // reads every table in one round trip.
      pqxx::pipeline pipe(tx);
      std::vector<pqxx::pipeline::query_id> ids;
      for (const auto& s : statements) ids.push_back(pipe.insert(inlined(s)));
      std::vector<std::vector<Row>> results;
      for (const auto id : ids) results.push_back(rows_of(pipe.retrieve(id)));
      pipe.complete();
      tx.commit();
      return results;
    } catch (const std::exception& e) {
      return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
    }
  }

  Expected<void> claim() override {
    // A session-level advisory lock, shared by every dia serve of this version and held for the
    // session: a server of an older version (which took it exclusively to run alone) and this
    // one refuse each other. The server ends the session also when the process is killed (a
    // restart waits a few seconds for that).
    for (int attempt = 0;; ++attempt) {
      auto rows = query({"SELECT pg_try_advisory_lock_shared(" + kServerLock + ")", {}});
      if (!rows) return tl::unexpected(rows.error());
      if (as_text(rows->at(0).at(0)) == "t") break;
      if (attempt == 50) {
        return fail(ErrorCode::kInvalidArgument,
                    "another dia serve is already running on this PostgreSQL database (an older "
                    "version, which holds the advisory lock " +
                        kServerLock + " alone)",
                    "stop it first: servers of this version share one database, older ones "
                    "do not");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // The write lease: dia.write_lease from the URL (options=-c dia.write_lease=...), else kLease.
    auto lease =
        query({"SELECT (EXTRACT(EPOCH FROM COALESCE(NULLIF(current_setting("
               "'dia.write_lease', true), ''), '" +
                   kLease + "')::interval) * 1000)::bigint",
               {}});
    if (!lease) return tl::unexpected(lease.error());
    lease_ms_ = as_int(lease->at(0).at(0));
    if (lease_ms_ < 0) {
      return fail(ErrorCode::kInvalidArgument, "dia.write_lease must not be negative",
                  "e.g. options=-c dia.write_lease=5s in the database URL, or 0 for no lease");
    }
    // The write counter and the fence, created once under the write lock (two servers may start
    // together). The fence locks the counter's row until the commit and fails the transaction
    // unless the counter is still the value this process last saw: a commit of a process whose
    // lease ran out, after another one wrote, changes nothing.
    if (auto locked = lock_writes(); !locked) return tl::unexpected(locked.error());
    auto created = execute_batch(
        {{"CREATE TABLE IF NOT EXISTS dia_write_counter (id BIGINT PRIMARY KEY CHECK (id = 1),"
          " version BIGINT NOT NULL)",
          {}},
         {"INSERT INTO dia_write_counter (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
          {}},
         {"CREATE OR REPLACE FUNCTION dia_fence(seen BIGINT) RETURNS void LANGUAGE plpgsql AS $$"
          " DECLARE v BIGINT; BEGIN SELECT version INTO v FROM dia_write_counter WHERE id = 1 FOR"
          " UPDATE; IF v IS DISTINCT FROM seen THEN RAISE EXCEPTION 'stale write lock: another dia"
          " serve wrote since this one took the lock (its lease ran out)' USING ERRCODE ="
          " '40001'; END IF; END $$",
          {}}},
        nullptr);
    unlock_writes();
    if (!created) return created;
    counted_ = true;
    releaser_ = std::thread([this] { release_when_idle(); });
    return {};
  }

  Expected<bool> lock_writes() override {
    std::lock_guard lock(mutex_);
    in_group_ = true;
    contended_ = true;        // until this group's commit says nobody waits
    if (held_) return false;  // kept since this process's last group: nobody else wrote
    last_use_ = std::chrono::steady_clock::now();
    for (bool fresh = false;; fresh = true) {
      try {
        if (fresh) connect();
        return take();
      } catch (const pqxx::sql_error& e) {
        if (!fresh && !connection_->is_open()) continue;
        in_group_ = false;
        if (e.sqlstate() == "55P03") {  // lock_not_available: the wait timed out, nothing taken
          return fail(ErrorCode::kTooLarge,
                      "another dia serve held the write lock longer than the lock wait (" +
                          kLockWait + " unless the database URL sets lock_timeout)",
                      "retry; if it persists, find the node that hangs (docs/api.md, \"Several "
                      "nodes\")");
        }
        held_ = true;  // the lock may have been taken before the failure: free it
        release();
        return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
      } catch (const std::exception& e) {
        // The database ended this session (e.g. this process stopped for longer than the write
        // lease while it held the lock, which the lease then freed): once, a new session.
        if (!fresh && (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
                       !connection_->is_open())) {
          continue;
        }
        in_group_ = false;
        // The lock may have been taken before the failure: free it (or the session is gone).
        held_ = true;
        release();
        return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
      }
    }
  }

  // When this group's commit saw no other process waiting for the lock, it is kept for the next
  // group (which then needs no round trip to take it), until kKeepIdle passes without one: a
  // busy single server then pays one round trip per group commit, as before several nodes.
  void unlock_writes() override {
    std::lock_guard lock(mutex_);
    in_group_ = false;
    if (held_ && !contended_ && releaser_.joinable()) {
      idle_since_ = std::chrono::steady_clock::now();
      idle_.notify_one();
      return;
    }
    release();
  }

  ~PostgresDatabase() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    idle_.notify_one();
    if (releaser_.joinable()) releaser_.join();
  }

 private:
  // The statements as one SQL text, folded (batch_text.hpp), parameters inlined as quoted
  // literals (untyped, so PostgreSQL types each from its context exactly as it types a `$n`
  // parameter sent as text).
  std::string one_query(const std::vector<Statement>& statements) {
    return batch_text(statements,
                      [&](const std::string& text) { return connection_->quote(text); });
  }
  std::string inlined(const Statement& s) {
    return inline_params(s, [&](const std::string& text) { return connection_->quote(text); });
  }

  // A new session (at the start, or when the database ended the last one): durable commits, and
  // for a server its share of the server lock (claim) again; a lock the old session held went
  // with it.
  void connect() {
    held_ = false;
    connection_ = std::make_unique<pqxx::connection>(url_);
    pqxx::nontransaction tx(*connection_);
    tx.exec("SET synchronous_commit = on");
    tx.exec("SET client_min_messages = warning");
    if (counted_ &&
        tx.exec("SELECT pg_try_advisory_lock_shared(" + kServerLock + ")").at(0).at(0).as<bool>() ==
            false) {
      throw std::runtime_error("an older dia serve now holds this database alone");
    }
    pid_ = connection_->backendpid();
  }

  // One round trip: the lock (session-level, so it spans the group's transactions: a failed
  // group commits its good prefix in a second one), waited for at most the session's
  // lock_timeout (the URL may set it: options=-c lock_timeout=...), else kLockWait; the lease
  // (the session ends when it idles longer while it holds the lock, freeing it); then the
  // counter as the previous holder's commit left it (that commit preceded its unlock). Throws.
  bool take() {
    std::string take =
        "SELECT set_config('lock_timeout', CASE current_setting('lock_timeout') WHEN '0' THEN '" +
        kLockWait + "' ELSE current_setting('lock_timeout') END, true); SELECT pg_advisory_lock(" +
        kWriteLock + ")";
    if (lease_ms_ > 0) {
      const std::string ms = "'" + std::to_string(lease_ms_) + "'";
      take += "; SELECT set_config('idle_session_timeout', " + ms +
              ", false), set_config('idle_in_transaction_session_timeout', " + ms + ", false)";
    }
    if (counted_) take += "; SELECT version FROM dia_write_counter WHERE id = 1";
    const pqxx::result r = pqxx::nontransaction(*connection_).exec(take);
    held_ = true;
    if (!counted_) return true;
    // libpqxx may have opened a new session by itself (the database ended the last one): it
    // lacks connect's settings and server lock, so it is replaced.
    if (connection_->backendpid() != pid_) {
      release();
      throw pqxx::broken_connection("the database ended the session");
    }
    const auto version = r.at(0).at(0).as<std::int64_t>();
    const bool stale = version != seen_;
    since_ = seen_;
    seen_ = version;
    return stale;
  }

  // The first statement of every commit of a server (see claim).
  std::string fence() const { return "SELECT dia_fence(" + std::to_string(seen_) + ");\n"; }

  // One round trip per statement, inside one transaction; `failed` gets the failing statement.
  Expected<void> execute_one_by_one(const std::vector<Statement>& statements, std::size_t* failed) {
    std::size_t i = statements.size();  // the statement running (none while opening, committing)
    try {
      pqxx::work tx(*connection_);
      if (counted_) tx.exec(fence());
      for (i = 0; i < statements.size(); ++i) {
        const Statement& s = statements[i];
        tx.exec_params(to_postgres(s.sql), pqxx::prepare::make_dynamic_params(text_params(s)));
      }
      std::optional<pqxx::row> version;
      if (counted_) version = tx.exec(kAdvance).at(0);
      tx.commit();
      if (version) advanced(*version);
      return {};
    } catch (const std::exception& e) {
      if (failed) *failed = i;
      return fail(ErrorCode::kIo, std::string("PostgreSQL: ") + e.what());
    }
  }

  // The counter's new value and how many other processes wait for the write lock.
  void advanced(const pqxx::row& row) {
    seen_ = row.at(0).as<std::int64_t>();
    contended_ = row.at(1).as<std::int64_t>() > 0;
  }

  void release() {  // under mutex_
    if (!held_) return;
    held_ = false;
    try {
      // The lease's timeouts go back to the session's own (none unless the URL sets them).
      pqxx::nontransaction(*connection_)
          .exec("SELECT pg_advisory_unlock(" + kWriteLock + ")" +
                (lease_ms_ > 0 ? "; RESET idle_session_timeout; RESET"
                                 " idle_in_transaction_session_timeout"
                               : ""));
    } catch (const std::exception& e) {
      // The session is gone (the server then freed the lock) or broken: the next group fails.
      std::fprintf(stderr, "dia serve: cannot free the write lock: %s\n", e.what());
    }
  }

  std::optional<std::int64_t> changed_since() const override {
    // Only the writer thread locks and reads this, between lock_writes and its catch-up.
    return tracked_ ? std::optional(since_) : std::nullopt;
  }

  // Each tracked table gets the column row_version (indexed), which a trigger sets on every
  // insert and update to the counter value its commit will leave (the commit's last statement
  // advances it, and the write lock keeps every other commit out meanwhile). Rows from before
  // have 0, which every process's memory already holds. One round trip, under the write lock
  // (every dia serve migrates under it), done once per database: later starts find it done.
  Expected<void> track_changes(const std::vector<std::string>& tables) override {
    if (!counted_) return {};  // not a server (claim): nothing to track for
    std::string names;
    for (const auto& t : tables) names += (names.empty() ? "'" : ",'") + t + "'";  // our names
    auto done = execute_batch(
        {{"CREATE OR REPLACE FUNCTION dia_row_version() RETURNS trigger LANGUAGE plpgsql AS $$"
          " BEGIN NEW.row_version := (SELECT version + 1 FROM dia_write_counter WHERE id = 1);"
          " RETURN NEW; END $$",
          {}},
         {"DO $$ DECLARE t TEXT; BEGIN FOREACH t IN ARRAY ARRAY[" + names +
              "] LOOP IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'dia_row_version'"
              " AND tgrelid = t::regclass) THEN EXECUTE format('ALTER TABLE %I ADD COLUMN IF NOT"
              " EXISTS row_version BIGINT NOT NULL DEFAULT 0', t); EXECUTE format('CREATE INDEX"
              " IF NOT EXISTS %I ON %I (row_version)', t || '_by_row_version', t); EXECUTE"
              " format('CREATE TRIGGER dia_row_version BEFORE INSERT OR UPDATE ON %I FOR EACH ROW"
              " EXECUTE FUNCTION dia_row_version()', t); END IF; END LOOP; END $$",
          {}}},
        nullptr);
    if (done) tracked_ = true;
    return done;
  }

  // The releaser thread: frees a kept lock once no group has run for kKeepIdle, and while the
  // lock is held, keeps the lease from running out (a statement every third of it) as long as
  // this process runs: a group that takes long (a reload) keeps the lock, a stopped process
  // loses it.
  void release_when_idle() {
    using clock = std::chrono::steady_clock;
    std::unique_lock lock(mutex_);
    const auto beat = std::chrono::milliseconds(std::max<std::int64_t>(lease_ms_ / 3, 1));
    while (!stop_) {
      const auto now = clock::now();
      if (held_ && !in_group_ && now >= idle_since_ + kKeepIdle) {
        release();
      } else if (held_ && lease_ms_ > 0 && now >= last_use_ + beat) {
        last_use_ = now;
        try {
          pqxx::nontransaction(*connection_).exec("SELECT 1");
        } catch (const std::exception&) {  // the session is gone: the next group opens another
        }
      } else if (held_ && !in_group_) {
        idle_.wait_until(lock, lease_ms_ > 0 ? std::min(last_use_ + beat, idle_since_ + kKeepIdle)
                                             : idle_since_ + kKeepIdle);
      } else if (lease_ms_ > 0) {  // held in a group (the beat), or not held: a group may take
                                   // the lock meanwhile (nobody wakes this)
        idle_.wait_until(lock, held_ ? last_use_ + beat : now + beat);
      } else {
        idle_.wait(lock);
      }
    }
    release();
  }

  // pg_advisory_lock keys: every server's session (shared) and the write groups' turn.
  inline static const std::string kServerLock = "7160101", kWriteLock = "7160102";
  // The last statement of every commit: the counter advanced, and the processes waiting for the
  // write lock (pg_locks shows an advisory key below 2^32 as classid 0, objid KEY, objsubid 1).
  inline static const std::string kAdvance =
      "UPDATE dia_write_counter SET version = version + 1 WHERE id = 1 RETURNING version, (SELECT"
      " COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND"
      " objid = " +
      kWriteLock +
      " AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname ="
      " current_database()))";
  static constexpr std::chrono::milliseconds kKeepIdle{5};
  // How long a process may hold the write lock without a word to the database before the
  // database ends its session (freeing the lock); dia.write_lease in the URL sets it, 0 none.
  inline static const std::string kLease = "5s";
  // The longest a group waits for the write lock before its requests get 503.
  inline static const std::string kLockWait = "10s";

  std::string url_;
  std::unique_ptr<pqxx::connection> connection_;
  int pid_ = 0;  // of connection_'s session, as connect opened it
  std::mutex mutex_;
  std::int64_t lease_ms_ = 0;                       // the write lease (claim); 0: none
  std::chrono::steady_clock::time_point last_use_;  // the session's last statement, about
  bool counted_ = false;     // the write counter exists (claim) and every commit advances it
  std::int64_t seen_ = -1;   // its value after this process's last lock or commit
  std::int64_t since_ = -1;  // seen_ before the last lock_writes (changed_since)
  bool tracked_ = false;     // track_changes is in place
  bool held_ = false;        // this session holds the write lock
  bool in_group_ = false;    // between lock_writes and unlock_writes
  bool contended_ = true;    // another process may wait for the write lock
  bool stop_ = false;
  std::chrono::steady_clock::time_point idle_since_;  // of a kept lock
  std::condition_variable idle_;
  std::thread releaser_;  // started by claim (servers only)
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
