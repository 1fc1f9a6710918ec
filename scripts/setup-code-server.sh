#!/usr/bin/env bash
# Installs the pinned code-server (VS Code 1.100.3 server + web workbench, Node 20) into vscode-runtime/
# so that test/vscode/runInCodeServer.ts can run the extension's tests inside a real VS Code.
#
# Idempotent: a second run that finds the same lockfile already installed exits at once.
# Works offline except for the npm registry and Debian apt. The workarounds it applies
# (see shared notes "vscode-runtime.md"):
#   1. npm_config_nodedir      node-gyp must use the local Node headers (/usr/include/node), it cannot
#                              download them (npm 11 no longer forwards the user npmrc's `nodedir`).
#   2. npm_config_unsafe_perm  code-server's postinstall refuses to run as root without it.
#   3. npm_config_yes          node-pty's postinstall runs `npx node-gyp`, the machine npmrc has yes=false.
#   4. libkrb5-dev             the kerberos module needs gssapi/gssapi.h.
#   5. @vscode/ripgrep         its postinstall downloads rg from GitHub; we pre-seed its download cache
#                              with Debian's rg.
# It also apt-installs chromium (used headless by the runner), libkrb5-dev and ripgrep when run as
# root and they are missing.
#
# Env: CHROMIUM_PATH (default /usr/bin/chromium), SKIP_APT=1 (never call apt-get), FORCE=1 (reinstall).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rt="$here/../vscode-runtime"
cd "$rt"
rt="$(pwd)"

log() { printf '[setup-code-server] %s\n' "$*" >&2; }

code_server_version="$(node -p 'require("./package.json").dependencies["code-server"]')"
stamp="node_modules/.kubeconn-setup-ok"
want_stamp="code-server@${code_server_version} $(node -p 'require("crypto").createHash("sha256").update(require("fs").readFileSync("package-lock.json")).digest("hex")' 2>/dev/null || echo no-lock) node-$(node -p process.versions.modules)"

# ---------------------------------------------------------------- system packages (apt)
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium_path" ] || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && [ "${SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    log "apt-get install ${missing[*]}"
    # `apt-get update` only when there are no package lists yet or the install fails with the old ones.
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
      apt-get update -qq
    fi
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
      log "apt-get install failed; running apt-get update and retrying"
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
  else
    log "missing system packages: ${missing[*]} — run as root: apt-get update && apt-get install -y ${missing[*]}"
    # chromium is only needed to run the tests, not to install code-server
    for m in "${missing[@]}"; do [ "$m" = chromium ] || exit 1; done
  fi
fi

# ---------------------------------------------------------------- already installed?
if [ "${FORCE:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ] \
   && [ -f node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node ]; then
  exit 0
fi

# ---------------------------------------------------------------- npm environment
# `npm run <script>` in the repo root exports every non-default config as npm_config_*; env beats
# vscode-runtime/.npmrc, so the root's ignore-scripts=true etc. would leak into this install.
unset npm_config_ignore_scripts npm_config_legacy_peer_deps npm_config_local_prefix npm_config_prefix \
      npm_config_global npm_config_production npm_config_omit npm_config_include npm_config_dry_run \
      npm_config_workspace npm_config_workspaces npm_config_install_links
export npm_config_ignore_scripts=false
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"   # 1.
[ -e "$npm_config_nodedir/include/node/node.h" ] || log "warning: no Node headers under $npm_config_nodedir/include/node"
export npm_config_unsafe_perm=true                                                               # 2.
export npm_config_yes=true                                                                       # 3.
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# 5. @vscode/ripgrep <ver> caches downloads in <os.tmpdir()>/vscode-ripgrep-cache-<ver>/<asset>.
#    code-server 4.100.3's shrinkwrap pins @vscode/ripgrep 1.15.11, which fetches ripgrep v13.0.0-10.
rg_pkg_version=1.15.11
rg_release=v13.0.0-10
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64|arm64) rg_target=aarch64-unknown-linux-musl ;;
  *) log "unsupported arch $(uname -m) for the ripgrep seed"; rg_target="" ;;
esac
if [ -n "$rg_target" ]; then
  rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-${rg_pkg_version}"
  rg_asset="$rg_cache/ripgrep-${rg_release}-${rg_target}.tar.gz"
  if [ ! -s "$rg_asset" ]; then
    mkdir -p "$rg_cache"
    rg_bin="$(readlink -f "$(command -v rg)")"
    tar czf "$rg_asset" -C "$(dirname "$rg_bin")" "$(basename "$rg_bin")"
    # the archive must contain a file called `rg`
    if [ "$(basename "$rg_bin")" != rg ]; then
      tmpd="$(mktemp -d)"; cp "$rg_bin" "$tmpd/rg"; tar czf "$rg_asset" -C "$tmpd" rg; rm -rf "$tmpd"
    fi
  fi
fi

# ---------------------------------------------------------------- install
start=$(date +%s)
rm -f "$stamp"
if [ -f package-lock.json ]; then
  log "npm ci (code-server@${code_server_version}) in $rt"
  npm ci --no-audit --no-fund
else
  log "npm install (code-server@${code_server_version}) in $rt — commit the new package-lock.json"
  npm install --no-audit --no-fund
fi
[ -f node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node ] \
  || { log "install finished but node-pty was not built"; exit 1; }
[ -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ] \
  || { log "install finished but @vscode/ripgrep/bin/rg is missing"; exit 1; }
# recompute: `npm install` may just have written the lockfile
want_stamp="code-server@${code_server_version} $(node -p 'require("crypto").createHash("sha256").update(require("fs").readFileSync("package-lock.json")).digest("hex")') node-$(node -p process.versions.modules)"
printf '%s' "$want_stamp" > "$stamp"
log "code-server $(node -p 'require("./node_modules/code-server/package.json").version') (VS Code $(node -p 'require("./node_modules/code-server/lib/vscode/product.json").version')) ready in $(( $(date +%s) - start )) s"
