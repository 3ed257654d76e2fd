// One SQL text for a batch, its statements folded (see batch_text.hpp).
#include "ledger/postgres/batch_text.hpp"

#include <cstdint>
#include <set>
#include <string_view>
#include <unordered_map>

namespace dia::ledger {
namespace {

enum class Kind { kOther, kInsert, kIncrement };

struct Shape {
  Kind kind = Kind::kOther;
  std::string_view table;
  std::string_view head;    // an insert's text up to its tuple: "INSERT INTO t (...) VALUES "
  std::string_view column;  // an increment's column
};

constexpr auto npos = std::string_view::npos;

std::string param_text(const SqlValue& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  return std::get<std::string>(v);
}

Shape insert_shape(const Statement& s) {
  const std::string_view sql = s.sql;
  const auto values = sql.find(" VALUES (");
  const auto table_end = sql.find(' ', 12);
  if (values == npos || table_end == npos) return {};
  const std::string_view head = sql.substr(0, values + 8), tuple = sql.substr(values + 8);
  if (head.find('?') != npos || tuple.back() != ')') return {};
  std::size_t marks = 0;
  for (const char c : tuple.substr(1, tuple.size() - 2)) {
    if (c == '?') {
      ++marks;
    } else if (c != ',' && c != ' ') {
      return {};
    }
  }
  if (marks == 0 || marks != s.params.size()) return {};
  return {Kind::kInsert, sql.substr(12, table_end - 12), head, {}};
}

Shape increment_shape(const Statement& s) {
  const std::string_view sql = s.sql;
  const auto table_end = sql.find(' ', 7);
  if (table_end == npos || sql.substr(table_end, 5) != " SET ") return {};
  const std::string_view rest = sql.substr(table_end + 5);
  const auto column_end = rest.find(' ');
  if (column_end == npos) return {};
  const std::string_view column = rest.substr(0, column_end);
  if (rest.substr(column_end) != " = " + std::string(column) + " + ? WHERE id = ?") return {};
  if (s.params.size() != 2 || !std::holds_alternative<std::int64_t>(s.params[0]) ||
      !std::holds_alternative<std::int64_t>(s.params[1])) {
    return {};
  }
  return {Kind::kIncrement, sql.substr(7, table_end - 7), {}, column};
}

Shape shape_of(const Statement& s) {
  if (s.sql.starts_with("INSERT INTO ")) return insert_shape(s);
  if (s.sql.starts_with("UPDATE ")) return increment_shape(s);
  return {};
}

using Quote = std::function<std::string(const std::string&)>;

void append_statement(std::string& out, const Statement& s, const Quote& quote) {
  out += inline_params(s, quote);
  out += ";\n";
}

void append_insert(std::string& out, const std::vector<Statement>& statements,
                   const std::vector<std::size_t>& group, std::string_view head,
                   const Quote& quote) {
  out += head;
  for (std::size_t k = 0; k < group.size(); ++k) {
    out += k ? ", (" : "(";
    const auto& params = statements[group[k]].params;
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (i) out += ", ";
      out += quote(param_text(params[i]));
    }
    out += ')';
  }
  out += ";\n";
}

void append_increments(std::string& out, const std::vector<Statement>& statements,
                       const std::vector<std::size_t>& group, const Shape& shape) {
  std::vector<std::int64_t> ids;  // in order of first increment
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> deltas;
  for (const std::size_t k : group) {
    const auto& params = statements[k].params;
    const std::int64_t id = std::get<std::int64_t>(params[1]);
    auto& d = deltas[id];
    if (d.empty()) ids.push_back(id);
    d.push_back(std::get<std::int64_t>(params[0]));
  }
  const std::string table(shape.table), column(shape.column);
  for (std::size_t round = 0;; ++round) {
    std::string values;
    for (const std::int64_t id : ids) {
      const auto& d = deltas[id];
      if (round >= d.size()) continue;
      values += values.empty() ? "(" : ", (";
      values += std::to_string(id) + "::bigint, " + std::to_string(d[round]) + "::bigint)";
    }
    if (values.empty()) return;
    out += "UPDATE " + table + " SET " + column + " = " + column + " + dia_v.dia_d FROM (VALUES " +
           values + ") AS dia_v(dia_id, dia_d) WHERE " + table + ".id = dia_v.dia_id;\n";
  }
}

}  // namespace

std::string inline_params(const Statement& s,
                          const std::function<std::string(const std::string&)>& quote) {
  std::string out;
  std::size_t n = 0;
  for (const char c : s.sql) {
    if (c == '?') {
      out += quote(param_text(s.params.at(n++)));
    } else {
      out += c;
    }
  }
  return out;
}

std::string batch_text(const std::vector<Statement>& statements, const Quote& quote) {
  const std::size_t n = statements.size();
  std::vector<Shape> shapes;
  shapes.reserve(n);
  std::set<std::string_view> inserted;  // tables the batch inserts into
  for (const Statement& s : statements) {
    shapes.push_back(shape_of(s));
    if (shapes.back().kind == Kind::kInsert) inserted.insert(shapes.back().table);
  }
  for (Shape& s : shapes) {
    if (s.kind == Kind::kIncrement && inserted.count(s.table)) s.kind = Kind::kOther;
  }
  std::string out;
  for (std::size_t i = 0; i < n;) {
    if (shapes[i].kind == Kind::kOther) {
      append_statement(out, statements[i], quote);
      ++i;
      continue;
    }
    // A run of foldable statements: one group per text, in order of first appearance.
    std::size_t end = i;
    while (end < n && shapes[end].kind != Kind::kOther) ++end;
    std::vector<std::vector<std::size_t>> groups;
    std::unordered_map<std::string_view, std::size_t> group_of;
    for (std::size_t k = i; k < end; ++k) {
      const auto [it, fresh] = group_of.try_emplace(statements[k].sql, groups.size());
      if (fresh) groups.emplace_back();
      groups[it->second].push_back(k);
    }
    for (const auto& group : groups) {
      const Shape& shape = shapes[group.front()];
      if (shape.kind == Kind::kInsert) {
        append_insert(out, statements, group, shape.head, quote);
      } else {
        append_increments(out, statements, group, shape);
      }
    }
    i = end;
  }
  return out;
}

}  // namespace dia::ledger
