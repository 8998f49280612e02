#!/usr/bin/env bash
# Usage: bash scripts/node22.sh <node args...>
# Runs node >= 22 with the given arguments, installing node@22 into .tools/ first if the node on
# PATH is older (see scripts/lib/node22.bash), with NODE_OPTIONS including --openssl-legacy-provider.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/node22.bash
source "$root/scripts/lib/node22.bash"
node_bin="$(ensure_node22 "$root")"
# s3rver's ListObjectsV2 continuation tokens use DES, which Node >= 17 only offers with the
# legacy OpenSSL provider.
case " ${NODE_OPTIONS:-} " in
  *" --openssl-legacy-provider "*) ;;
  *) export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--openssl-legacy-provider" ;;
esac
# Child processes (jest workers, npx, cdk's `npx tsx`) must find the same node.
export PATH="$(dirname "$node_bin"):$PATH"
exec "$node_bin" "$@"
