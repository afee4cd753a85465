#!/usr/bin/env bash
# Installs what etnik needs on Debian 12, and nothing when it is all there already.
#   scripts/install-deps.sh          build and run
#   scripts/install-deps.sh --test   also what the test suite needs
source "$(dirname "$0")/lib.sh"

build_packages=(
  cmake ninja-build g++ pkg-config git ca-certificates tzdata python3
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev grpc-proto
  golang-github-gogo-googleapis-dev libabsl-dev prometheus-cpp-dev libhiredis-dev
  libsoci-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev libcpp-httplib-dev libssl-dev
  libgtest-dev libgmock-dev
  redis-server
)
test_packages=(
  postgresql-15 python3 python3-grpcio python3-grpc-tools python3-icalendar python3-aiosmtpd
  prometheus nodejs npm curl procps iproute2 kubernetes-client
  chromium fonts-dejavu-core
  clang libclang-rt-14-dev
)

packages=("${build_packages[@]}")
if [ "${1:-}" = "--test" ]; then packages+=("${test_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  # node may come from elsewhere than Debian (it does on some images): a working npm is enough.
  if [ "$p" = nodejs ] || [ "$p" = npm ]; then
    command -v npm >/dev/null 2>&1 && continue
  fi
  # Any kubectl will do (Debian's kubernetes-client, 1.20, renders our kustomizations too).
  if [ "$p" = kubernetes-client ]; then
    command -v kubectl >/dev/null 2>&1 && continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian starts the packaged Redis and PostgreSQL services on install; etnik runs its own
# instances on its own ports, so the packaged ones are left as the system has them.

if [ "${1:-}" = "--test" ]; then
  cd "$ETNIK_ROOT"
  stamp=node_modules/.etnik-lock
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    say "installing npm packages (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
fi
