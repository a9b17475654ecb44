#!/usr/bin/env bash
# Lines of the newcomer flow in Rust (telnyx-fax/examples/quickstart.rs: its
# `use` lines and `fn flow`) against the same flow with the official Python
# SDK (scripts/newcomer-flow.py: imports, constant, `def flow` and the entry
# point). Counted: non-blank lines that are not only a comment; docstrings
# and doc comments left out. Usage: scripts/flow-lines.sh [RUST_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
rust=${1:-telnyx-fax/examples/quickstart.rs}
py=scripts/newcomer-flow.py

# Rust: the `use` lines, the FAX_ID constant and `async fn flow` up to its closing `}`.
r=$(awk '
  /^use / || /^const FAX_ID/ { print; next }
  /^async fn flow/ { inside = 1 }
  inside { print; if ($0 == "}") inside = 0 }
' "$rust" | grep -v '^\s*$' | grep -v '^\s*//' | wc -l)
# Python: everything but the module docstring, blank lines and comments.
p=$(awk '
  NR == 1 && /^"""/ { doc = 1 }
  doc { if (NR > 1 && /"""/) doc = 0; next }
  { print }
' "$py" | grep -v '^\s*$' | grep -v '^\s*#' | wc -l)
echo "rust $r python $p ratio $(awk -v r="$r" -v p="$p" 'BEGIN { printf "%.2f", r / p }')"
