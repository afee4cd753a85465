#!/usr/bin/env bash
# Prints the Debian packages that hold the shared libraries the given binaries load, one per line,
# so a runtime image installs exactly what the build image linked against.
#   deploy/docker/runtime-packages.sh BINARY...
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 BINARY..." >&2; exit 2; }

libs=$(for bin in "$@"; do
  ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u)
[ -n "$libs" ] || { echo "runtime-packages: no shared libraries found" >&2; exit 1; }

# dpkg records a file under the path its package shipped it at; with merged /usr that may be
# /lib/... or /usr/lib/..., while ldd may print either, or a symlink to the real file. One
# dpkg-query call for every spelling of every library: it reads its database once.
declare -A spellings=()
for lib in $libs; do
  real=$(readlink -f "$lib")
  spellings[$lib]="$lib $real ${lib#/usr} /usr${lib#/usr} ${real#/usr} /usr${real#/usr}"
done
# shellcheck disable=SC2046
owners=$(dpkg-query -S $(printf '%s ' "${spellings[@]}" | tr ' ' '\n' | sort -u) 2>/dev/null || true)

declare -A owner_of=()
while IFS= read -r line; do
  [ -n "$line" ] || continue
  path=${line##*: }
  pkgs=${line%: *}
  owner_of[$path]=${pkgs%%,*}
done <<<"$owners"

for lib in $libs; do
  found=""
  for p in ${spellings[$lib]}; do
    if [ -n "${owner_of[$p]:-}" ]; then found=${owner_of[$p]%%:*}; break; fi
  done
  [ -n "$found" ] || { echo "runtime-packages: no Debian package holds $lib" >&2; exit 1; }
  echo "$found"
done | sort -u
