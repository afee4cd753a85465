#!/usr/bin/env bash
# Lints the protobuf contracts with buf (rules in proto/buf.yaml). Run from the repo root.
set -euo pipefail

buf=node_modules/.bin/buf
if [[ ! -x "$buf" ]]; then
  echo "buf_lint: $PWD/$buf is missing; run 'npm ci' in $PWD first" >&2
  exit 1
fi
if [[ ! -f buf.work.yaml || ! -f proto/buf.yaml ]]; then
  echo "buf_lint: run from the repo root (buf.work.yaml and proto/buf.yaml expected)" >&2
  exit 1
fi
"$buf" lint
echo "buf_lint: $("$buf" --version) found no problems in proto/"
