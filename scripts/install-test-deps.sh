#!/usr/bin/env bash
# System packages the tests run for real: the PID 1 experiments need tini, dumb-init, busybox, gosu and
# util-linux's unshare; the runtime evidence (test/evidence) needs nginx and C-core gRPC (python3-grpcio)
# (Debian packages), and YAML that kubectl reads and the spec does not is checked against libyaml (python3-yaml);
# the language-server test drives kubeconn from Neovim's built-in LSP client (neovim).
# Installs only what is missing, and only as root; otherwise says what
# to install and fails, so a missing tool is never a silently skipped test.
set -euo pipefail
missing=()
for pkg in tini dumb-init busybox gosu nginx; do
  command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
/usr/bin/python3 -c 'import grpc' >/dev/null 2>&1 || missing+=(python3-grpcio)
/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "kubeconn tests need these Debian packages: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }
