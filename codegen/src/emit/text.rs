//! The text writer (issue 21): the bulk of the models (a struct with its
//! `object_serde!` call and builder, a string enum, an alias) written as
//! text straight from the IR, laid out byte for byte as `prettyplease`
//! lays out the tokens [`super::types`] builds for the same type.
//!
//! Why: building those tokens with `quote!`, parsing them back with `syn`
//! and printing them with `prettyplease` was most of what generation spent
//! (about 60 % of the instructions on klaviyo.json, a few thousand models),
//! for code whose shape never changes. Only layouts whose line breaks are
//! certain are written here: a line `prettyplease` would wrap in a way this
//! writer does not know (a long field type, a long parameter) makes it give
//! up (`None`), and that type goes through the token path, which stays the
//! reference. `tests/text_writer.rs` checks that both paths print the same
//! bytes on every fixture document and the fax spec.
//!
//! The rules used, from `prettyplease`'s printer: a line, indentation
//! included, breaks when it would be longer than [`MARGIN`] bytes; a doc
//! attribute is a `///` line with its trailing spaces trimmed; a function's
//! parameters go one per line when its signature does not fit; a call whose
//! line does not fit puts its argument on the next line.

use super::types::TypeFacts;
use crate::ir::*;
use crate::naming::{self, Scope};

/// `prettyplease`'s margin: a line longer than this (in bytes) is wrapped.
const MARGIN: usize = 89;

/// Appends `line` (its indentation included) and a newline, or gives up
/// when `prettyplease` would have wrapped it.
fn line(out: &mut String, line: &str) -> Option<()> {
    if line.len() > MARGIN {
        return None;
    }
    out.push_str(line);
    out.push('\n');
    Some(())
}

/// The `///` lines of [`super::docs::doc_attrs`], at `indent`.
fn docs(out: &mut String, indent: &str, text: Option<&str>, fallback: &str) -> Option<()> {
    for value in super::docs::doc_values(text, fallback) {
        doc_line(out, indent, &value)?;
    }
    Some(())
}

/// One `#[doc = value]` as `prettyplease` prints it (a doc comment never wraps).
fn doc_line(out: &mut String, indent: &str, value: &str) -> Option<()> {
    if value.contains('\n') || value.starts_with('/') {
        return None;
    }
    out.push_str(indent);
    out.push_str("///");
    out.push_str(value.trim_end_matches(' '));
    out.push('\n');
    Some(())
}

/// [`super::ty_tokens_in`] as text.
pub(super) fn ty_text(ty: &Ty, offset: bool, out: &mut String) {
    match ty {
        Ty::DateTime if offset => out.push_str("::chrono::DateTime<::chrono::FixedOffset>"),
        Ty::String => out.push_str("::std::string::String"),
        Ty::Bool => out.push_str("bool"),
        Ty::I32 => out.push_str("i32"),
        Ty::I64 => out.push_str("i64"),
        Ty::F64 => out.push_str("f64"),
        Ty::DateTime => out.push_str("::chrono::DateTime<::chrono::Utc>"),
        Ty::Date => out.push_str("::chrono::NaiveDate"),
        Ty::Binary => out.push_str("crate::FileUpload"),
        Ty::Json => out.push_str("::serde_json::Value"),
        Ty::Named(n) => {
            out.push_str("crate::types::");
            out.push_str(n);
        }
        Ty::Vec(t) => {
            out.push_str("::std::vec::Vec<");
            ty_text(t, offset, out);
            out.push('>');
        }
        Ty::Map(t) if **t == Ty::Json => out.push_str("::serde_json::Map<::std::string::String, ::serde_json::Value>"),
        Ty::Map(t) => {
            out.push_str("::std::collections::BTreeMap<::std::string::String, ");
            ty_text(t, offset, out);
            out.push('>');
        }
        Ty::Boxed(t) => {
            out.push_str("::std::boxed::Box<");
            ty_text(t, offset, out);
            out.push('>');
        }
    }
}

/// The type of a field with its `Option` wrappers (`types::field_ty` as text).
fn field_ty_text(f: &Field, input: bool, offset: bool) -> String {
    let mut t = String::new();
    ty_text(&f.ty, offset, &mut t);
    match (f.required, f.nullable) {
        (true, false) => t,
        (true, true) => format!("::std::option::Option<{t}>"),
        (false, true) if input => format!("::std::option::Option<::std::option::Option<{t}>>"),
        (false, _) => format!("::std::option::Option<{t}>"),
    }
}

/// A type as text, or `None` where the writer does not know the layout
/// (unions, single-value enums, anything that wraps): the caller then
/// takes the token path. `gate` is the type's `#[cfg(..)]` line.
pub(super) fn emit_type(def: &TypeDef, facts: &TypeFacts, gate: Option<&str>) -> Option<String> {
    if let Some(g) = gate {
        // A long `cfg(any(..))` wraps inside the attribute.
        if g.len() > MARGIN - 1 {
            return None;
        }
    }
    let mut out = String::with_capacity(1024);
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(def, s, facts, gate, &mut out)?,
        TypeKind::Enum(e) if !facts.const_tags.contains(&def.name) => emit_enum(def, e, gate, &mut out)?,
        TypeKind::Alias(t) => {
            gate_line(&mut out, gate);
            docs(&mut out, "", def.doc.as_deref(), &format!("`{}`.", def.name))?;
            let mut ty = String::new();
            ty_text(t, false, &mut ty);
            line(&mut out, &format!("pub type {} = {ty};", def.name))?;
        }
        _ => return None,
    }
    Some(out)
}

fn gate_line(out: &mut String, gate: Option<&str>) {
    if let Some(g) = gate {
        out.push_str(g);
        out.push('\n');
    }
}

/// `types::emit_struct`: the struct, its `object_serde!` call laid out as
/// `serde_impls::layout_call` lays it out, and the builder of an input type.
fn emit_struct(def: &TypeDef, s: &Struct, facts: &TypeFacts, gate: Option<&str>, out: &mut String) -> Option<()> {
    if s.fields.is_empty() && !s.keep_unknown {
        return None; // `pub struct X {}`: rare, left to the token path
    }
    let binary = facts.has_binary.contains(&def.name);
    let input = def.is_input;
    let offset = facts.offset_dates.contains(&def.name);
    let has_required = s.fields.iter().any(|f| f.required);
    let name = def.name.as_str();

    gate_line(out, gate);
    docs(out, "", def.doc.as_deref(), &format!("The `{name}` object."))?;
    out.push_str("#[derive(Debug, Clone");
    if !binary {
        out.push_str(", PartialEq");
    }
    if !has_required {
        out.push_str(", Default");
    }
    out.push_str(")]\npub struct ");
    out.push_str(name);
    out.push_str(" {\n");
    for f in &s.fields {
        docs(out, "    ", f.doc.as_deref(), &format!("`{}`.", super::docs::code(&f.wire)))?;
        line(out, &format!("    pub {}: {},", f.ident, field_ty_text(f, input, offset)))?;
    }
    if s.keep_unknown {
        out.push_str("    /// Properties the spec does not declare, kept so no data is lost\n");
        out.push_str("    /// (and so requests can carry fields newer than this crate).\n");
        let map = match s.additional {
            Ty::Json => "::serde_json::Map<::std::string::String, ::serde_json::Value>".to_string(),
            _ => {
                let mut t = String::from("::std::collections::BTreeMap<::std::string::String, ");
                ty_text(&s.additional, false, &mut t);
                t.push('>');
                t
            }
        };
        line(out, &format!("    pub {}: {map},", s.additional_name))?;
    }
    out.push_str("}\n");

    // serde_impls::emit, as serde_impls::layout_call prints it.
    gate_line(out, gate);
    out.push_str(super::serde_impls::CALL_LINE);
    out.push_str("\n    ");
    out.push_str(name);
    out.push_str(" {\n");
    let mut skipped = Vec::new();
    for f in &s.fields {
        match super::serde_impls::shape(f, input) {
            Some(shape) => {
                out.push_str("        ");
                out.push_str(&proc_macro2::Literal::string(&f.wire).to_string());
                out.push_str(" => ");
                out.push_str(&f.ident);
                out.push_str(": ");
                out.push_str(shape);
                out.push_str(",\n");
            }
            None => skipped.push(f.ident.as_str()),
        }
    }
    out.push_str("    }\n");
    if !skipped.is_empty() {
        out.push_str(&format!("    skip {{ {} }}\n", skipped.join(", ")));
    }
    if s.keep_unknown {
        out.push_str(&format!("    rest {}\n", s.additional_name));
    }
    out.push_str("}\n");

    if input {
        gate_line(out, gate);
        emit_builder(def, s, has_required, offset, out)?;
    }
    Some(())
}

/// `types::emit_builder`: `new(required..)` and a setter per optional field.
fn emit_builder(def: &TypeDef, s: &Struct, has_required: bool, offset: bool, out: &mut String) -> Option<()> {
    out.push_str("impl ");
    out.push_str(&def.name);
    out.push_str(" {\n");
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    if has_required {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", super::docs::code(&f.wire))).collect();
        doc_line(out, "    ", &format!(" Creates a value from its required fields ({}); optional fields start unset.", names.join(", ")))?;
        if required.len() > 7 {
            out.push_str("    #[allow(clippy::too_many_arguments)]\n");
        }
        let args: Vec<String> =
            required.iter().map(|f| format!("{}: impl ::std::convert::Into<{}>", f.ident, field_ty_text(f, true, offset))).collect();
        signature(out, "new", &args)?;
        // `Self { .. }` stays on one line when it is short (prettyplease's
        // `end_with_max_width(34)`): left to the token path.
        let inits: Vec<String> = s
            .fields
            .iter()
            .map(|f| if f.required { format!("{0}: {0}.into()", f.ident) } else { format!("{}: ::std::option::Option::None", f.ident) })
            .chain(s.keep_unknown.then(|| format!("{}: ::std::default::Default::default()", s.additional_name)))
            .collect();
        let width: usize = "Self {".len() + inits.iter().map(|i| i.len() + 2).sum::<usize>();
        if width <= 60 {
            return None;
        }
        out.push_str("        Self {\n");
        for init in &inits {
            line(out, &format!("            {init},"))?;
        }
        out.push_str("        }\n    }\n");
    } else {
        out.push_str("    /// Creates an empty value; set fields with the builder methods.\n");
        out.push_str("    pub fn new() -> Self {\n        ::std::default::Default::default()\n    }\n");
    }
    let mut scope = Scope::with_reserved(&["new"]);
    for f in s.fields.iter().filter(|f| !f.required) {
        let setter = scope.claim(&f.ident);
        doc_line(out, "    ", &format!(" Sets `{}`.", super::docs::code(&f.wire)))?;
        if naming::std_trait_method(&setter) {
            out.push_str("    #[allow(clippy::should_implement_trait)]\n");
        }
        let strings = matches!(&f.ty, Ty::Vec(inner) if matches!(**inner, Ty::String));
        if strings {
            // `setter_arg`'s iterable of strings: always wrapped, the same way.
            if f.nullable {
                return None;
            }
            line(out, &format!("    pub fn {setter}("))?;
            out.push_str("        mut self,\n");
            out.push_str(STRINGS_ARG);
            line(out, &format!("        self.{} = ::std::option::Option::Some(", f.ident))?;
            out.push_str(STRINGS_VALUE);
            out.push_str("        );\n        self\n    }\n");
        } else {
            let mut t = String::new();
            ty_text(&f.ty, offset, &mut t);
            signature(out, &setter, &["mut self".to_string(), format!("value: impl ::std::convert::Into<{t}>")])?;
            if f.nullable {
                assign_some(out, &f.ident, "::std::option::Option::Some(value.into())")?;
            } else {
                assign_some(out, &f.ident, "value.into()")?;
            }
            out.push_str("        self\n    }\n");
        }
        if f.nullable {
            let null_setter = scope.claim(&format!("{}_null", naming::unraw(&f.ident)));
            doc_line(out, "    ", &format!(" Sets `{}` to an explicit `null` (unset fields are left out).", super::docs::code(&f.wire)))?;
            signature(out, &null_setter, &["mut self".to_string()])?;
            assign_some(out, &f.ident, "::std::option::Option::None")?;
            out.push_str("        self\n    }\n");
        }
    }
    out.push_str("}\n");
    Some(())
}

/// The parameter of a setter that takes any iterable of strings, as
/// `prettyplease` wraps it (too long for one line whatever the name).
const STRINGS_ARG: &str = "        value: impl ::std::iter::IntoIterator<
            Item = impl ::std::convert::Into<::std::string::String>,
        >,
    ) -> Self {
";

/// The value such a setter stores, as `prettyplease` wraps it.
const STRINGS_VALUE: &str = "            value
                .into_iter()
                .map(::std::convert::Into::into)
                .collect::<::std::vec::Vec<::std::string::String>>(),
";

/// `    pub fn name(args) -> Self {` on one line, or one parameter per line
/// when that does not fit.
fn signature(out: &mut String, name: &str, args: &[String]) -> Option<()> {
    let flat = format!("    pub fn {name}({}) -> Self {{", args.join(", "));
    if flat.len() <= MARGIN {
        out.push_str(&flat);
        out.push('\n');
        return Some(());
    }
    line(out, &format!("    pub fn {name}("))?;
    for arg in args {
        line(out, &format!("        {arg},"))?;
    }
    out.push_str("    ) -> Self {\n");
    Some(())
}

/// `self.field = ::std::option::Option::Some(value);` in a method body,
/// with the argument on its own line when the statement does not fit.
fn assign_some(out: &mut String, field: &str, value: &str) -> Option<()> {
    let flat = format!("        self.{field} = ::std::option::Option::Some({value});");
    if flat.len() <= MARGIN {
        out.push_str(&flat);
        out.push('\n');
        return Some(());
    }
    line(out, &format!("        self.{field} = ::std::option::Option::Some("))?;
    line(out, &format!("            {value},"))?;
    out.push_str("        );\n");
    Some(())
}

/// `types::emit_enum` for a string enum, wrapped in its `string_enum!`
/// call as `super::wrap_marked_macros` wraps it.
fn emit_enum(def: &TypeDef, e: &StringEnum, gate: Option<&str>, out: &mut String) -> Option<()> {
    if e.variants.is_empty() {
        return None;
    }
    gate_line(out, gate);
    out.push_str("crate::__rt::string_enum! {\n");
    docs(out, "    ", def.doc.as_deref(), &format!("The `{}` enum.", def.name))?;
    out.push_str("    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord");
    if e.default.is_some() {
        out.push_str(", Default");
    }
    out.push_str(")]\n    pub enum ");
    out.push_str(&def.name);
    out.push_str(" {\n");
    for (i, v) in e.variants.iter().enumerate() {
        doc_line(out, "        ", &format!(" `{}`", super::docs::code(&v.wire)))?;
        if e.default == Some(i) {
            out.push_str("        #[default]\n");
        }
        out.push_str("        ");
        out.push_str(&v.ident);
        out.push_str(" = ");
        out.push_str(&proc_macro2::Literal::string(&v.wire).to_string());
        out.push_str(",\n");
    }
    out.push_str("    }\n}\n");
    Some(())
}
