//! Errors and diagnostics. Every problem names where in the document it is
//! (a JSON pointer, and a line when the YAML parser knows it), so a user can
//! jump straight to it.

use std::fmt;

/// How bad a diagnostic is. `Error` stops generation; `Warning` means the
/// generator did something other than what the spec literally says (and says
/// what); `Note` records a deliberate, harmless choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational: a deliberate mapping choice.
    Note,
    /// Something the generator worked around.
    Warning,
    /// Generation cannot continue.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding about the input document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// A short stable kind, for counting (`fallback-json`, `duplicate-operation-id`, ...).
    pub kind: &'static str,
    /// JSON pointer into the (normalised) document, e.g. `/paths/~1faxes/get`.
    pub pointer: String,
    /// What happened and what the generator did instead.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}] at {}: {}", self.severity, self.kind, pointer_or_root(&self.pointer), self.message)
    }
}

fn pointer_or_root(p: &str) -> &str {
    if p.is_empty() {
        "/"
    } else {
        p
    }
}

/// Collects diagnostics while a stage runs.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, severity: Severity, kind: &'static str, pointer: impl Into<String>, message: impl Into<String>) {
        self.items.push(Diagnostic { severity, kind, pointer: pointer.into(), message: message.into() });
    }
    /// Records a warning.
    pub fn warn(&mut self, kind: &'static str, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, kind, pointer, message);
    }
    /// Records a note.
    pub fn note(&mut self, kind: &'static str, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Note, kind, pointer, message);
    }
    /// All diagnostics, in the order they were found.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }
    /// Consumes the collector.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
    /// Appends another collector's findings.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

/// A fatal error: the document could not be turned into code.
#[derive(Debug)]
pub struct Error {
    /// The file being read, when known.
    pub file: Option<String>,
    /// JSON pointer of the offending node ("" for the whole document).
    pub pointer: Option<String>,
    /// 1-based line and column, when the parser knows them.
    pub line: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl Error {
    /// An error at a JSON pointer.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error { file: None, pointer: Some(pointer.into()), line: None, message: message.into() }
    }
    /// An error with no location (I/O and the like).
    pub fn msg(message: impl Into<String>) -> Self {
        Error { file: None, pointer: None, line: None, message: message.into() }
    }
    /// Attaches the file name.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }
}

impl fmt::Display for Error {
    /// One line: `file:line:col: at /json/pointer: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some((l, c)) = self.line {
                write!(f, ":{l}:{c}")?;
            }
            f.write_str(": ")?;
        } else if let Some((l, c)) = self.line {
            write!(f, "line {l}, column {c}: ")?;
        }
        if let Some(p) = &self.pointer {
            write!(f, "at {}: ", pointer_or_root(p))?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON-pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/token`, escaped.
pub fn join(base: &str, token: &str) -> String {
    let mut s = String::with_capacity(base.len() + token.len() + 1);
    s.push_str(base);
    s.push('/');
    s.push_str(&escape_token(token));
    s
}
