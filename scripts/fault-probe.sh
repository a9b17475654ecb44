#!/usr/bin/env bash
# The client under faults and hostile responses (issue 20), measured with
# telnyx-fax/examples/fault_probe.rs against plain TCP servers on 127.0.0.1:
# POSTs received per `faxes().create` under each fault kind, what another
# origin receives after a cross-origin 307, and the peak memory (max RSS,
# /usr/bin/time -v) of reading a 100 MB error body and a 1 GB success body.
# Long-running and memory-hungry on old code (about 2 GB): not a CI test.
#
#   bash scripts/fault-probe.sh               # this checkout
#   bash scripts/fault-probe.sh --before REV  # REV's runtime (a git worktree under
#                                             # target/, sharing this target dir) with
#                                             # the same probe file, e.g. caafa1a
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

dir=$root
if [ "${1:-}" = "--before" ]; then
    rev=${2:?usage: fault-probe.sh --before REV}
    dir=$root/target/fault-probe-$rev
    [ -d "$dir" ] || git worktree add --detach "$dir" "$rev" >/dev/null
    cp telnyx-fax/examples/fault_probe.rs "$dir/telnyx-fax/examples/"
fi
# The debug profile: dependencies are already built, and memory does not
# depend on it.
(cd "$dir" && CARGO_TARGET_DIR=$root/target cargo build -q -p telnyx-fax --example fault_probe)
probe=$root/target/debug/examples/fault_probe

echo "## POSTs received per create (timeout 300 ms, 2 retries)"
"$probe" faults
echo
echo "## Cross-origin 307"
"$probe" redirect
echo
for mode in "error-body 100" "success-body 1000" "success-body-chunked 1000"; do
    echo "## $mode MB"
    # shellcheck disable=SC2086
    /usr/bin/time -v "$probe" $mode 2>&1 | grep -E '^(ok|error)|Maximum resident|Elapsed \(wall'
done
