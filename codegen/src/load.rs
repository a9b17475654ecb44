//! Stage 1: text -> `serde_json::Value` -> (3.1 normalised) -> `openapiv3::OpenAPI`.
//!
//! YAML goes through `yaml_serde` (the maintained successor of `serde_yaml`);
//! JSON is YAML too, so one parser reads both, but a `.json` file uses
//! `serde_json` directly for its better error positions and speed.
//! `openapiv3` models OpenAPI 3.0 only; [`crate::normalize`] rewrites 3.1
//! constructs first. Deserialisation runs through `serde_path_to_error` so a
//! type error names the JSON pointer where it happened.

use crate::diagnostics::{Diagnostics, Error};
use crate::normalize;
use serde_json::Value;
use std::path::Path;

/// A parsed document, ready to lower.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The typed 3.0 model.
    pub openapi: openapiv3::OpenAPI,
    /// The normalised document as JSON, for lookups `openapiv3` does not model
    /// (the 3.1 `webhooks` map lives here, under `/webhooks`).
    pub raw: Value,
    /// The version the document declared (`3.0.0`, `3.1.0`, ...).
    pub declared_version: String,
    /// Findings of the load and normalise stages.
    pub diagnostics: Diagnostics,
}

/// Reads and parses a spec file (YAML or JSON).
pub fn load_file(path: &Path) -> Result<LoadedSpec, Error> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::msg(format!("cannot read spec: {e}")).in_file(&display))?;
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    load_str(&text, is_json).map_err(|e| e.in_file(display))
}

/// Reads and parses a spec file into a `Value` without normalising it, for
/// transforms on the document as published ([`crate::overlay`],
/// [`crate::subset`]); errors name the file. Continue with [`from_value`].
pub fn read_value(path: &Path) -> Result<Value, Error> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::msg(format!("cannot read spec: {e}")).in_file(&display))?;
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    parse_value(&text, is_json).map_err(|e| e.in_file(display))
}

/// Parses spec text; `is_json` selects the JSON parser.
pub fn load_str(text: &str, is_json: bool) -> Result<LoadedSpec, Error> {
    let value = parse_value(text, is_json)?;
    from_value(value)
}

/// Parses YAML or JSON into a `Value`, with line and column on failure.
pub fn parse_value(text: &str, is_json: bool) -> Result<Value, Error> {
    if is_json {
        serde_json::from_str(text).map_err(|e| Error {
            file: None,
            pointer: None,
            line: Some((e.line(), e.column())),
            message: format!("invalid JSON: {e}"),
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let line = e.location().map(|l| (l.line(), l.column()));
            Error { file: None, pointer: None, line, message: format!("invalid YAML: {e}") }
        })
    }
}

/// Normalises a parsed document and reads it into the `openapiv3` model.
pub fn from_value(mut value: Value) -> Result<LoadedSpec, Error> {
    let mut diagnostics = Diagnostics::default();
    let declared_version = normalize::check_version(&value)?;
    normalize::normalize(&mut value, &declared_version, &mut diagnostics)?;
    let openapi = deserialize_at_pointer::<openapiv3::OpenAPI>(&value, "")?;
    Ok(LoadedSpec { openapi, raw: value, declared_version, diagnostics })
}

/// Deserialises `value` into `T`; on failure the error names the JSON pointer
/// (relative to `base`) of the node that did not fit.
pub fn deserialize_at_pointer<T: serde::de::DeserializeOwned>(value: &Value, base: &str) -> Result<T, Error> {
    // Path tracking costs on every node; a document that fits does not need
    // it, so only a failure is deserialised again to find the pointer.
    if let Ok(parsed) = T::deserialize(value) {
        return Ok(parsed);
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let mut pointer = base.to_string();
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            match seg {
                Segment::Seq { index } => pointer = crate::diagnostics::join(&pointer, &index.to_string()),
                Segment::Map { key } => pointer = crate::diagnostics::join(&pointer, key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        let inner = e.into_inner().to_string();
        Error::at(pointer, format!("does not match the OpenAPI 3.0 model: {inner}"))
    })
}
