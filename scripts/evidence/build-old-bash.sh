#!/usr/bin/env bash
# Builds upstream bash 4.4, 5.0 and 5.1 (release tags, no distro patches) for test/evidence/shells-pid1.test.ts:
# the bash of RHEL/UBI 8 (4.4) and the last release before the `bash -c` fork optimisation (5.0), plus 5.1 where it
# arrived. Debian 12 ships only 5.2 and has no older source package, so the source must come from a git clone of
# bash that has the release tags (e.g. the GNU Savannah repository or a mirror of it):
#   bash scripts/evidence/build-old-bash.sh /path/to/bash.git [OUT]
# OUT defaults to $KUBECONN_OLD_BASH_DIR or /tmp/evidence-deps/old-bash; it gets bash-<v>/bin/bash. Needs gcc, make.
set -euo pipefail
src=${1:?usage: build-old-bash.sh <bash git dir> [out dir]}
out=${2:-${KUBECONN_OLD_BASH_DIR:-/tmp/evidence-deps/old-bash}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for v in 4.4 5.0 5.1; do
  echo "bash $v: $(git -C "$src" rev-parse "bash-$v^{commit}")"
  mkdir -p "$work/$v"
  git -C "$src" archive "bash-$v" | tar -x -C "$work/$v"
  (
    cd "$work/$v"
    # Old sources predate GCC 12's defaults; -std=gnu89 -w builds them unchanged.
    ./configure --prefix="$out/bash-$v" --without-bash-malloc --disable-nls CFLAGS='-O1 -w -std=gnu89' >configure.log 2>&1
    make -j"$(nproc)" >make.log 2>&1 || { tail -30 make.log >&2; exit 1; }
    make install >install.log 2>&1
  )
  "$out/bash-$v/bin/bash" --version | head -1
done
