#!/usr/bin/env bash
# Installs the Go programs the release and review tooling runs (actionlint,
# oasdiff) into .cache/bin, from the Go module proxy, at pinned versions.
# Nothing else may download binaries on these machines, so `go install` it is.
# Re-running is cheap: a tool whose pinned version is already there is kept.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Pinned versions (bump here and nowhere else).
tools=(
  "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
  "github.com/oasdiff/oasdiff@v1.37.0"
)

bin="$PWD/.cache/bin"
mkdir -p "$bin"

# The Go toolchain's usual home, for shells whose PATH lacks it.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-go-tools: go is not installed; actionlint and oasdiff checks will be skipped" >&2
  exit 0
fi

for tool in "${tools[@]}"; do
  module="${tool%@*}"
  version="${tool##*@}"
  name="${module##*/}"
  stamp="$bin/.$name.version"
  if [ -x "$bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    continue
  fi
  echo "install-go-tools: go install $tool"
  GOBIN="$bin" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "$tool"
  echo "$version" > "$stamp"
done
