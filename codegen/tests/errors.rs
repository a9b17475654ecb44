//! Bad specs get one clear error that says where, never a panic; a defect
//! confined to one schema or operation is a warning saying what was done.

use codegen::{generate_str, EmitConfig};

fn err(text: &str) -> String {
    match generate_str(text, false, &EmitConfig::default()) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn malformed_yaml_names_line_and_column() {
    let e = err("openapi: 3.1.0\ninfo: {title: x, version: \"1\"\npaths: {}\n");
    assert!(e.starts_with("line 3, column 1: invalid YAML"), "{e}");
    assert!(!e.contains('\n'), "one line: {e}");
}

/// Diagnostics of a document that generates.
fn warnings(text: &str) -> Vec<String> {
    match generate_str(text, false, &EmitConfig::default()) {
        Ok(g) => g.diagnostics.iter().map(|d| d.to_string()).collect(),
        Err(e) => panic!("expected the document to generate, got: {e}"),
    }
}

#[test]
fn dangling_ref_is_a_warning_at_its_pointer() {
    // Confined to one schema: read as any JSON value, the document generates.
    let w = warnings("openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n");
    assert!(
        w.iter().any(|d| d.starts_with("warning[dangling-ref] at /components/schemas/A/properties/b:") && d.contains("#/components/schemas/Missing")),
        "{w:?}"
    );
}

#[test]
fn a_defect_in_one_operation_skips_it_with_a_warning() {
    let w = warnings("openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths:\n  /a:\n    get:\n      responses: 5\n  /b:\n    get:\n      responses: {'200': {description: ok}}\n");
    assert!(w.iter().any(|d| d.starts_with("warning[invalid-part] at /paths/~1a/get:") && d.contains("skipped")), "{w:?}");
}

#[test]
fn a_defect_in_one_schema_is_repaired_where_it_is() {
    let w = warnings("openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        ok: {type: string}\n        bad: {type: object, properties: 5}\n        n: {type: string, required: true}\n");
    assert!(w.iter().any(|d| d.starts_with("warning[invalid-part] at /components/schemas/A/properties/bad:")), "{w:?}");
    assert!(w.iter().any(|d| d.starts_with("warning[invalid-required] at /components/schemas/A/properties/n/required:")), "{w:?}");
}

#[test]
fn yaml_integers_beyond_64_bits_load_like_json() {
    let yaml = "openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: integer, minimum: -9223372036854776000, maximum: 18446744073709551616}\n";
    let json = r#"{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"type": "integer", "minimum": -9223372036854776000, "maximum": 18446744073709551616}}}}"#;
    let from_yaml = codegen::load::parse_value(yaml, false).expect("YAML loads");
    let from_json = codegen::load::parse_value(json, true).expect("JSON loads");
    assert_eq!(from_yaml, from_json);
    warnings(yaml);
}

#[test]
fn unsupported_versions_are_refused() {
    assert!(err("swagger: \"2.0\"\ninfo: {title: x, version: \"1\"}\n").contains("at /swagger: Swagger 2.0 is not supported"));
    assert!(err("openapi: 4.0.0\ninfo: {title: x, version: \"1\"}\npaths: {}\n").contains("at /openapi: unsupported OpenAPI version 4.0.0"));
    assert!(err("- just\n- a list\n").contains("not a mapping"));
}

#[test]
fn model_mismatch_outside_any_part_names_a_pointer() {
    let e = err("openapi: 3.0.3\ninfo: 5\npaths: {}\n");
    assert!(e.starts_with("at /info"), "{e}");
    assert!(e.contains("does not match the OpenAPI 3.0 model"), "{e}");
}
