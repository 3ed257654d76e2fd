#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang with ASan and UBSan, in build/fuzz) and
# runs every fuzz/*_fuzzer over its committed seed corpus (fuzz/corpus/NAME, with fuzz/NAME.dict
# where there is one) for a bounded time
# with a fixed seed: DIA_FUZZ_SECONDS (default 60) in all. Fails on any crash, leak, sanitizer
# report or uncaught exception; the input that caused it is kept in build/fuzz/NAME-crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${DIA_FUZZ_SECONDS:-60}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mapfile -t fuzzers < <(find build/fuzz/fuzz -maxdepth 1 -type f -name '*_fuzzer' -perm -u+x | sort)
if ((${#fuzzers[@]} == 0)); then
  echo "fuzz.sh: no fuzzer was built" >&2
  exit 1
fi
each=$((seconds / ${#fuzzers[@]}))
((each >= 5)) || each=5
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer" _fuzzer)
  [ -d "fuzz/corpus/$name" ] || { echo "fuzz.sh: no seed corpus fuzz/corpus/$name" >&2; exit 1; }
  dict=(); [ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
  found=$(mktemp -d)  # inputs found on the way stay out of the committed corpus
  echo "fuzz.sh: $name for ${each}s"
  "$fuzzer" -seed=1 -max_total_time="$each" -max_len=4096 -timeout=60 -rss_limit_mb=2048 \
    -print_final_stats=1 "${dict[@]}" -artifact_prefix="build/fuzz/$name-" "$found" "fuzz/corpus/$name" \
    2>"build/fuzz/$name.log" || {
    tail -n 60 "build/fuzz/$name.log" >&2
    rm -rf "$found"
    echo "fuzz.sh: $name failed; the input is in build/fuzz/$name-*" >&2
    exit 1
  }
  grep -E "stat::number_of_executed_units|Done" "build/fuzz/$name.log" | tail -n 2
  rm -rf "$found"
done
