# Shared by scripts/corpus-crates.sh and scripts/corpus-wide.sh (sourced,
# not run): the generator they both use and the bounded step runner.
# Expects $repo (the checkout), $out (the output folder) and $limit (seconds
# per step); sets $xtask and $generator_label.

# The generator is built once, in the workspace's own target dir, and copied
# so that a rebuild during the run cannot change the generator midway.
CARGO_TARGET_DIR="$repo/target" cargo build --quiet -p xtask || exit 2
mkdir -p "$out"
xtask="$out/xtask"
cp "$repo/target/debug/xtask" "$xtask"
# What generated the crates: the commit, and whether the generator or the
# runtime it copies into them had uncommitted changes.
generator_label="$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- codegen xtask telnyx-fax/src || echo ' + uncommitted changes')"

# step LOG CMD...: runs CMD bounded by $limit with its output in LOG, prints
# pass/FAIL/TIMEOUT.
step() {
    local log="$1"; shift
    timeout "$limit" "$@" >"$log" 2>&1
    case $? in
        0) echo pass ;;
        124) echo TIMEOUT ;;
        *) echo FAIL ;;
    esac
}
