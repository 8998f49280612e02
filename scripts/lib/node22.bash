# Sourced by scripts/node22.sh and .ci/run: finds or installs a Node >= 22.
# The project needs Node 22 (aws-local-stepfunctions uses Promise.withResolvers; Lambda runs
# nodejs22.x) but many machines ship Node 20, and the npm registry is the one download that works
# everywhere we run, so when the node on PATH is older we install the `node@22` package with npm
# into <repo>/.tools/node22 (git-ignored) once.

# node_major <node binary>: its major version, or 0 if it does not run.
node_major() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# ensure_node22 <repo root>: prints the path of a node binary >= 22, installing one if needed.
# Progress goes to stderr. Needs npm (any version) when it has to install.
ensure_node22() {
  local root="$1" candidate dir
  candidate="$(command -v node || true)"
  if [ -n "$candidate" ] && [ "$(node_major "$candidate")" -ge 22 ]; then
    echo "$candidate"
    return 0
  fi
  dir="$root/.tools/node22"
  candidate="$dir/node_modules/node/bin/node"
  if [ ! -x "$candidate" ] || [ "$(node_major "$candidate")" -lt 22 ]; then
    if ! command -v npm >/dev/null; then
      echo "node22: need Node >= 22 and found $(node --version 2>/dev/null || echo no node), and there is no npm to install it with; install Node.js with npm first" >&2
      return 1
    fi
    echo "node22: Node $(node --version 2>/dev/null || echo none) is too old; installing node@22 from the npm registry into .tools/node22 (once)" >&2
    # Install next to the target and move it into place, so an interrupted or concurrent install
    # never leaves a half-installed node where the check above would accept it.
    local staging="$dir.partial.$$"
    rm -rf "$staging"
    mkdir -p "$staging"
    if ! npm install --prefix "$staging" --no-save --no-package-lock --no-audit --no-fund --loglevel=error node@22 </dev/null >&2; then
      rm -rf "$staging"
      echo "node22: npm install node@22 failed (see above)" >&2
      return 1
    fi
    rm -rf "$dir"
    mv -T "$staging" "$dir" 2>/dev/null || rm -rf "$staging" # a concurrent install won: use its copy
    if [ "$(node_major "$candidate")" -lt 22 ]; then
      echo "node22: installed node@22 does not run: $candidate" >&2
      return 1
    fi
  fi
  echo "$candidate"
}
