#!/usr/bin/env bash
# Shape of the crate each corpus document and the whole Telnyx API would
# give, read from the IR (no crate is generated or built): operations, root
# resources, cargo features, list operations paged (by kind) and single page
# (by reason). Seconds, not minutes.
#   scripts/paging-report.sh [DOC...]    (default: the corpus and the whole Telnyx API)
set -u
repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="$repo/../shared"
if [ $# -eq 0 ]; then
    set -- "$shared"/corpus/*.{json,yaml,yml} "$shared"/corpus-wide/*.{json,yaml,yml} "$shared"/upstream/telnyx/full-2026-07-16.yml
fi
docs=()
for d in "$@"; do [ -f "$d" ] && docs+=("$d"); done
cd "$repo" && cargo build --quiet -p xtask && "$repo/target/debug/xtask" shape "${docs[@]}"
