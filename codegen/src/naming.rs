//! The one place that turns spec names into Rust identifiers.
//!
//! Rules (table-tested below): case conversion with `heck`; anything that is
//! not an identifier character becomes a word break; a leading digit gets a
//! prefix (`V` for types and variants, `n` for fields); Rust keywords become
//! raw identifiers (`r#type`) except `self`, `Self`, `super`, `crate` and `_`,
//! which cannot be raw and get a trailing `_`; collisions within one scope are
//! resolved by [`Scope`] deterministically in input order (`name`, `name_2`, ...).
//! Callers keep the original spec name for `#[serde(rename)]`.

use heck::{ToPascalCase, ToSnakeCase};
use std::collections::HashSet;

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replaces characters that cannot appear in identifiers by spaces, so heck
/// sees word boundaries (`media.processed` -> `media processed`), and spells
/// out a few symbols that carry meaning in enum values (`+`, `-` prefixes).
fn words(raw: &str) -> String {
    // Non-ASCII letters are transliterated first (`Привет` -> `Privet`, `北京`
    // -> `Bei Jing`, `café` -> `cafe`, `🦄` -> `unicorn`), so names in any
    // script stay readable and distinct instead of all becoming `Empty`:
    // `deunicode` is a maintained transliteration table; a character it has
    // no spelling for is its code point (`u2b740`) if it is a letter or a
    // digit (a name made only of such is not lost), else a word break.
    let transliterated: String;
    let raw = if raw.is_ascii() {
        raw
    } else {
        transliterated = raw
            .chars()
            .map(|c| match deunicode::deunicode_char(c) {
                _ if c.is_ascii() => c.to_string(),
                Some(t) if t.chars().any(|t| t.is_ascii_alphanumeric()) => t.to_string(),
                _ if c.is_alphanumeric() => format!(" u{:x} ", c as u32),
                _ => " ".to_string(),
            })
            .collect();
        transliterated.as_str()
    };
    let mut s = String::with_capacity(raw.len());
    for (i, ch) in raw.chars().enumerate() {
        match ch {
            c if c.is_ascii_alphanumeric() => s.push(c),
            '-' if i == 0 && raw.len() > 1 => s.push_str("minus "),
            '+' if i == 0 && raw.len() > 1 => s.push_str("plus "),
            _ => s.push(' '),
        }
    }
    s
}

/// A type or variant name: `fax_application` -> `FaxApplication`.
pub fn type_name(raw: &str) -> String {
    let mut s = words(raw).to_pascal_case();
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// A field, method or module name: `webhookEventURL` -> `webhook_event_url`.
/// Returns the name as it must be written in code (possibly `r#type`).
pub fn field_name(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    escape_keyword(s)
}

/// `type` -> `r#type`; `self` -> `self_`.
pub fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The identifier without a raw prefix, as serde sees it.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Builds a `syn::Ident` from a name made by this module (raw-aware).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(rest) => proc_macro2::Ident::new_raw(rest, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// A namespace in which names must be unique (a struct's fields, an enum's
/// variants, a module's types). Reserved names are never handed out.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope with names already reserved (the SDK's own method names, ...).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// Claims `wanted`, or the first free `wanted_2`, `wanted_3`... (`Wanted2`
    /// for Pascal-case names).
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(unraw(wanted).to_string()) {
            return wanted.to_string();
        }
        let base = unraw(wanted);
        let pascal = base.starts_with(|c: char| c.is_ascii_uppercase());
        let mut n = 2;
        loop {
            let candidate = if pascal { format!("{base}{n}") } else { format!("{base}_{n}") };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Gives back a name that ended up unused (a type that was not emitted
    /// after all), so no later name gets a suffix for a collision nobody sees.
    pub fn release(&mut self, name: &str) {
        self.taken.remove(unraw(name));
    }

    /// Whether a name is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(unraw(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        for (raw, want) in [
            ("FaxApplication", "FaxApplication"),
            ("fax_application", "FaxApplication"),
            ("Chicago, IL", "ChicagoIl"),
            ("media.processed", "MediaProcessed"),
            ("fax.sending.started", "FaxSendingStarted"),
            ("2fa", "V2fa"),
            ("-created_at", "MinusCreatedAt"),
            ("", "Empty"),
            ("Self", "Self_"),
            ("programmable-fax_Errors", "ProgrammableFaxErrors"),
        ] {
            assert_eq!(type_name(raw), want, "{raw}");
        }
    }

    #[test]
    fn field_names() {
        for (raw, want) in [
            ("type", "r#type"),
            ("from", "from"),
            ("self", "self_"),
            ("webhookEventURL", "webhook_event_url"),
            ("page[number]", "page_number"),
            ("3ds", "n3ds"),
            ("@id", "id"),
            ("crate", "crate_"),
            ("async", "r#async"),
        ] {
            assert_eq!(field_name(raw), want, "{raw}");
        }
    }

    #[test]
    fn scopes_resolve_collisions_in_order() {
        let mut s = Scope::with_reserved(&["new"]);
        assert_eq!(s.claim("new"), "new_2");
        assert_eq!(s.claim("from"), "from");
        assert_eq!(s.claim("from"), "from_2");
        assert_eq!(s.claim("r#type"), "r#type");
        assert_eq!(s.claim("r#type"), "type_2");
        let mut t = Scope::default();
        assert_eq!(t.claim("Fax"), "Fax");
        assert_eq!(t.claim("Fax"), "Fax2");
    }
}

/// Any spec name, in any script, becomes a valid and lint-clean identifier;
/// letters of a non-Latin script are spelled out, not dropped.
#[cfg(test)]
mod unicode {
    use super::*;
    use proptest::prelude::*;

    fn is_upper_camel(s: &str) -> bool {
        s.starts_with(|c: char| c.is_ascii_uppercase()) && s.trim_end_matches('_').chars().all(|c| c.is_ascii_alphanumeric())
    }

    fn is_snake(s: &str) -> bool {
        let s = unraw(s);
        s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !s.contains("__")
    }

    #[test]
    fn scripts_are_transliterated() {
        for (raw, ty, field) in [
            ("Привет мир", "PrivetMir", "privet_mir"),
            ("北京", "BeiJing", "bei_jing"),
            ("café", "Cafe", "cafe"),
            ("Größe", "Grosse", "grosse"),
            ("🦄", "Unicorn", "unicorn"),
            ("한국어", "Hangugeo", "hangugeo"),
            ("αβγ", "Abg", "abg"),
        ] {
            assert_eq!(type_name(raw), ty, "{raw}");
            assert_eq!(field_name(raw), field, "{raw}");
        }
    }

    proptest! {
        #[test]
        fn any_string_is_a_clean_identifier(raw in "\\PC{0,12}") {
            let ty = type_name(&raw);
            prop_assert!(syn::parse_str::<syn::Ident>(&ty).is_ok(), "{raw:?} -> {ty}");
            prop_assert!(is_upper_camel(&ty), "{raw:?} -> {ty}");
            let field = field_name(&raw);
            prop_assert!(syn::parse_str::<syn::Ident>(&field).is_ok(), "{raw:?} -> {field}");
            prop_assert!(is_snake(&field), "{raw:?} -> {field}");
        }

        #[test]
        fn letters_of_any_script_are_kept(raw in "[\\p{Cyrillic}\\p{Greek}\\p{Han}\\p{Hangul}\\p{Arabic}]{1,8}") {
            prop_assume!(raw.chars().any(char::is_alphanumeric));
            prop_assert_ne!(type_name(&raw), "Empty", "{:?}", raw);
            prop_assert_ne!(field_name(&raw), "value", "{:?}", raw);
        }
    }
}

/// Whether a builder setter named `name` (`fn name(mut self, value) ->
/// Self`) has the shape of a standard operator trait's method (`Add::add`:
/// `self` by value, one argument), which clippy's `should_implement_trait`
/// flags. The name comes from the document and is kept, with the lint
/// allowed where it is emitted. (`eq`, `next`, `not`... take `&self` or no
/// argument: a setter does not look like them.)
pub fn std_trait_method(name: &str) -> bool {
    matches!(unraw(name), "add" | "sub" | "mul" | "div" | "rem" | "shl" | "shr" | "bitand" | "bitor" | "bitxor")
}
