#!/usr/bin/env bash
# Installs the VS Code host runtime that the in-host tests (test/host) and the UI tests
# (test/e2e) run in, and that `npm start` serves: code-server (the real VS Code workbench and
# its Node extension host) and the Node 24 it needs. It is a test tool, not a dependency of the
# extension, so it has its own package.json and package-lock.json (scripts/host/runtime/) and
# goes into .vscode-test/runtime/ (git-ignored), as @vscode/test-electron keeps VS Code in
# .vscode-test/. The extension's own `npm ci` stays small.
#
# Three npm steps, because code-server's postinstall refuses any Node but 24 and reads the
# version from the Node that runs npm (the machine has Node 20):
#   1. npm ci --ignore-scripts          every package, no lifecycle scripts yet
#   2. npm rebuild node                 node@24's preinstall fetches the node binary package
#   3. npm rebuild code-server argon2   code-server's postinstall (npm install in lib/vscode,
#                                       native modules) with Node 24 first on PATH
# Writes .vscode-test/runtime/.installed at the end (the lockfile's hash); a second run with the
# same lockfile does nothing. `--force` reinstalls. Needs the npm registry and, when chromium or
# libkrb5-dev are missing, Debian's apt (as root).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SRC="$ROOT/scripts/host/runtime"
DEST="$ROOT/.vscode-test/runtime"
STAMP="$DEST/.installed"
step() { echo "== $(date +%T) host runtime: $*"; }

lock_hash="$(sha256sum "$SRC/package-lock.json" | cut -d' ' -f1)"
if [ "${1:-}" != "--force" ] && [ -f "$STAMP" ] && grep -q "$lock_hash" "$STAMP"; then
  echo "host runtime up to date in ${DEST#"$ROOT"/}"
  exit 0
fi
t0=$SECONDS

# Debian packages: chromium (a browser tab is what makes code-server start an extension host)
# and libkrb5-dev (code-server's kerberos addon compiles against it).
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    step "apt-get install chromium libkrb5-dev"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium libkrb5-dev
  else
    echo "host runtime: chromium and libkrb5-dev are needed (apt-get install chromium libkrb5-dev, as root)" >&2
    exit 1
  fi
fi

rm -f "$STAMP"
mkdir -p "$DEST"
cp "$SRC/package.json" "$SRC/package-lock.json" "$DEST/"
cd "$DEST"
step "npm ci --ignore-scripts"
npm ci --no-audit --no-fund --ignore-scripts
step "npm rebuild node"
npm rebuild node
NODE24="$DEST/node_modules/node/bin/node"
node24_version="$("$NODE24" --version)"
step "npm rebuild code-server argon2 (Node $node24_version)"
PATH="$DEST/node_modules/.bin:$PATH" npm rebuild code-server argon2
# --config: a throwaway file, or code-server writes ~/.config/code-server/config.yaml
probe="$(mktemp -d)"
cs_version="$("$NODE24" "$DEST/node_modules/code-server/out/node/entry.js" --config "$probe/config.yaml" --version | grep -v ' info ' | head -1)"
rm -rf "$probe"

printf 'lock %s\nnode %s\ncode-server %s\nseconds %s\n' "$lock_hash" "$node24_version" "$cs_version" "$((SECONDS - t0))" > "$STAMP"
step "installed in $((SECONDS - t0)) s (node $node24_version, code-server $cs_version)"
