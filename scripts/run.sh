#!/usr/bin/env bash
# README command 1: installs what is missing, builds, starts Redis and every service on
# loopback, and prints where to look. Run it again to restart with a fresh build.
source "$(dirname "$0")/lib.sh"
"$ETNIK_ROOT/scripts/install-deps.sh"
export ETNIK_BUILD_DIR
ETNIK_BUILD_DIR="$("$ETNIK_ROOT/scripts/build.sh" -- \
  registration hubs scheduling notifications gateway etnik-health etnik-token)"
"$ETNIK_ROOT/scripts/stack.sh" stop
"$ETNIK_ROOT/scripts/stack.sh" start
