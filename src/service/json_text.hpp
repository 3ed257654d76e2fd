// JSON text written straight into a string, for the answers on the hot path (POST /v1/decisions)
// whose JSON tree would cost an allocation per node and a walk to dump it. Hand-written because
// it must be faster than the tree; the bytes must equal dump_safely's of the same tree, so the
// caller writes each object's keys in nlohmann's order (sorted), and a string that is not plain
// printable ASCII goes through nlohmann itself.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "service/api_error.hpp"

namespace dia::service {

class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  JsonText& key(std::string_view name) {
    separate();
    string(name);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void value(std::int64_t n) {
    separate();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out_.append(digits, end);
  }
  void value(bool b) {
    separate();
    out_ += b ? "true" : "false";
  }
  void value(std::string_view s) {
    separate();
    string(s);
  }
  void null() {
    separate();
    out_ += "null";
  }
  // Text that is JSON already (a value dumped by dump_safely).
  void raw(std::string_view json_text) {
    separate();
    out_ += json_text;
  }

 private:
  void open(char bracket) {
    separate();
    out_ += bracket;
    first_[++depth_] = true;
  }
  void close(char bracket) {
    out_ += bracket;
    --depth_;
  }
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_[depth_]) out_ += ',';
    first_[depth_] = false;
  }
  void string(std::string_view s) {
    for (const char c : s) {
      if (c < 0x20 || c > 0x7E) {  // control characters, DEL, UTF-8: nlohmann's escapes
        out_ += dump_safely(json(std::string(s)));
        return;
      }
    }
    out_ += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }

  std::string& out_;
  std::array<bool, 8> first_{true};  // per nesting level: nothing written in it yet
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace dia::service
