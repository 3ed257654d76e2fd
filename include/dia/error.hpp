// Errors a user can cause, and the DIA_CHECK macro for bugs (see docs/design.md).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <tl/expected.hpp>

namespace dia {

enum class ErrorCode {
  kInvalidSpec,      // a malformed or unsupported value distribution SPEC
  kInvalidArgument,  // a bad option value
  kIo,               // a file that cannot be read
  kTooLarge,         // a request that would not fit in time or memory
  kAuditFailed,      // a computed result that failed its own audit (CLI exit code 3)
  kFileNotAllowed,   // a SPEC naming a file where no file may be read (SpecFiles::kRefuse)
};

struct Error {
  ErrorCode code;
  std::string message;  // what is wrong, e.g. "uniform(a,b) needs a < b, got uniform(2,1)"
  std::string hint;     // how to fix it

  // One line for a terminal: "message (hint)".
  std::string line() const { return hint.empty() ? message : message + " (" + hint + ")"; }
};

template <class T>
using Expected = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string hint = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(hint)});
}

}  // namespace dia

// A broken invariant is a bug in dia, never the user's fault: abort with file and line.
#define DIA_CHECK(condition)                                                                  \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "dia: internal error: %s failed at %s:%d\n", #condition, __FILE__, \
                   __LINE__);                                                                 \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)
