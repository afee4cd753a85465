#!/usr/bin/env bash
# Configures and builds etnik. Fast when nothing changed.
#   scripts/build.sh                 build/      (optimised, for running)
#   scripts/build.sh --sanitize      build-asan/ (AddressSanitizer + UndefinedBehaviorSanitizer, for tests)
#   scripts/build.sh [--sanitize] -- TARGET...   only those targets
source "$(dirname "$0")/lib.sh"

dir="$ETNIK_ROOT/build"
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  dir="$ETNIK_ROOT/build-asan"
  flags=(-DCMAKE_BUILD_TYPE=Debug -DETNIK_SANITIZE=ON)
  shift
fi
[ "${1:-}" = "--" ] && shift
targets=("$@")

if [ ! -f "$dir/build.ninja" ]; then
  cmake -S "$ETNIK_ROOT" -B "$dir" -G Ninja "${flags[@]}" >/dev/null
fi
say "building in ${dir#$ETNIK_ROOT/}"
ninja -C "$dir" -j "$(nproc)" "${targets[@]}" >&2 || die "build failed (see the compiler output above)"
echo "$dir"
