# Warning flags and sanitizers as an INTERFACE target every dia target links.
add_library(dia_warnings INTERFACE)
target_compile_options(dia_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                              -Wno-sign-conversion)
if(DIA_SANITIZE)
  # Undefined behaviour aborts (exit non-zero) instead of printing and running on, so a test fails.
  # -O1 (after Debug's -g): the usual level for ASan, several times faster than -O0 on the numeric
  # tests, and Debug still defines no NDEBUG, so library asserts (e.g. Boost.Graph's) stay on.
  target_compile_options(dia_warnings INTERFACE -O1 -fsanitize=address,undefined
                                                -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(dia_warnings INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
if(DIA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DIA_FUZZ needs clang (libFuzzer): configure with the `fuzz` preset")
  endif()
  # Every dia library is instrumented for libFuzzer's coverage and checked by ASan and UBSan; the
  # fuzzers themselves link libFuzzer's main (fuzz/CMakeLists.txt).
  target_compile_options(dia_warnings INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                -fno-sanitize-recover=undefined
                                                -fno-omit-frame-pointer)
  target_link_options(dia_warnings INTERFACE -fsanitize=address,undefined)
endif()
