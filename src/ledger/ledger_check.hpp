// The ledger check on an open database (the service runs it through its writer).
#pragma once

#include "dia/ledger_check.hpp"
#include "ledger/database.hpp"

namespace dia::ledger {

Expected<LedgerCheck> check_ledger(Database& db);

}  // namespace dia::ledger
