#!/usr/bin/env bash
# Issue 26, "correct at breadth": every document of ../shared/corpus and
# ../shared/corpus-wide is generated with NO crate config (a config may
# improve a crate, never be what makes it build), then in the crate
#
#   check    cargo check --all-features            (RUSTFLAGS-free; -D warnings via clippy's lint level below)
#   clippy   cargo clippy --all-features --all-targets -- -D warnings
#   doc      RUSTDOCFLAGS=-Dwarnings cargo doc --all-features --no-deps
#   test     cargo test --all-features              (unit, integration, doctests)
#   conform  xtask conform --spec DOC               (every operation against Prism,
#            installed here by scripts/prism.sh; CW_CONFORM=0 skips it)
#
# and prints one Markdown table: document, generate seconds and peak memory
# (MB, /usr/bin/time), each check pass/FAIL, examples %, Prism accepted %,
# decoded %, list operations paged / single page. Long (hours for all 26 on
# 2 cores), not in CI; the classes it finds get fixtures under
# codegen/tests/fixtures/constructs/, which CI compiles together.
#
#   scripts/corpus-wide.sh                       every document of both folders
#   scripts/corpus-wide.sh up-bank.json box.json only these (names in either folder)
#   CW_STEPS="check clippy" CW_CONFORM=0 scripts/corpus-wide.sh
#                                                only these checks, no conform
#
# All crates share one target dir ($CARGO_TARGET_DIR, else
# target/corpus-wide-target), run one at a time, each with the workspace's
# Cargo.lock, so dependencies build once. Crates and logs: $CW_OUT (default
# target/corpus-wide)/NAME{,.logs}.
# Every step is bounded by CW_TIMEOUT seconds (default 3600).
set -uo pipefail

repo="${CW_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$repo"
shared="$repo/../shared"
out="${CW_OUT:-$repo/target/corpus-wide}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/corpus-wide-target}"
limit="${CW_TIMEOUT:-3600}"
steps="${CW_STEPS:-check clippy doc test}"
unset RUSTFLAGS RUSTDOCFLAGS
# Each crate is built once: incremental caches would only fill the disk
# (5.3 of 7 GB after one pass over the 26 documents).
export CARGO_INCREMENTAL=0

docs=()
if [[ $# -gt 0 ]]; then
    for d in "$@"; do
        if [[ -f "$shared/corpus/$d" ]]; then docs+=("$shared/corpus/$d");
        elif [[ -f "$shared/corpus-wide/$d" ]]; then docs+=("$shared/corpus-wide/$d");
        elif [[ -f "$d" ]]; then docs+=("$d");
        else echo "no such document: $d" >&2; exit 2; fi
    done
else
    for f in "$shared"/corpus/*.{yaml,yml,json} "$shared"/corpus-wide/*.{yaml,yml,json}; do
        [[ -f "$f" ]] && docs+=("$f")
    done
fi

[[ "${CW_CONFORM:-1}" == 1 ]] && { bash scripts/prism.sh install >/dev/null || exit 2; }
source "$repo/scripts/lib/corpus-common.sh"
echo "generator: $generator_label, target dir: $CARGO_TARGET_DIR, steps: $steps"
has() { [[ " $steps " == *" $1 "* ]]; }

table="$out/table.md"
{
    echo "| document | gen s | gen MB | check | clippy | doc | test | examples % | accepted % | decoded % | paged / single |"
    echo "| --- | ---: | ---: | --- | --- | --- | --- | ---: | ---: | ---: | --- |"
} >"$table"
status=0
for spec in "${docs[@]}"; do
    doc="$(basename "$spec")"
    name="${doc%.*}"
    dir="$out/$name"
    logs="$out/$name.logs"
    rm -rf "$dir" "$logs"
    mkdir -p "$logs"
    if ! /usr/bin/time -f '%e %M' -o "$logs/gen.time" "$xtask" generate --spec "$spec" --crate "$dir" >"$logs/generate.log" 2>&1; then
        echo "| $doc | | | generate FAIL ($logs/generate.log) | | | | | | | |" >>"$table"
        tail -n 1 "$table"; status=1; continue
    fi
    read -r gs gk <"$logs/gen.time"
    gm=$((gk / 1024))
    cp "$repo/Cargo.lock" "$dir/Cargo.lock"
    paged=$(sed -n 's/^  paging: //p' "$logs/generate.log" | head -n 1)
    nsingle=$(sed -n '/^  single page: /p' "$logs/generate.log" | wc -l)
    c=-; k=-; d=-; t=-; ex=; ac=; de=
    has check && c=$(cd "$dir" && step "$logs/check.log" cargo check --all-features)
    # clippy with -D warnings also denies rustc's warnings (dead code, names).
    has clippy && k=$(cd "$dir" && step "$logs/clippy.log" cargo clippy --all-features --all-targets -- -D warnings)
    has doc && d=$(cd "$dir" && RUSTDOCFLAGS=-Dwarnings step "$logs/doc.log" cargo doc --all-features --no-deps)
    has test && t=$(cd "$dir" && step "$logs/test.log" cargo test --all-features)
    if [[ "${CW_CONFORM:-1}" == 1 ]]; then
        (cd "$repo" && step "$logs/conform.log" "$xtask" conform --spec "$spec" --json "$logs/conform.json") >/dev/null
        # Examples ok of judged, accepted of served, decoded of answered (as
        # report.rs computes them), and how many Prism could not serve.
        IFS=$'\t' read -r ex ac de <<<"$(python3 - "$logs/conform.json" <<'PY' 2>/dev/null
import json, sys
pct = lambda a, b: f"{100.0 * a / b:.1f}" if b else "100.0"
r = json.load(open(sys.argv[1]))[0]
e, o = r["examples"], r["operations"]
unref, bare = e.get("unreferenced", 0), e.get("no_schema", 0)
note = ", ".join(x for x in [f"{unref} unreferenced" if unref else "", f"{bare} without schema" if bare else ""] if x)
print(pct(e["ok"], e["total"] - e["spec_defect"] - unref - bare) + (f" ({note} not judged)" if note else ""),
      (pct(o["accepted"], o["called"] - o["prism_unservable"] - o["transport"] - o["not_built"]) + f" ({o['prism_unservable']} Prism could not serve)") if o["called"] else "- (no call: " + r["prism"][:60] + ")",
      pct(o["decoded"], o["accepted"] - o["no_success"] - o["response_spec_defect"]), sep="\t")
PY
)"
    fi
    for r in "$c" "$k" "$d" "$t"; do [[ "$r" == pass || "$r" == - ]] || status=1; done
    echo "| $doc | $gs | $gm | $c | $k | $d | $t | $ex | $ac | $de | ${paged:-0} paged / $nsingle single |" >>"$table"
    tail -n 1 "$table"
done
echo
cat "$table"
echo "logs: $out/NAME.logs/, crates: $out/NAME"
exit $status
