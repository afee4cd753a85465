#!/usr/bin/env bash
# Starts or stops a whole etnik stack on loopback: Redis and every service.
#   scripts/stack.sh start | stop | status
# Settings (environment): ETNIK_BUILD_DIR (build), ETNIK_STATE_DIR (.run: data, logs, pids),
# ports ETNIK_REDIS_PORT (6379), ETNIK_REGISTRATION_PORT (50051), ETNIK_HUBS_PORT (50052),
# ETNIK_SCHEDULING_PORT (50053), ETNIK_NOTIFICATIONS_PORT (50054), ETNIK_GATEWAY_GRPC_PORT (50055),
# ETNIK_HTTP_PORT (8080), ETNIK_METRICS_BASE_PORT (9100: services get +1..+5 in that order).
# ETNIK_SMTP_URL: the SMTP server e-mail goes to (smtp://host:port); by default the
#   notifications service's own default.
# ETNIK_DATABASE_URL_PREFIX: when set, a service's database is this prefix followed by its name
#   (postgresql://etnik@127.0.0.1:5432/etnik_ -> .../etnik_hubs; the databases must exist);
#   by default each service has its SQLite file in the state dir.
# ETNIK_SUPERVISE=1: Redis and each service are restarted a second after they exit, whatever the
#   reason, until `stop` (<name>.pid is the running process, <name>.supervisor.pid its loop).
source "$(dirname "$0")/lib.sh"

build_dir="${ETNIK_BUILD_DIR:-$ETNIK_ROOT/build}"
state_dir="${ETNIK_STATE_DIR:-$ETNIK_ROOT/.run}"
redis_port="${ETNIK_REDIS_PORT:-6379}"
metrics_base="${ETNIK_METRICS_BASE_PORT:-9100}"
http_port="${ETNIK_HTTP_PORT:-8080}"
declare -A grpc_port=(
  [registration]="${ETNIK_REGISTRATION_PORT:-50051}"
  [hubs]="${ETNIK_HUBS_PORT:-50052}"
  [scheduling]="${ETNIK_SCHEDULING_PORT:-50053}"
  [notifications]="${ETNIK_NOTIFICATIONS_PORT:-50054}"
  [gateway]="${ETNIK_GATEWAY_GRPC_PORT:-50055}"
)
services=(registration hubs scheduling notifications gateway)

metrics_port() {
  local i
  for i in "${!services[@]}"; do
    [ "${services[$i]}" = "$1" ] && echo $((metrics_base + i + 1))
  done
}

# Alive means running: a zombie (exited, not yet reaped) counts as stopped.
pid_alive() {
  [ -f "$1" ] || return 1
  local state
  state=$(awk '{print $3}' "/proc/$(cat "$1")/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_process() {  # name, command...
  local name=$1; shift
  if pid_alive "$state_dir/pids/$name.pid" || pid_alive "$state_dir/pids/$name.supervisor.pid"; then
    say "$name already running"; return
  fi
  if [ "${ETNIK_SUPERVISE:-0}" = 1 ]; then
    # A subshell, so the command (it may hold a secret) stays out of the process list; job
    # control gives it a process group of its own, so `stop` ends the loop and its process together.
    set -m
    supervise "$name" "$@" </dev/null >/dev/null 2>&1 &
    echo $! >"$state_dir/pids/$name.supervisor.pid"
    set +m
    return
  fi
  nohup "$@" >>"$state_dir/logs/$name.log" 2>&1 &
  echo $! >"$state_dir/pids/$name.pid"
}

supervise() {  # name, command...
  local name=$1; shift
  while true; do
    "$@" >>"$state_dir/logs/$name.log" 2>&1 &
    echo $! >"$state_dir/pids/$name.pid"
    wait $! || true
    sleep 1
  done
}

start() {
  mkdir -p "$state_dir"/{pids,logs,data,secrets}
  # The development token secret and the key of unsubscribe links: made once per state dir,
  # readable only by their owner.
  local secret="$state_dir/secrets/jwt-hs256.key" unsubscribe_key="$state_dir/secrets/unsubscribe.key"
  for key in "$secret" "$unsubscribe_key"; do
    [ -s "$key" ] || (umask 077; head -c 48 /dev/urandom | base64 -w0 >"$key")
  done
  [ -x "$build_dir/services/hubs/hubs" ] || die "no binaries in $build_dir: run scripts/build.sh first"
  for port in "$redis_port" "${grpc_port[@]}" "$http_port"; do
    if ! port_free "$port" && ! pid_alive "$state_dir/pids/redis.pid"; then
      die "port $port is taken by another program; set the ETNIK_*_PORT variables to free ports"
    fi
  done

  start_process redis redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state_dir/data" \
    --appendonly yes --save "" --protected-mode yes
  local svc
  for svc in "${services[@]}"; do
    local args=(
      --grpc_address="127.0.0.1:${grpc_port[$svc]}"
      --metrics_address="127.0.0.1:$(metrics_port "$svc")"
    )
    if [ "$svc" != gateway ]; then
      local db="sqlite://$state_dir/data/$svc.db"
      [ -n "${ETNIK_DATABASE_URL_PREFIX:-}" ] && db="$ETNIK_DATABASE_URL_PREFIX$svc"
      args+=(--database_url="$db"
             --redis_url="redis://127.0.0.1:$redis_port"
             --jwt_key_file="$secret")
    fi
    if [ "$svc" = gateway ]; then
      args+=(--http_address="127.0.0.1:$http_port"
             --redis_url="redis://127.0.0.1:$redis_port"
             --jwt_key_file="$secret"
             --registration_target="127.0.0.1:${grpc_port[registration]}"
             --hubs_target="127.0.0.1:${grpc_port[hubs]}"
             --scheduling_target="127.0.0.1:${grpc_port[scheduling]}"
             --notifications_target="127.0.0.1:${grpc_port[notifications]}")
    fi
    local env=()
    if [ "$svc" = notifications ]; then
      # Links in messages lead to this stack's page; the key goes by environment, not argv.
      args+=(--public_base_url="http://127.0.0.1:$http_port")
      env=(env "ETNIK_UNSUBSCRIBE_SECRET=$(cat "$unsubscribe_key")")
      [ -n "${ETNIK_SMTP_URL:-}" ] && args+=(--smtp_url="$ETNIK_SMTP_URL")
    fi
    start_process "$svc" "${env[@]}" "$build_dir/services/$svc/$svc" "${args[@]}"
  done

  local targets=()
  for svc in "${services[@]}"; do targets+=("127.0.0.1:${grpc_port[$svc]}"); done
  if ! "$build_dir/tools/etnik-health/etnik-health" --wait=30s "${targets[@]}"; then
    say "not every service became healthy; the logs are in $state_dir/logs"
    tail -n 5 "$state_dir"/logs/*.log >&2 || true
    exit 1
  fi
}

stop() {
  local name pidfile supervisor
  for name in gateway notifications scheduling hubs registration redis; do
    pidfile="$state_dir/pids/$name.pid"
    supervisor="$state_dir/pids/$name.supervisor.pid"
    if pid_alive "$supervisor"; then
      # The loop and its process get SIGTERM together: the loop ends, the process shuts down.
      kill -TERM -- "-$(cat "$supervisor")" 2>/dev/null || true
      for _ in $(seq 1 100); do pid_alive "$pidfile" || break; sleep 0.1; done
      pid_alive "$pidfile" && { kill -KILL -- "-$(cat "$supervisor")" 2>/dev/null || true; }
    fi
    rm -f "$supervisor"
    if pid_alive "$pidfile"; then
      kill -TERM "$(cat "$pidfile")"
      for _ in $(seq 1 100); do pid_alive "$pidfile" || break; sleep 0.1; done
      pid_alive "$pidfile" && kill -KILL "$(cat "$pidfile")"
    fi
    rm -f "$pidfile"
  done
}

status() {
  local name
  for name in redis "${services[@]}"; do
    if pid_alive "$state_dir/pids/$name.pid"; then
      echo "$name: running (pid $(cat "$state_dir/pids/$name.pid"))"
    else
      echo "$name: stopped"
    fi
  done
}

print_where() {
  cat <<INFO
etnik is running (state and logs in ${state_dir#$ETNIK_ROOT/}):
  gRPC  registration   127.0.0.1:${grpc_port[registration]}   metrics http://127.0.0.1:$(metrics_port registration)/metrics
  gRPC  hubs           127.0.0.1:${grpc_port[hubs]}   metrics http://127.0.0.1:$(metrics_port hubs)/metrics
  gRPC  scheduling     127.0.0.1:${grpc_port[scheduling]}   metrics http://127.0.0.1:$(metrics_port scheduling)/metrics
  gRPC  notifications  127.0.0.1:${grpc_port[notifications]}   metrics http://127.0.0.1:$(metrics_port notifications)/metrics
  HTTP  gateway        http://127.0.0.1:$http_port/   (gRPC health 127.0.0.1:${grpc_port[gateway]}, metrics http://127.0.0.1:$(metrics_port gateway)/metrics)
  Redis                127.0.0.1:$redis_port
Stop it with: scripts/stack.sh stop
INFO
}

case "${1:-}" in
  start) start; print_where ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: scripts/stack.sh start|stop|status" ;;
esac
