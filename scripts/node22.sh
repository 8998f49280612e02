#!/usr/bin/env bash
# Runs node >= 22 with the given arguments. The project needs Node 22 (aws-local-stepfunctions
# uses Promise.withResolvers; Lambda runs nodejs22.x) but many machines ship Node 20, so when the
# node on PATH is older we install node@22 from the npm registry into .tools/ once and use that.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
node_bin="$(command -v node || true)"
if [ -z "$node_bin" ] || [ "$(major "$node_bin")" -lt 22 ]; then
  node_bin="$root/.tools/node22/node_modules/node/bin/node"
  if [ ! -x "$node_bin" ] || [ "$(major "$node_bin")" -lt 22 ]; then
    echo "node22.sh: Node $(node --version 2>/dev/null || echo none) is too old; installing node@22 into .tools/ (once)" >&2
    mkdir -p "$root/.tools/node22"
    npm install --prefix "$root/.tools/node22" --no-save --no-audit --no-fund --loglevel=error node@22 >&2
  fi
fi
# s3rver's ListObjectsV2 continuation tokens use DES, which Node >= 17 only offers with the
# legacy OpenSSL provider.
export NODE_OPTIONS="${NODE_OPTIONS:-} --openssl-legacy-provider"
export PATH="$(dirname "$node_bin"):$PATH"
exec "$node_bin" "$@"
