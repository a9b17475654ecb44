#!/usr/bin/env bash
# "The generated crate is a real crate" (issue 11) on every document of
# ../shared/corpus: `cargo xtask generate --spec FILE --crate DIR` writes the
# crate into target/corpus-crates/NAME, then in that directory
#
#   test     cargo test                       (unit, integration and doctests)
#   doc      RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps
#   clippy   cargo clippy --all-targets -- -D warnings
#   package  cargo package --allow-dirty --no-verify   (verified with CORPUS_VERIFY=1)
#   telnyx   no "telnyx" anywhere in the crate (grep -ri)
#
# and prints a Markdown table: document, operations, auth kinds, pagination
# kinds found, list operations left single-page, each check pass/FAIL and the
# seconds per document. Logs of every step: target/corpus-crates/NAME.logs/.
# A crate config for a document (what it cannot say, such as Discord's
# `?after=<last id>` paging) is read from scripts/corpus/NAME.toml when there.
# The table is also written to target/corpus-crates/table.md.
#
#   scripts/corpus-crates.sh                       every corpus document
#   scripts/corpus-crates.sh petstore-expanded.yaml spotify.yml
#                                                  only these (names in ../shared/corpus)
#
# All crates share one target dir ($CARGO_TARGET_DIR, else
# target/corpus-target) so dependencies build once; each crate gets the
# workspace's Cargo.lock so they are the versions already built. The small
# documents (petstore, train-travel, spotify) also run in CI from
# codegen/tests/identity.rs; discord, twilio and box take several minutes
# each on 2 cores and run here only. Every step is bounded by
# CORPUS_TIMEOUT seconds (default 2400). Exit status 1 when any check fails.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
corpus="$repo/../shared/corpus"
out="$repo/target/corpus-crates"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/corpus-target}"
limit="${CORPUS_TIMEOUT:-2400}"
unset RUSTFLAGS

if [[ ! -d "$corpus" ]]; then
    echo "../shared/corpus not found beside the checkout ($corpus)" >&2
    exit 2
fi
docs=("$@")
if [[ ${#docs[@]} -eq 0 ]]; then
    docs=(petstore-expanded.yaml train-travel.yaml spotify.yml discord.json twilio_api_v2010.json box.json)
fi

source "$repo/scripts/lib/corpus-common.sh"
echo "generator: $generator_label, target dir: $CARGO_TARGET_DIR"

table="$out/table.md"
{
    echo "| document | ops | auth | pagination | single-page | test | doc | clippy | package | no telnyx | seconds |"
    echo "| --- | ---: | --- | --- | --- | --- | --- | --- | --- | --- | ---: |"
} >"$table"
status=0
for doc in "${docs[@]}"; do
    spec="$corpus/$doc"
    name="${doc%.*}"
    dir="$out/$name"
    logs="$out/$name.logs"
    rm -rf "$dir" "$logs"
    mkdir -p "$logs"
    start=$SECONDS
    config=()
    [[ -f "$repo/scripts/corpus/$name.toml" ]] && config=(--config "$repo/scripts/corpus/$name.toml")
    if ! "$xtask" generate --spec "$spec" "${config[@]}" --crate "$dir" >"$logs/generate.log" 2>&1; then
        echo "| $doc | | | | | generate FAIL (see $logs/generate.log) | | | | | $((SECONDS - start)) |" >>"$table"
        status=1
        continue
    fi
    cp "$repo/Cargo.lock" "$dir/Cargo.lock"
    ops=$(sed -n 's/.*: \([0-9]*\) operations,.*/\1/p' "$logs/generate.log")
    auth=$(sed -n 's/^  auth: //p' "$logs/generate.log")
    paging=$(sed -n 's/^  paging: //p' "$logs/generate.log")
    single=$(sed -n 's/^  single page: \([^:]*\):.*/\1/p' "$logs/generate.log" | paste -sd' ' -)
    nsingle=$(sed -n '/^  single page: /p' "$logs/generate.log" | wc -l)
    (( nsingle > 0 )) && single="$nsingle: $single" || single=0

    t=$(cd "$dir" && step "$logs/test.log" cargo test)
    d=$(cd "$dir" && RUSTDOCFLAGS=-Dwarnings step "$logs/doc.log" cargo doc --no-deps)
    c=$(cd "$dir" && step "$logs/clippy.log" cargo clippy --all-targets -- -D warnings)
    if [[ "${CORPUS_VERIFY:-0}" == 1 ]]; then
        p=$(cd "$dir" && step "$logs/package.log" cargo package --allow-dirty)
    else
        p=$(cd "$dir" && step "$logs/package.log" cargo package --allow-dirty --no-verify)
    fi
    if grep -rli telnyx "$dir" >"$logs/telnyx.log" 2>&1; then n="FAIL ($(wc -l <"$logs/telnyx.log") files)"; else n=pass; fi
    for r in "$t" "$d" "$c" "$p" "$n"; do [[ "$r" == pass ]] || status=1; done
    echo "| $doc | $ops | $auth | $paging | $single | $t | $d | $c | $p | $n | $((SECONDS - start)) |" >>"$table"
    tail -n 1 "$table"
done
echo
cat "$table"
echo "logs: $out/NAME.logs/, crates: $out/NAME"
exit $status
