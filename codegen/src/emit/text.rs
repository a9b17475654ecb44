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
//! The tables (`cli::specs_text`, `mcp::emit_text`, `mock::emit_text`) are
//! written beside the tokens they replace, with the layout helpers here
//! ([`line()`], [`doc_line`], [`str_array`]).
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
pub(super) const MARGIN: usize = 89;

/// Appends `line` (its indentation included) and a newline, or gives up
/// when `prettyplease` would have wrapped it.
pub(super) fn line(out: &mut String, line: &str) -> Option<()> {
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
pub(super) fn doc_line(out: &mut String, indent: &str, value: &str) -> Option<()> {
    if value.contains('\n') || value.starts_with('/') {
        return None;
    }
    out.push_str(indent);
    out.push_str("///");
    out.push_str(value.trim_end_matches(' '));
    out.push('\n');
    Some(())
}

/// A Rust type as `prettyplease` sees it for line breaking: a path, or a
/// path with generic arguments, which wrap one per line when the type does
/// not fit.
enum TyText {
    Leaf(String),
    Generic(&'static str, Vec<TyText>),
}

impl TyText {
    /// [`super::ty_tokens_in`] as text.
    fn of(ty: &Ty, offset: bool) -> TyText {
        use TyText::*;
        let leaf = |s: &str| Leaf(s.to_string());
        match ty {
            Ty::DateTime if offset => Generic("::chrono::DateTime", vec![leaf("::chrono::FixedOffset")]),
            Ty::String => leaf("::std::string::String"),
            Ty::Bool => leaf("bool"),
            Ty::I32 => leaf("i32"),
            Ty::I64 => leaf("i64"),
            Ty::F64 => leaf("f64"),
            Ty::DateTime => Generic("::chrono::DateTime", vec![leaf("::chrono::Utc")]),
            Ty::Date => leaf("::chrono::NaiveDate"),
            Ty::Binary => leaf("crate::FileUpload"),
            Ty::Json => leaf("::serde_json::Value"),
            Ty::Named(n) => Leaf(format!("crate::types::{n}")),
            Ty::Vec(t) => Generic("::std::vec::Vec", vec![TyText::of(t, offset)]),
            Ty::Map(t) if **t == Ty::Json => Generic("::serde_json::Map", vec![leaf("::std::string::String"), leaf("::serde_json::Value")]),
            Ty::Map(t) => Generic("::std::collections::BTreeMap", vec![leaf("::std::string::String"), TyText::of(t, offset)]),
            Ty::Boxed(t) => Generic("::std::boxed::Box", vec![TyText::of(t, offset)]),
        }
    }

    fn option(self) -> TyText {
        TyText::Generic("::std::option::Option", vec![self])
    }

    fn flat(&self, out: &mut String) {
        match self {
            TyText::Leaf(s) => out.push_str(s),
            TyText::Generic(head, args) => {
                out.push_str(head);
                out.push('<');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    a.flat(out);
                }
                out.push('>');
            }
        }
    }

    fn to_flat(&self) -> String {
        let mut s = String::new();
        self.flat(&mut s);
        s
    }

    /// Writes `{indent}{prefix}{type}{suffix}` as lines. `counted`: whether
    /// `suffix` counts for the fit (a `,` that `prettyplease` prints only
    /// when it breaks, after a last argument, does not). A path never wraps.
    fn layout(&self, out: &mut String, indent: usize, prefix: &str, suffix: &str, counted: bool) {
        let flat = self.to_flat();
        let width = indent + prefix.len() + flat.len() + if counted { suffix.len() } else { 0 };
        match self {
            TyText::Generic(head, args) if width > MARGIN => {
                push_indent(out, indent);
                out.push_str(prefix);
                out.push_str(head);
                out.push_str("<\n");
                for (i, a) in args.iter().enumerate() {
                    a.layout(out, indent + 4, "", ",", i + 1 < args.len());
                }
                push_indent(out, indent);
                out.push('>');
                out.push_str(suffix);
                out.push('\n');
            }
            _ => {
                push_indent(out, indent);
                out.push_str(prefix);
                out.push_str(&flat);
                out.push_str(suffix);
                out.push('\n');
            }
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push(' ');
    }
}

/// The type of a field with its `Option` wrappers (`types::field_ty` as text).
fn field_ty_text(f: &Field, input: bool, offset: bool) -> TyText {
    let t = TyText::of(&f.ty, offset);
    match (f.required, f.nullable) {
        (true, false) => t,
        (true, true) => t.option(),
        (false, true) if input => t.option().option(),
        (false, _) => t.option(),
    }
}

/// A type's `#[cfg(..)]` (`features::cfg_any`) as `prettyplease` prints
/// it at the top level: on one line, or wrapped inside the parentheses.
pub(super) fn cfg_text<'a>(features: impl ExactSizeIterator<Item = &'a str>) -> Option<String> {
    let lits: Vec<String> = features.map(|f| format!("feature = {}", proc_macro2::Literal::string(f))).collect();
    let inner = match lits.as_slice() {
        [one] => one.clone(),
        _ => format!("any({})", lits.join(", ")),
    };
    let flat = format!("#[cfg({inner})]");
    if flat.len() <= MARGIN {
        return Some(flat + "\n");
    }
    if lits.len() == 1 {
        return None;
    }
    if 4 + inner.len() <= MARGIN {
        return Some(format!("#[cfg(\n    {inner}\n)]\n"));
    }
    let mut out = String::from("#[cfg(\n    any(\n");
    for (i, l) in lits.iter().enumerate() {
        out.push_str("        ");
        out.push_str(l);
        if i + 1 < lits.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("    )\n)]\n");
    Some(out)
}

/// A type as text, or `None` where the writer does not know the layout
/// (unions, single-value enums, anything that wraps): the caller then
/// takes the token path. `gate` is the type's `#[cfg(..)]` line.
pub(super) fn emit_type(def: &TypeDef, facts: &TypeFacts, gate: Option<&str>) -> Option<String> {
    let mut out = String::with_capacity(1024);
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(def, s, facts, gate, &mut out)?,
        TypeKind::Enum(e) if !facts.const_tags.contains(&def.name) => emit_enum(def, e, gate, &mut out)?,
        TypeKind::Enum(e) => emit_const(def, e, gate, &mut out)?,
        TypeKind::Alias(t) => {
            gate_line(&mut out, gate);
            docs(&mut out, "", def.doc.as_deref(), &format!("`{}`.", def.name))?;
            line(&mut out, &format!("pub type {} = {};", def.name, TyText::of(t, false).to_flat()))?;
        }
        _ => return None,
    }
    Some(out)
}

fn gate_line(out: &mut String, gate: Option<&str>) {
    if let Some(g) = gate {
        out.push_str(g);
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
        field_ty_text(f, input, offset).layout(out, 4, &format!("pub {}: ", f.ident), ",", true);
    }
    if s.keep_unknown {
        out.push_str("    /// Properties the spec does not declare, kept so no data is lost\n");
        out.push_str("    /// (and so requests can carry fields newer than this crate).\n");
        let map = match s.additional {
            Ty::Json => TyText::of(&Ty::Map(Box::new(Ty::Json)), false),
            _ => TyText::Generic("::std::collections::BTreeMap", vec![TyText::of(&Ty::String, false), TyText::of(&s.additional, false)]),
        };
        map.layout(out, 4, &format!("pub {}: ", s.additional_name), ",", true);
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
        let args: Vec<(String, TyText)> = required
            .iter()
            .map(|f| (format!("{}: impl ", f.ident), TyText::Generic("::std::convert::Into", vec![field_ty_text(f, true, offset)])))
            .collect();
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
            let into = TyText::Generic("::std::convert::Into", vec![TyText::of(&f.ty, offset)]);
            signature(out, &setter, &[(String::new(), TyText::Leaf("mut self".into())), ("value: impl ".into(), into)])?;
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
            signature(out, &null_setter, &[(String::new(), TyText::Leaf("mut self".into()))])?;
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
/// when that does not fit (a parameter's type wrapping in turn).
fn signature(out: &mut String, name: &str, args: &[(String, TyText)]) -> Option<()> {
    let flat: Vec<String> = args.iter().map(|(prefix, t)| format!("{prefix}{}", t.to_flat())).collect();
    let flat = format!("    pub fn {name}({}) -> Self {{", flat.join(", "));
    if flat.len() <= MARGIN {
        out.push_str(&flat);
        out.push('\n');
        return Some(());
    }
    line(out, &format!("    pub fn {name}("))?;
    for (i, (prefix, t)) in args.iter().enumerate() {
        t.layout(out, 8, prefix, ",", i + 1 < args.len());
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

/// `types::emit_enum` for a single-value enum: a `Const` alias, its tag
/// and the tag's impls.
fn emit_const(def: &TypeDef, e: &StringEnum, gate: Option<&str>, out: &mut String) -> Option<()> {
    let [only] = e.variants.as_slice() else { return None };
    let name = def.name.as_str();
    let tag = super::types::const_tag_name(name);
    gate_line(out, gate);
    docs(out, "", def.doc.as_deref(), &format!("The `{name}` enum."))?;
    out.push_str("///\n");
    doc_line(
        out,
        "",
        &format!(
            " The spec allows one value, `{}`: a [`Const`](crate::Const), which keeps any other value a newer server sends ([`is_unknown`](crate::Const::is_unknown)).",
            only.wire.replace('`', "'")
        ),
    )?;
    line(out, &format!("pub type {name} = crate::Const<{tag}>;"))?;
    gate_line(out, gate);
    doc_line(out, "", &format!(" The tag of [`{name}`]: the value `{}`.", super::docs::code(&only.wire)))?;
    line(out, &format!("pub struct {tag};"))?;
    gate_line(out, gate);
    line(out, &format!("impl crate::Tag for {tag} {{"))?;
    line(out, &format!("    const VALUE: &'static str = {};", proc_macro2::Literal::string(&only.wire)))?;
    out.push_str("}\n");
    gate_line(out, gate);
    line(out, &format!("impl crate::Const<{tag}> {{"))?;
    doc_line(out, "    ", &format!(" `{}`, the value this type stands for.", super::docs::code(&only.wire)))?;
    out.push_str("    #[allow(non_upper_case_globals)]\n");
    line(out, &format!("    pub const {}: Self = Self::KNOWN;", only.ident))?;
    out.push_str("}\n");
    Some(())
}

/// A struct field holding `&[..]` of string literals (`items`, already
/// literals) at `indent`: on one line, or one element per line. `counted`:
/// whether the field's `,` counts for the fit (not after the last field).
pub(super) fn str_array(out: &mut String, indent: usize, prefix: &str, items: &[String], counted: bool) -> Option<()> {
    let flat_len = indent + prefix.len() + 3 + items.iter().map(|i| i.len() + 2).sum::<usize>().saturating_sub(2) + usize::from(counted);
    push_indent(out, indent);
    out.push_str(prefix);
    if items.is_empty() || flat_len <= MARGIN {
        out.push_str("&[");
        out.push_str(&items.join(", "));
        out.push_str("],\n");
        return Some(());
    }
    out.push_str("&[\n");
    for item in items {
        push_indent(out, indent + 4);
        out.push_str(item);
        out.push_str(",\n");
    }
    push_indent(out, indent);
    out.push_str("],\n");
    Some(())
}
