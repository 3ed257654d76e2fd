// A batch of statements as ONE SQL text for PostgreSQL (one round trip), with the statements of
// a group commit folded together so that PostgreSQL parses, plans and runs far fewer of them:
//  - single-row `INSERT INTO t (cols) VALUES (?, ..., ?)` with the same text become one
//    multi-row INSERT, at the place of the first of them;
//  - increments `UPDATE t SET c = c + ? WHERE id = ?` (integer parameters) of a table the batch
//    inserts nothing into become one `UPDATE ... FROM (VALUES ...)` per round, round r holding
//    each row's r-th increment, so every row goes through exactly its own sequence of values
//    (its CHECK constraints see each one, as statement by statement).
// Any other statement is a barrier: nothing is folded across it. Folding only moves inserts of
// new rows earlier past statements that do not read their table (other inserts, increments of
// other tables), and increments of one row stay in order, so when the folded text succeeds the
// database holds what the statements one by one would give; when it fails, the caller runs the
// statements one by one (which finds the failing one).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ledger/database.hpp"

namespace dia::ledger {

// One statement's SQL with its `?` parameters inlined as `quote`d literals.
std::string inline_params(const Statement& s,
                          const std::function<std::string(const std::string&)>& quote);

// `quote` makes a parameter's text a quoted SQL literal (untyped: PostgreSQL types it from its
// context, as it types a `$n` parameter sent as text).
std::string batch_text(const std::vector<Statement>& statements,
                       const std::function<std::string(const std::string&)>& quote);

}  // namespace dia::ledger
