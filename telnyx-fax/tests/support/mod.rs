//! Helpers shared by the tests that run the crate's binaries (`cli.rs`,
//! `mcp.rs`).

/// A built binary of this package: `from_cargo` (the test's
/// `option_env!("CARGO_BIN_EXE_<name>")`) where cargo sets it, else `name`
/// beside the test's own directory (`target/debug/<name>`). Cargo builds a
/// binary behind `required-features` only when the package itself has the
/// feature (`cargo test --features telnyx-fax/<feature>`, as `.ci/run`
/// does), and a workspace build does not always set the variable for it.
/// Without the binary the calling test fails with this message rather than
/// passing unrun.
pub fn built_binary(from_cargo: Option<&'static str>, name: &str, feature: &str) -> std::path::PathBuf {
    if let Some(path) = from_cargo {
        return path.into();
    }
    let exe = std::env::current_exe().expect("the test's own path");
    let beside = exe.parent().and_then(|deps| deps.parent()).map(|dir| dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX)));
    match beside {
        Some(path) if path.is_file() => path,
        _ => panic!("the {name} binary was not built: run the tests with `--features telnyx-fax/{feature}`"),
    }
}
