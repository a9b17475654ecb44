//! Bad specs get one clear error that says where, never a panic.

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

#[test]
fn dangling_ref_is_an_error_at_its_pointer() {
    let e = err("openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n");
    assert!(e.starts_with("at /components/schemas/A/properties/b:"), "{e}");
    assert!(e.contains("#/components/schemas/Missing"), "{e}");
}

#[test]
fn unsupported_versions_are_refused() {
    assert!(err("swagger: \"2.0\"\ninfo: {title: x, version: \"1\"}\n").contains("at /swagger: Swagger 2.0 is not supported"));
    assert!(err("openapi: 4.0.0\ninfo: {title: x, version: \"1\"}\npaths: {}\n").contains("at /openapi: unsupported OpenAPI version 4.0.0"));
    assert!(err("- just\n- a list\n").contains("not a mapping"));
}

#[test]
fn model_mismatch_names_a_pointer() {
    let e = err("openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths:\n  /a:\n    get:\n      responses: 5\n");
    assert!(e.starts_with("at /paths"), "{e}");
    assert!(e.contains("does not match the OpenAPI 3.0 model"), "{e}");
}
