#!/usr/bin/env bash
# Prism (@stoplight/prism-cli, from npm), the mock server the conformance
# test `telnyx-fax/tests/prism.rs` runs against spec/telnyx-fax.yml.
#
#   scripts/prism.sh install   install it into <repo>/.ci/node (skipped when present)
#   scripts/prism.sh bin       print the path of the prism binary
#   scripts/prism.sh mock [PORT]
#                              serve the spec on 127.0.0.1:PORT (default 4010),
#                              in the foreground, e.g. to run the examples:
#                              TELNYX_BASE_URL=http://127.0.0.1:4010 TELNYX_API_KEY=test \
#                                cargo run -p telnyx-fax --example list_faxes
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$repo/.ci/node"
bin="$prefix/node_modules/.bin/prism"

install() {
    if [[ -x "$bin" ]]; then
        echo "prism already installed: $bin"
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "error: npm not found; install Node.js (>= 18) and npm first" >&2
        exit 1
    fi
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund @stoplight/prism-cli@5
    "$bin" --version >/dev/null
    echo "prism installed: $bin ($("$bin" --version))"
}

case "${1:-}" in
    install)
        install
        ;;
    bin)
        echo "$bin"
        ;;
    mock)
        install >/dev/null
        exec "$bin" mock "$repo/spec/telnyx-fax.yml" -h 127.0.0.1 -p "${2:-4010}"
        ;;
    *)
        echo "usage: $0 install | bin | mock [PORT]" >&2
        exit 2
        ;;
esac
