#!/usr/bin/env bash
# Prism (@stoplight/prism-cli, from npm), the mock server the conformance
# test `telnyx-fax/tests/client/prism.rs` runs against spec/telnyx-fax.yml.
#
#   scripts/prism.sh install   install it (once per machine, into ~/.cache) and link it
#                              as <repo>/.ci/node (skipped when present)
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

# npm packages are installed once per machine into a cache (as cargo keeps
# its registry in ~/.cargo), and <repo>/.ci/node links to it: a fresh clone
# (CI) then spends no minutes in npm. PRISM_CACHE overrides the place.
cache="${PRISM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/telnyx-rust-sdk/prism-cli-5}"

install() {
    if [[ -x "$bin" ]]; then
        echo "prism already installed: $bin"
        return 0
    fi
    if [[ ! -x "$cache/node_modules/.bin/prism" ]]; then
        if ! command -v npm >/dev/null 2>&1; then
            echo "error: npm not found; install Node.js (>= 18) and npm first" >&2
            exit 1
        fi
        # No writable cache (read-only home): install into the clone itself.
        if ! mkdir -p "$cache" 2>/dev/null || [[ ! -w "$cache" ]]; then
            cache="$prefix"
            mkdir -p "$cache"
        fi
        npm install --prefix "$cache" --no-audit --no-fund @stoplight/prism-cli@5
    fi
    if [[ "$cache" != "$prefix" ]]; then
        mkdir -p "$(dirname "$prefix")"
        rm -rf "$prefix"
        ln -s "$cache" "$prefix"
    fi
    "$bin" --version >/dev/null
    echo "prism installed: $bin -> $cache ($("$bin" --version))"
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
