#!/usr/bin/env bash
# Runs the mixed load against a fresh stack and writes the report.
#   bench/mixed/run.sh [mixed_load flags, e.g. --levels=1,4 --max_seconds=5]
# Starts Redis and every service from $ETNIK_BUILD_DIR (build) on free ports with a private state
# dir, imports demo/etnik-2021.json, runs build/bench/mixed/mixed_load, stops the stack (also on
# failure) and writes $ETNIK_BENCH_REPORT (bench/results/mixed-load.md) with the machine described.
source "$(dirname "$0")/../../scripts/lib.sh"

build_dir="${ETNIK_BUILD_DIR:-$ETNIK_ROOT/build}"
report="${ETNIK_BENCH_REPORT:-$ETNIK_ROOT/bench/results/mixed-load.md}"
load_bin="$build_dir/bench/mixed/mixed_load"
[ -x "$load_bin" ] || die "no $load_bin: ninja -C $build_dir mixed_load"

state_dir="$(mktemp -d /tmp/etnik-bench-XXXXXX)"
# Free ports as the Python tests choose them: seven single ports and a block of five for metrics.
read -r -a ports < <(/usr/bin/python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
from stack import Stack, free_ports
print(" ".join(map(str, free_ports(7) + [Stack._free_block(5)])))' "$ETNIK_ROOT/tests/lib")
export ETNIK_BUILD_DIR="$build_dir" ETNIK_STATE_DIR="$state_dir"
export ETNIK_REDIS_PORT="${ports[0]}" ETNIK_REGISTRATION_PORT="${ports[1]}" ETNIK_HUBS_PORT="${ports[2]}"
export ETNIK_SCHEDULING_PORT="${ports[3]}" ETNIK_NOTIFICATIONS_PORT="${ports[4]}"
export ETNIK_GATEWAY_GRPC_PORT="${ports[5]}" ETNIK_HTTP_PORT="${ports[6]}" ETNIK_METRICS_BASE_PORT="${ports[7]}"

cleanup() {
  "$ETNIK_ROOT/scripts/stack.sh" stop || true
  rm -rf "$state_dir"
}
trap cleanup EXIT

load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
"$ETNIK_ROOT/scripts/stack.sh" start
services=(--registration="127.0.0.1:$ETNIK_REGISTRATION_PORT" --hubs="127.0.0.1:$ETNIK_HUBS_PORT"
          --scheduling="127.0.0.1:$ETNIK_SCHEDULING_PORT" --jwt_key_file="$state_dir/secrets/jwt-hs256.key")
"$build_dir/tools/etnikctl/etnikctl" "${services[@]}" import "$ETNIK_ROOT/demo/etnik-2021.json" 2>/dev/null

say "running mixed_load $*"
tables="$state_dir/tables.md"
status=0
"$load_bin" "${services[@]}" "$@" >"$tables" || status=$?

build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt")"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
mem="$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
{
  echo "# Mixed load: reads and writes at rising concurrency beside the empty call"
  echo
  echo "Written by \`bench/mixed/run.sh $*\` (exit status of mixed_load: $status)."
  echo
  echo "## Machine"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ETNIK_ROOT" rev-parse --short HEAD)"
  echo "- CPU: $cpu, \`nproc\` = $(nproc); memory $mem; $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- build: $build_type ($build_dir), g++ $(g++ -dumpfullversion 2>/dev/null || echo '?'); service"
  echo "  binaries built $(date -u -r "$build_dir/services/scheduling/scheduling" '+%Y-%m-%d %H:%M UTC')"
  echo "- load average at start (1, 5, 15 min): $load_at_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- stack: scripts/stack.sh on loopback (SQLite, Redis), demo/etnik-2021.json imported; client and"
  echo "  services share the machine"
  echo
  echo "## Method"
  echo
  echo "Each level keeps N calls outstanding through the gRPC callback API (one channel per service),"
  echo "bounded by an operation count and a time limit. It first runs the empty call alone —"
  echo "grpc.health.v1 \`Check\` round robin on the registration, hubs and scheduling services — then"
  echo "the mixed workload: of every 30 operations, 27 reads (published hub catalogue, \`GetHub\`,"
  echo "the public schedule \`ListSessions\` of the demo programme, a hub's iCalendar feed) and 3"
  echo "writes: a booking in a free slot of a demo expert, an attendee registration in a session"
  echo "the run booked, and an application (\`CreateApplication\` then \`SubmitApplication\`, a new"
  echo "applicant and a new valid INN each). Writes go to a programme the run creates (future"
  echo "stages, an open form, one webinar event per hub). \`p50 / empty p50\` divides an RPC's"
  echo "median by the median of the empty call on the same service in the same level: on a shared,"
  echo "noisy machine that ratio is the number to compare, not the absolute latencies. Refused"
  echo "bookings (slot taken) would be listed apart from errors."
  echo
  echo "## Results"
  cat "$tables"
} >"$report"
say "report written to $report"
exit "$status"
