//! The agent skill (`SKILL.md`, `codegen::emit::skill`): the fax crate's as
//! a snapshot; its front matter parses as YAML with a name and description,
//! whatever the document's title and description hold; every operation has
//! a section with an example that the generated `skill.rs` includes for
//! `cargo test --doc` (one file, or a file per resource for a large
//! document); and the only compiled blocks are the generator's own.

mod common;

use codegen::emit::skill::SINGLE_FILE_MAX_OPERATIONS;
use serde_json::{json, Value};

/// The fax crate's skill, as `cargo xtask generate` makes it.
fn fax() -> codegen::Generated {
    let spec = common::root().join("spec/telnyx-fax.yml");
    let crate_config = codegen::config::CrateConfig::beside_spec(&spec).unwrap_or_else(|e| panic!("{e}"));
    let cfg = codegen::EmitConfig { crate_config, ..codegen::EmitConfig::default() };
    codegen::generate_file(&spec, &cfg).unwrap_or_else(|e| panic!("{e}"))
}

fn generate_value(doc: Value) -> codegen::Generated {
    codegen::generate_value(doc, &codegen::EmitConfig::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The YAML between the leading `---` lines.
fn front_matter(skill: &str) -> serde_yaml::Value {
    let rest = skill.strip_prefix("---\n").expect("SKILL.md starts with `---`");
    let end = rest.find("\n---\n").expect("the front matter ends with `---`");
    serde_yaml::from_str(&rest[..end]).unwrap_or_else(|e| panic!("the front matter is not YAML: {e}\n{}", &rest[..end]))
}

#[test]
fn fax_skill_snapshot() {
    let generated = fax();
    assert_eq!(generated.skill.keys().collect::<Vec<_>>(), ["SKILL.md"], "11 operations: one file");
    insta::assert_snapshot!("fax_skill", generated.skill["SKILL.md"]);
}

/// The checked-in `telnyx-fax/SKILL.md` is the generator's (as
/// `generate --check` says, which also checks the runtime's files listed
/// beside it in the crate root's marker).
#[test]
fn fax_skill_is_checked_in() {
    let root = common::root().join("telnyx-fax");
    let skill = fax().skill;
    let stale: Vec<&String> = skill
        .iter()
        .filter(|(rel, text)| std::fs::read_to_string(root.join(rel)).map_or(true, |t| t.replace("\r\n", "\n") != **text))
        .map(|(rel, _)| rel)
        .collect();
    assert!(stale.is_empty(), "telnyx-fax/SKILL.md is stale, run `cargo xtask generate`: {stale:?}");
}

#[test]
fn front_matter_is_yaml_with_name_and_description() {
    let generated = fax();
    let fm = front_matter(&generated.skill["SKILL.md"]);
    assert_eq!(fm["name"].as_str(), Some("telnyx-fax-rust"));
    let description = fm["description"].as_str().unwrap();
    assert!(description.starts_with("Rust client for the Telnyx Programmable Fax API") && description.contains("Rust SDK examples"), "{description}");
    assert_eq!(fm["metadata"]["language"].as_str(), Some("rust"));
    assert_eq!(fm["metadata"]["crate"].as_str(), Some("telnyx-fax"));

    // A title and description that would break YAML written naively.
    let title = "Evil: \"quoted\" # not a comment\n---\nname: injected\u{feff}\u{202e} 'x' [a, b] {c: d} | > - *alias &anchor !tag %directive @at `tick`";
    let mut doc = small_doc(3);
    doc["info"]["title"] = json!(title);
    doc["info"]["version"] = json!("1: 2\n# v");
    let generated = generate_value(doc);
    let fm = front_matter(&generated.skill["SKILL.md"]);
    let name = fm["name"].as_str().unwrap();
    assert!(name.ends_with("-rust") && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{name}");
    let description = fm["description"].as_str().unwrap();
    assert!(description.contains("\"quoted\" # not a comment --- name: injected") && description.contains("*alias &anchor"), "{description}");
    assert!(fm.get("injected").is_none() && fm["metadata"]["api_version"].as_str() == Some("1: 2 # v"), "{fm:?}");
}

/// A document of `n` operations on `n / 5 + 1` resources, each with a path
/// parameter, a required body field and an optional query parameter.
fn small_doc(n: usize) -> Value {
    let mut paths = serde_json::Map::new();
    for i in 0..n {
        let resource = format!("things{}", i / 5);
        paths.insert(
            format!("/{resource}/{{id}}/action{i}"),
            json!({"post": {
                "operationId": format!("doThing{i}"),
                "summary": format!("Do thing {i}"),
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "abc"},
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}
                ],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["name"], "properties": {"name": {"type": "string", "example": "n"}}
                }}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}
            }}),
        );
    }
    json!({"openapi": "3.0.3", "info": {"title": "Things", "version": "1.0.0"}, "servers": [{"url": "https://api.example.com"}], "paths": paths})
}

/// Every operation has a section (its method and path, the required
/// parameters, a compiled example) in the file of its resource, and
/// `skill.rs` includes every file.
fn assert_every_operation_has_a_section(generated: &codegen::Generated, label: &str) {
    let includes = &generated.files["skill.rs"];
    for path in generated.skill.keys() {
        assert!(includes.contains(&format!("include_str!(\"../../{path}\")")), "{label}: skill.rs does not include {path}:\n{includes}");
    }
    let sections: Vec<&str> = generated.skill.values().flat_map(|text| text.split("\n#")).collect();
    for op in &generated.api.operations {
        let marker = format!("`{} {}` (operation `{}`)", op.method.as_str(), op.path, op.id);
        let section = sections.iter().find(|s| s.contains(&marker));
        let Some(section) = section else { panic!("{label}: no section for {marker}") };
        assert!(section.contains("```rust,no_run\n") || section.contains("(no example:"), "{label}: {marker} has no example:\n{section}");
    }
}

#[test]
fn every_operation_has_a_section() {
    assert_every_operation_has_a_section(&fax(), "fax");
    for path in common::fixtures("constructs") {
        let generated = common::generate(&path);
        assert_every_operation_has_a_section(&generated, &path.display().to_string());
        // A crate for another API says nothing of Telnyx (unless its document does).
        let document_says = std::fs::read_to_string(&path).unwrap().to_ascii_lowercase().contains("telnyx");
        assert!(document_says || !generated.skill["SKILL.md"].to_ascii_lowercase().contains("telnyx"), "{}", path.display());
    }
    // The check itself finds a missing section.
    let mut cut = fax();
    let skill = cut.skill["SKILL.md"].replace("(operation `SendFax`)", "");
    cut.skill.insert("SKILL.md".into(), skill);
    assert!(std::panic::catch_unwind(|| assert_every_operation_has_a_section(&cut, "cut")).is_err(), "a missing section goes unnoticed");
    let small = generate_value(small_doc(SINGLE_FILE_MAX_OPERATIONS));
    assert_eq!(small.skill.len(), 1);
    assert_every_operation_has_a_section(&small, "single file");
    // One operation more: a file per resource, each linked from SKILL.md.
    let large = generate_value(small_doc(SINGLE_FILE_MAX_OPERATIONS + 1));
    let resources = SINGLE_FILE_MAX_OPERATIONS / 5 + 1;
    assert_eq!(large.skill.len(), 1 + resources, "{:?}", large.skill.keys().collect::<Vec<_>>());
    assert_every_operation_has_a_section(&large, "split");
    let index = &large.skill["SKILL.md"];
    for path in large.skill.keys().filter(|p| p.starts_with("skill/")) {
        assert!(index.contains(&format!("]({path})")), "SKILL.md does not link {path}");
    }
    assert!(!index.contains("(operation `"), "the index has no operation sections");
}

/// A document's text (its fenced, tilde, indented and list-item blocks)
/// never becomes a compiled block: the only ```` ```rust ```` blocks are the
/// generator's, and every other fence is `text` or `bash`.
#[test]
fn document_text_never_becomes_a_compiled_block() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/doc_text/hostile.yml");
    let generated = common::generate(&spec);
    let skill = &generated.skill["SKILL.md"];
    // The info string of the block the line is in.
    let mut block: Option<&str> = None;
    let mut lines = skill.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("```") || line.starts_with("~~~") {
            if block.is_some() {
                assert_eq!(line, "```", "a block ends with a plain fence");
                block = None;
                continue;
            }
            block = Some(line);
            match line {
                "```text" | "```bash" => {}
                "```rust,no_run" => {
                    let first = lines.peek().copied().unwrap_or("");
                    assert!(
                        ["use ", "async fn ", "fn handle(", "// Called from `#[tokio::main]"].iter().any(|p| first.starts_with(p)),
                        "a compiled block that is not the generator's:\n{first}"
                    );
                }
                other => panic!("unexpected fence `{other}` in:\n{skill}"),
            }
        } else if block.is_none() {
            // Text that Markdown would read as an indented code block.
            assert!(!line.starts_with("    ") && !line.starts_with('\t'), "indented line outside a block: {line:?}");
        } else if block == Some("```rust,no_run") {
            assert!(!line.contains("pwned"), "document code in a compiled block: {line}");
        }
    }
    assert!(block.is_none(), "an unterminated block");
    assert!(skill.contains("```text\nstd::fs::write"), "the document's blocks are kept as text");
}
