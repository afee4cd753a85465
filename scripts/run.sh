#!/usr/bin/env bash
# README command 1: installs what is missing, builds, starts Redis and every service on
# loopback, and prints where to look. Run it again to restart with a fresh build.
source "$(dirname "$0")/lib.sh"
"$ETNIK_ROOT/scripts/install-deps.sh"
export ETNIK_BUILD_DIR
ETNIK_BUILD_DIR="$("$ETNIK_ROOT/scripts/build.sh" -- \
  registration hubs scheduling notifications gateway etnik-health etnik-token etnikctl)"
"$ETNIK_ROOT/scripts/stack.sh" stop
"$ETNIK_ROOT/scripts/stack.sh" start

# The demo programme; every create carries a request id, so a second import changes nothing.
state_dir="${ETNIK_STATE_DIR:-$ETNIK_ROOT/.run}"
ctl=("$ETNIK_BUILD_DIR/tools/etnikctl/etnikctl" --jwt_key_file="$state_dir/secrets/jwt-hs256.key"
     --registration="127.0.0.1:${ETNIK_REGISTRATION_PORT:-50051}" --hubs="127.0.0.1:${ETNIK_HUBS_PORT:-50052}"
     --scheduling="127.0.0.1:${ETNIK_SCHEDULING_PORT:-50053}")
say "loading the demo programme (demo/etnik-2021.json)"
"${ctl[@]}" import "$ETNIK_ROOT/demo/etnik-2021.json" 2> >(grep -v '^  unchanged ' >&2) ||
  die "the demo programme did not load (the stack is still running; logs in $state_dir/logs)"
echo
echo "The page http://127.0.0.1:${ETNIK_HTTP_PORT:-8080}/ (sign in with a token below; REST API under /v1/, routes in /v1/openapi.json) - development tokens (24 h):"
# The expert token belongs to the demo expert experts/ivanova-elena (the profile's subject), so it
# sees that expert's profile and sessions.
for role in organiser hub_lead expert participant reviewer; do
  extra=()
  [ "$role" = hub_lead ] && extra=(--hub=media)
  [ "$role" = expert ] && extra=(--sub=ivanova-elena)
  printf '  %-12s %s\n' "$role" "$("${ctl[@]}" token --role="$role" "${extra[@]}")"
done
echo "The schedule: ${ctl[*]} schedule --programme=programmes/etnik-2021"
