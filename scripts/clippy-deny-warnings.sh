#!/bin/sh
# RUSTC_WORKSPACE_WRAPPER for CI (.ci/run): compiles each workspace member
# through clippy-driver (what `cargo clippy` does, but in the test build
# instead of a second check-mode build) with every warning, rustc's or
# clippy's, an error.
#
# Why not `RUSTFLAGS=-D warnings`: RUSTFLAGS apply to every crate and are part
# of each dependency's build hash, and the generated crates the tests build
# (codegen/tests/common, xtask conform) run without them (conform counts
# warnings). With equal flags they reuse the dependencies the workspace's
# build compiled (codegen::package::SharedDeps); a wrapper reaches only the
# members, so the dependencies stay the same units.
exec "${CLIPPY_DRIVER:?set CLIPPY_DRIVER to clippy-driver}" "$@" -D warnings
