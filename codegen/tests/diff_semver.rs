//! The semver bump that follows a report: Cargo's convention below 1.0.0.

use codegen::diff::{Bump, Level, Version};

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

#[test]
fn parse_and_display() {
    assert_eq!(v("1.2.3").to_string(), "1.2.3");
    assert_eq!(v("0.1.0-rc.1").to_string(), "0.1.0");
    assert_eq!(v(" 2.0.0+build.5 ").to_string(), "2.0.0");
    for bad in ["", "1", "1.2", "1.2.x", "1.2.3.4", "v1.2.3"] {
        assert_eq!(Version::parse(bad), None, "{bad}");
    }
}

#[test]
fn bumps_at_and_above_one() {
    let cur = v("1.4.2");
    assert_eq!(Bump::for_level(Level::Breaking, cur), Bump::Major);
    assert_eq!(Bump::for_level(Level::Compatible, cur), Bump::Minor);
    assert_eq!(Bump::for_level(Level::Docs, cur), Bump::Patch);
    assert_eq!(Bump::for_level(Level::None, cur), Bump::Patch);
    assert_eq!(cur.bumped(Bump::Major), v("2.0.0"));
    assert_eq!(cur.bumped(Bump::Minor), v("1.5.0"));
    assert_eq!(cur.bumped(Bump::Patch), v("1.4.3"));
}

#[test]
fn cargo_convention_below_one() {
    let cur = v("0.3.1");
    assert_eq!(Bump::for_level(Level::Breaking, cur), Bump::Minor);
    assert_eq!(Bump::for_level(Level::Compatible, cur), Bump::Patch);
    assert_eq!(cur.bumped(Bump::Minor), v("0.4.0"));
    // 0.0.z: every release is breaking, so the patch is the breaking part.
    assert_eq!(Bump::for_level(Level::Breaking, v("0.0.7")), Bump::Patch);
}
