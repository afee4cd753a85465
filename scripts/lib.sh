# Shared helpers for the project's scripts. Source it; do not run it.
set -euo pipefail
ETNIK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ETNIK_ROOT

say() { printf '\033[1m[etnik]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[etnik] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
