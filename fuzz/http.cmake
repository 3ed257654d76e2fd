# The libFuzzer target of the HTTP request path (fuzz/http_request_fuzzer.cpp), for a clang build
# whose libraries are compiled with -fsanitize=fuzzer-no-link (and address,undefined): include()
# it from fuzz/CMakeLists.txt. Run it over the committed seeds, bounded, e.g.
#   BUILD/fuzz/dia_http_request_fuzzer -max_total_time=60 -max_len=4096 \
#     -dict=fuzz/http.dict CORPUS_COPY fuzz/corpus/http_request
add_executable(dia_http_request_fuzzer ${CMAKE_CURRENT_LIST_DIR}/http_request_fuzzer.cpp)
target_include_directories(dia_http_request_fuzzer PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../src)
target_link_libraries(dia_http_request_fuzzer PRIVATE dia_service dia_warnings)
target_compile_features(dia_http_request_fuzzer PRIVATE cxx_std_20)
target_compile_options(dia_http_request_fuzzer PRIVATE -fsanitize=fuzzer)
target_link_options(dia_http_request_fuzzer PRIVATE -fsanitize=fuzzer)
