#!/usr/bin/env bash
# The GitHub Action's step (action.yml): run `kubeconn check` once for the SARIF report and print the findings
# in the log, then hand the exit code to the next steps. KUBECONN_BIN overrides the command (tests, runners
# with kubeconn preinstalled); otherwise the action's own version is fetched with npx.
set -euo pipefail
: "${GITHUB_OUTPUT:?the action must run inside GitHub Actions (GITHUB_OUTPUT is not set)}"
sarif="${INPUT_SARIF_FILE:-kubeconn.sarif}"
if [ -n "${KUBECONN_BIN:-}" ]; then
  cmd=("$KUBECONN_BIN")
else
  version="${INPUT_VERSION:-}"
  [ -n "$version" ] || version="$(node -p "require(process.env.GITHUB_ACTION_PATH + '/package.json').version")"
  cmd=(npx --yes "kubeconn@$version")
fi
read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
mkdir -p "$(dirname "$sarif")"
set +e
"${cmd[@]}" check "${paths[@]}" "${extra[@]}" --format sarif --output-file "$sarif"
code=$?
[ "$code" -ge 2 ] || "${cmd[@]}" check "${paths[@]}" "${extra[@]}" --format stylish
set -e
echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
if [ "$code" -ge 2 ]; then
  echo "kubeconn could not run (exit $code)" >&2
  exit "$code"
fi
