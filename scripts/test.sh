#!/usr/bin/env bash
# README command 2: installs what is missing (test tools too), builds with AddressSanitizer and
# UndefinedBehaviorSanitizer, starts the suite's PostgreSQL, and runs every test with ctest.
#   scripts/test.sh [ctest arguments, e.g. -L unit or -R hubs]
source "$(dirname "$0")/lib.sh"
start=$(date +%s)
"$ETNIK_ROOT/scripts/install-deps.sh" --test
build_dir="$("$ETNIK_ROOT/scripts/build.sh" --sanitize)"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export ETNIK_BUILD_DIR="$build_dir"

# One PostgreSQL for the whole run; each test makes its own database in it.
eval "$("$ETNIK_ROOT/scripts/postgres.sh" start)"
trap '"$ETNIK_ROOT/scripts/postgres.sh" stop' EXIT

say "running tests"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" "$@"
# The whole suite also runs every fuzz target for a short while (15 s each in CI).
if [ $# -eq 0 ]; then "$ETNIK_ROOT/scripts/fuzz.sh"; fi
say "done in $(( $(date +%s) - start ))s"
