#!/usr/bin/env bash
# Configures and builds etnik. Fast when nothing changed.
#   scripts/build.sh                 build/      (optimised, for running)
#   scripts/build.sh --sanitize      build-asan/ (AddressSanitizer + UndefinedBehaviorSanitizer, for tests)
source "$(dirname "$0")/lib.sh"

dir="$ETNIK_ROOT/build"
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  dir="$ETNIK_ROOT/build-asan"
  flags=(-DCMAKE_BUILD_TYPE=Debug -DETNIK_SANITIZE=ON)
fi

if [ ! -f "$dir/build.ninja" ]; then
  cmake -S "$ETNIK_ROOT" -B "$dir" -G Ninja "${flags[@]}" >/dev/null
fi
say "building in ${dir#$ETNIK_ROOT/}"
ninja -C "$dir" -j "$(nproc)" >&2 || die "build failed (see the compiler output above)"
echo "$dir"
