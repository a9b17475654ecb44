//! The text writer (`codegen/src/emit/text.rs`) against its oracle: the
//! models and tables it writes as text must be byte for byte what building
//! their tokens, parsing them with `syn` and printing them with
//! `prettyplease` gives (`EmitConfig::text_writer = false`). Run on every fixture
//! document and the fax spec, each without and with per-resource features
//! (the `#[cfg]` gates) and with the types split into files.

mod common;

use codegen::emit::features::FeatureMode;
use codegen::EmitConfig;
use std::path::PathBuf;

fn documents() -> Vec<PathBuf> {
    let root = common::root();
    let fixtures = root.join("codegen/tests/fixtures");
    let mut docs = vec![root.join("spec/telnyx-fax.yml")];
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        docs.extend(common::fixtures(dir.file_name().unwrap().to_str().unwrap()));
    }
    docs
}

#[test]
fn text_writer_prints_what_the_token_path_prints() {
    let mut compared = 0;
    for path in documents() {
        let crate_config = codegen::config::CrateConfig::beside_spec(&path).unwrap_or_default();
        for (features, split) in [(FeatureMode::Off, 200), (FeatureMode::On, 0)] {
            let cfg = EmitConfig {
                spec_label: path.file_name().unwrap().to_string_lossy().into_owned(),
                crate_config: crate_config.clone(),
                features,
                split_types_above: split,
                ..EmitConfig::default()
            };
            let text = codegen::generate_file(&path, &cfg);
            let tokens = codegen::generate_file(&path, &EmitConfig { text_writer: false, ..cfg.clone() });
            match (text, tokens) {
                (Ok(text), Ok(tokens)) => {
                    for (file, expected) in &tokens.files {
                        let got = text.files.get(file).unwrap_or_else(|| panic!("{}: {file} missing", path.display()));
                        if got != expected {
                            let line = got.lines().zip(expected.lines()).position(|(a, b)| a != b).unwrap_or(0);
                            let show = |s: &str| s.lines().skip(line.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n");
                            panic!(
                                "{} ({features:?}): {file} differs at line {}\n--- text writer:\n{}\n--- token path:\n{}",
                                path.display(),
                                line + 1,
                                show(got),
                                show(expected)
                            );
                        }
                    }
                    assert_eq!(text.files.len(), tokens.files.len(), "{}", path.display());
                    assert_eq!(text.skill, tokens.skill, "{}", path.display());
                    compared += 1;
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", path.display()),
                (a, b) => panic!("{}: one path failed: {:?} / {:?}", path.display(), a.err(), b.err()),
            }
        }
    }
    assert!(compared > 50, "only {compared} documents generated");
}
