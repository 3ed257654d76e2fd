# Warning flags and sanitizers as an INTERFACE target every dia target links.
add_library(dia_warnings INTERFACE)
target_compile_options(dia_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                              -Wno-sign-conversion)
if(DIA_SANITIZE)
  target_compile_options(dia_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(dia_warnings INTERFACE -fsanitize=address,undefined)
endif()
