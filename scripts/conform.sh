#!/usr/bin/env bash
# The conformance run on every document: the project's own spec, Telnyx's
# documents and the public corpus (../shared), all operations against Prism.
# Writes the table to target/conform/table.md and the full report (every
# failure with its JSON pointer) to target/conform/report.json.
#
#   scripts/conform.sh                 every document, every operation
#   scripts/conform.sh --prism-sample 40
#                                      at most 40 operations per document
#   scripts/conform.sh FILE...         only these documents
#   scripts/conform.sh --chunk-types 200
#                                      smaller harness examples (less memory
#                                      per rustc, more processes)
#
# Takes long: the whole Telnyx API and the big corpus documents build large
# crates (see the seconds column); the harness is split into examples of a
# bounded size, so no rustc process holds a whole big API (the whole Telnyx
# API: 19 examples under 0.8 GB each; the generated library itself ~3.0 GB).
# Each crate stays in $CARGO_TARGET_DIR/conform-crates/, so a second run
# rebuilds only what changed. Dependencies are compiled once into
# $CARGO_TARGET_DIR, else target/conform-target.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
shared="$repo/../shared"
bash scripts/prism.sh install >/dev/null

extra=()
docs=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --prism-sample|--chunk-types) extra+=("$1" "$2"); shift 2 ;;
        *) docs+=("$1"); shift ;;
    esac
done
if [[ ${#docs[@]} -eq 0 ]]; then
    docs=(spec/telnyx-fax.yml)
    for f in "$shared"/upstream/telnyx/*.yml "$shared"/corpus/*.yaml "$shared"/corpus/*.yml "$shared"/corpus/*.json; do
        [[ -f "$f" ]] && docs+=("$f")
    done
fi

out="$repo/target/conform"
mkdir -p "$out"
args=()
for d in "${docs[@]}"; do args+=(--spec "$d"); done
cargo xtask conform "${args[@]}" "${extra[@]}" --json "$out/report.json" | tee "$out/table.md"
echo "table: $out/table.md, report: $out/report.json"
