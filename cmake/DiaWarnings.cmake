# Warning flags and sanitizers as an INTERFACE target every dia target links.
add_library(dia_warnings INTERFACE)
target_compile_options(dia_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                              -Wno-sign-conversion)
if(DIA_SANITIZE)
  target_compile_options(dia_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(dia_warnings INTERFACE -fsanitize=address,undefined)
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
