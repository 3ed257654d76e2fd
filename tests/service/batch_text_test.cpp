// The PostgreSQL group commit's folded SQL text (src/ledger/postgres/batch_text.hpp): the text
// written out by hand for a small batch, and on a PostgreSQL server that a folded batch leaves
// what the statements one by one leave, including a CHECK that only an intermediate value breaks.
#include "ledger/postgres/batch_text.hpp"

#include <unistd.h>

#include "service_fixture.hpp"

namespace dia::testing {
namespace {

using ledger::Statement;

std::string quoted(const std::string& text) { return "'" + text + "'"; }

TEST(BatchText, FoldsInsertsAndIncrementsUpToABarrier) {
  const std::string insert_t = "INSERT INTO t (id, s) VALUES (?, ?)";
  const std::string add_u = "UPDATE u SET b = b + ? WHERE id = ?";
  const std::vector<Statement> batch{
      {insert_t, {std::int64_t{1}, std::string("a")}},
      {add_u, {std::int64_t{5}, std::int64_t{7}}},
      {insert_t, {std::int64_t{2}, std::string("b")}},
      {add_u, {std::int64_t{-3}, std::int64_t{7}}},
      {add_u, {std::int64_t{2}, std::int64_t{8}}},
      {"DELETE FROM t WHERE id = ?", {std::int64_t{9}}},
      {insert_t, {std::int64_t{3}, std::string("d")}},
  };
  EXPECT_EQ(ledger::batch_text(batch, quoted),
            "INSERT INTO t (id, s) VALUES ('1', 'a'), ('2', 'b');\n"
            "UPDATE u SET b = b + dia_v.dia_d FROM (VALUES (7::bigint, 5::bigint), (8::bigint, "
            "2::bigint)) AS dia_v(dia_id, dia_d) WHERE u.id = dia_v.dia_id;\n"
            "UPDATE u SET b = b + dia_v.dia_d FROM (VALUES (7::bigint, -3::bigint)) AS "
            "dia_v(dia_id, dia_d) WHERE u.id = dia_v.dia_id;\n"
            "DELETE FROM t WHERE id = '9';\n"
            "INSERT INTO t (id, s) VALUES ('3', 'd');\n");
  // Increments of a table the batch inserts into stay where they are, one by one (a barrier).
  const std::string insert_u = "INSERT INTO u (id, b) VALUES (?, ?)";
  EXPECT_EQ(ledger::batch_text({{insert_u, {std::int64_t{1}, std::int64_t{0}}},
                                {add_u, {std::int64_t{4}, std::int64_t{1}}},
                                {insert_u, {std::int64_t{2}, std::int64_t{0}}}},
                               quoted),
            "INSERT INTO u (id, b) VALUES ('1', '0');\n"
            "UPDATE u SET b = b + '4' WHERE id = '1';\n"
            "INSERT INTO u (id, b) VALUES ('2', '0');\n");
  // Not a plain one-row insert, or a text parameter in an increment: left as written.
  const std::vector<Statement> odd{
      {"INSERT INTO t (id, s) VALUES (?, ?) ON CONFLICT DO NOTHING",
       {std::int64_t{1}, std::string("a")}},
      {add_u, {std::string("5"), std::int64_t{7}}},
  };
  EXPECT_EQ(ledger::batch_text(odd, quoted),
            "INSERT INTO t (id, s) VALUES ('1', 'a') ON CONFLICT DO NOTHING;\n"
            "UPDATE u SET b = b + '5' WHERE id = '7';\n");
}

TEST(BatchText, FoldedBatchesActAsStatementByStatementOnPostgres) {
  const char* url = std::getenv("DIA_TEST_POSTGRES_URL");
  if (!url || !*url) GTEST_SKIP() << "DIA_TEST_POSTGRES_URL is not set";
  auto db = ledger::open_database(url);
  ASSERT_TRUE(db) << db.error().line();
  const std::string acc = "dia_fold_acc_" + std::to_string(getpid());
  const std::string log = "dia_fold_log_" + std::to_string(getpid());
  ASSERT_TRUE((*db)->execute_batch(
      {{"CREATE TABLE " + acc +
            " (id BIGINT PRIMARY KEY, kind TEXT NOT NULL, b BIGINT NOT NULL CHECK (kind = "
            "'external' OR b >= 0))",
        {}},
       {"CREATE TABLE " + log + " (id BIGINT PRIMARY KEY, acc BIGINT NOT NULL, note TEXT)", {}},
       {"INSERT INTO " + acc + " (id, kind, b) VALUES (?, ?, ?)",
        {std::int64_t{1}, std::string("cash"), std::int64_t{10}}},
       {"INSERT INTO " + acc + " (id, kind, b) VALUES (?, ?, ?)",
        {std::int64_t{2}, std::string("external"), std::int64_t{0}}}}));
  const std::string add = "UPDATE " + acc + " SET b = b + ? WHERE id = ?";
  const std::string note = "INSERT INTO " + log + " (id, acc, note) VALUES (?, ?, ?)";
  const auto balances = [&] {
    auto rows = (*db)->query({"SELECT b FROM " + acc + " ORDER BY id", {}});
    EXPECT_TRUE(rows);
    std::vector<std::int64_t> out;
    for (const auto& r : *rows) out.push_back(ledger::as_int(r[0]));
    return out;
  };
  // Two transfers as the house posts them (a log row, then both legs), twice, interleaved.
  ASSERT_TRUE((*db)->execute_batch({
      {note, {std::int64_t{1}, std::int64_t{1}, std::string("it's one")}},
      {add, {std::int64_t{-4}, std::int64_t{1}}},
      {add, {std::int64_t{4}, std::int64_t{2}}},
      {note, {std::int64_t{2}, std::int64_t{1}, std::string("two")}},
      {add, {std::int64_t{-6}, std::int64_t{1}}},
      {add, {std::int64_t{6}, std::int64_t{2}}},
  }));
  EXPECT_EQ(balances(), (std::vector<std::int64_t>{0, 10}));
  auto notes = (*db)->query({"SELECT note FROM " + log + " ORDER BY id", {}});
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ(ledger::as_text(notes->at(0)[0]), "it's one");
  // Cash 0 - 5 + 5: the sum is 0, but one by one the first step breaks the CHECK, so the batch
  // fails there and changes nothing (a sum of the increments would have passed).
  std::size_t failed = 99;
  EXPECT_FALSE((*db)->execute_batch({{note, {std::int64_t{3}, std::int64_t{1}, std::string("x")}},
                                     {add, {std::int64_t{-5}, std::int64_t{1}}},
                                     {add, {std::int64_t{5}, std::int64_t{1}}}},
                                    &failed));
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(balances(), (std::vector<std::int64_t>{0, 10}));
  ASSERT_TRUE((*db)->execute_batch({{"DROP TABLE " + acc, {}}, {"DROP TABLE " + log, {}}}));
}

}  // namespace
}  // namespace dia::testing
