#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/, and the registration form fuzzer) for a bounded time, in a
# Clang build of just those targets in build-fuzz/.
#   scripts/fuzz.sh [--seconds N] [TARGET...]   N seconds per target: 60 by default, 15 when CI=true
# The seeds in fuzz/corpus/<target>/ are read, never written; what the fuzzer finds is kept in
# build-fuzz/fuzz-corpus/<target>/ for the next run. A crash or a broken property fails the run
# and its input is saved as build-fuzz/fuzz-crashes/<target>-crash-* (replay: the binary + file).
source "$(dirname "$0")/lib.sh"

seconds=60
[ "${CI:-}" = true ] && seconds=15
if [ "${1:-}" = "--seconds" ]; then seconds=$2; shift 2; fi
only=("$@")

command -v clang++ >/dev/null || die "clang++ is needed: scripts/install-deps.sh --test"
dir="${ETNIK_FUZZ_BUILD_DIR:-$ETNIK_ROOT/build-fuzz}"
start=$(date +%s)
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S "$ETNIK_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
fi
say "building the fuzz targets in ${dir#$ETNIK_ROOT/}"
ninja -C "$dir" -j "$(nproc)" etnik_fuzzers >&2 || die "fuzz build failed (see the compiler output above)"
built=$(date +%s)

# Longest input per target: enough for a form, a JSON body or a few sessions, small enough to
# keep the runs fast.
max_len() {
  case "$1" in
    registration_form_fuzzer | transcode_fuzzer) echo 4096 ;;
    icalendar_fuzzer) echo 2048 ;;
    *) echo 1024 ;;
  esac
}

mkdir -p "$dir/fuzz-crashes"
failed=()
while read -r binary; do
  [ -n "$binary" ] || continue
  target=$(basename "$binary")
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $target "* ]]; then continue; fi
  corpus="$dir/fuzz-corpus/$target"
  log="$dir/fuzz-crashes/$target.log"
  mkdir -p "$corpus"
  t0=$(date +%s)
  if "$binary" -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=20 -rss_limit_mb=2048 \
       -artifact_prefix="$dir/fuzz-crashes/$target-" "$corpus" "$ETNIK_ROOT/fuzz/corpus/$target" >"$log" 2>&1; then
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
    printf 'fuzz %-28s ok      %9s inputs in %ss, corpus %s\n' "$target" "${runs:-?}" "$(( $(date +%s) - t0 ))" \
      "$(find "$corpus" -type f | wc -l)"
  else
    printf 'fuzz %-28s FAILED  (log: %s)\n' "$target" "${log#$ETNIK_ROOT/}"
    grep -v '^\[libprotobuf' "$log" | grep -E -A30 'property broken|ERROR: ' | head -40 >&2 || true
    failed+=("$target")
  fi
done <"$dir/fuzz/targets.txt"

say "fuzzing done: build $((built - start))s, runs $(( $(date +%s) - built ))s"
[ ${#failed[@]} -eq 0 ] || die "fuzz targets failed: ${failed[*]}"
