//! Counts per document, the summary table and the `--json` report.

use serde::Serialize;

/// One failure with the JSON pointer it is about.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// `spec-defect`, `decode-error`, `lossy`, `no-type`, `rejected`,
    /// `response-decode`, `argument`, `prism-unservable`, `transport`, ...;
    /// not judged: `unreferenced`, `no-schema`; Prism's limits:
    /// `prism-serializer`, `prism-quirk`, `prism-unroutable`, ...
    pub class: String,
    /// JSON pointer into the document.
    pub pointer: String,
    /// What happened.
    pub message: String,
}

impl Failure {
    /// A failure of `class` at `pointer`.
    pub fn new(class: &str, pointer: &str, message: String) -> Self {
        Failure { class: class.to_string(), pointer: pointer.to_string(), message }
    }
}

/// Examples round trip counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExampleCounts {
    /// Every example found.
    pub total: usize,
    /// Decoded and re-encoded to the same JSON, nothing misplaced.
    pub ok: usize,
    /// serde refused it.
    pub decode_error: usize,
    /// Decoded but changed or misplaced.
    pub lossy: usize,
    /// Invalid against its own schema (not counted against the generator).
    pub spec_defect: usize,
    /// No generated type found at the place, or a type without serde.
    pub no_type: usize,
    /// Not judged: the example's schema sits in a schema's `definitions` /
    /// `$defs` entry no `$ref` of the document reaches, so no value of the
    /// API ever has that schema and the generator (rightly) lowers no type
    /// for it (Codat's `DataConnection/definitions/dataConnectionSourceType`).
    pub unreferenced: usize,
    /// Not judged: the example sits on a media type that declares no
    /// schema (Twitch's `text/calendar` answer, a `400` with only an
    /// example), so nothing says which type should hold it; the client
    /// keeps such a body as it came.
    pub no_schema: usize,
}

impl ExampleCounts {
    /// Examples judged (all but spec defects and unreferenced schemas).
    pub fn judged(&self) -> usize {
        self.total - self.spec_defect - self.unreferenced - self.no_schema
    }

    /// `ok` over judged, in percent (100 when nothing was judged).
    pub fn percent(&self) -> f64 {
        pct(self.ok, self.judged())
    }
}

/// Operation call counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OpCounts {
    /// Operations in the generated API.
    pub operations: usize,
    /// Calls made (all, or the sample).
    pub called: usize,
    /// Not refused by Prism's validator.
    pub accepted: usize,
    /// Success response decoded into the generated type.
    pub decoded: usize,
    /// Refused by Prism's validator (4xx with `sl-violations` or a Prism problem).
    pub rejected: usize,
    /// Arguments could not be built from the document's values.
    pub not_sent: usize,
    /// Accepted, but Prism mocked a non-success answer (nothing to decode).
    pub no_success: usize,
    /// Prism could not produce an answer for a valid request, or misread
    /// it (repeated form keys read as a string; counted apart).
    pub prism_unservable: usize,
    /// The response Prism built from the document contradicts the
    /// document's own response schema (a spec defect, counted apart).
    pub response_spec_defect: usize,
    /// No HTTP answer at all.
    pub transport: usize,
    /// Not called: an argument type holds a file part and has no serde, so
    /// the harness cannot build it from JSON (counted apart).
    pub not_built: usize,
}

impl OpCounts {
    /// Accepted over the calls Prism could serve, in percent.
    pub fn accepted_percent(&self) -> f64 {
        pct(self.accepted, self.called - self.prism_unservable - self.transport - self.not_built)
    }

    /// Decoded over the accepted calls that had a success answer, in percent.
    pub fn decoded_percent(&self) -> f64 {
        pct(self.decoded, self.accepted - self.no_success - self.response_spec_defect)
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Everything measured on one document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocReport {
    /// The document's path as given.
    pub document: String,
    /// Generation error, if generation failed.
    pub generate_error: Option<String>,
    /// Generator warnings.
    pub warnings: usize,
    /// Build error (compiler output, shortened), if the build failed.
    pub build_error: Option<String>,
    /// Whether the crate (and harness) compiled.
    pub compiled: bool,
    /// Examples.
    pub examples: ExampleCounts,
    /// Operations.
    pub operations: OpCounts,
    /// `ok`, `not run`, `not installed`, or why Prism could not serve the document.
    pub prism: String,
    /// Wall time of each stage in seconds: generate, build, examples, prism.
    pub seconds: Vec<(String, f64)>,
    /// Every failure.
    pub failures: Vec<Failure>,
}

impl DocReport {
    /// Total wall time in seconds.
    pub fn total_seconds(&self) -> f64 {
        self.seconds.iter().map(|(_, s)| s).sum()
    }
}

/// The summary table (markdown).
pub fn table(reports: &[DocReport]) -> String {
    let mut s = String::from(
        "| document | generated | compiles | examples ok / decode-error / lossy / spec-defect / no-type (ok %) | operations accepted / decoded of called (%) | prism | seconds |\n|---|---|---|---|---|---|---|\n",
    );
    for r in reports {
        let gen = match &r.generate_error {
            None => format!("yes ({} warnings)", r.warnings),
            Some(e) => format!("no: {}", shorten(e, 160)),
        };
        let compiles = if r.generate_error.is_some() {
            "-".to_string()
        } else if r.compiled {
            "yes".to_string()
        } else {
            format!("no: {}", shorten(r.build_error.as_deref().unwrap_or(""), 160))
        };
        let e = &r.examples;
        let ex = if r.compiled {
            let mut apart = String::new();
            if e.unreferenced > 0 {
                apart.push_str(&format!("; apart: {} in unreferenced definitions", e.unreferenced));
            }
            if e.no_schema > 0 {
                apart.push_str(&format!("; apart: {} on media types without a schema", e.no_schema));
            }
            format!("{} / {} / {} / {} / {} ({:.1} %){apart}", e.ok, e.decode_error, e.lossy, e.spec_defect, e.no_type, e.percent())
        } else {
            "-".into()
        };
        let o = &r.operations;
        let ops = if o.called > 0 {
            format!(
                "{} / {} of {} ({:.1} % / {:.1} %){}",
                o.accepted,
                o.decoded,
                o.called,
                o.accepted_percent(),
                o.decoded_percent(),
                if o.called < o.operations { format!(", sample of {}", o.operations) } else { String::new() }
            ) + &apart(o)
        } else {
            "-".into()
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {:.0} |\n",
            r.document,
            gen.replace('|', "\\|"),
            compiles.replace('|', "\\|"),
            ex,
            ops,
            shorten(&r.prism, 120).replace('|', "\\|"),
            r.total_seconds()
        ));
    }
    s
}

/// What is counted apart from the percentages.
fn apart(o: &OpCounts) -> String {
    let mut v = Vec::new();
    if o.response_spec_defect > 0 {
        v.push(format!("{} mocked responses contradict their schema", o.response_spec_defect));
    }
    if o.prism_unservable > 0 {
        v.push(format!("{} Prism could not answer", o.prism_unservable));
    }
    if o.not_built > 0 {
        v.push(format!("{} not built (file-part argument)", o.not_built));
    }
    if o.transport > 0 {
        v.push(format!("{} no answer", o.transport));
    }
    if v.is_empty() { String::new() } else { format!("; apart: {}", v.join(", ")) }
}

/// First `n` characters of the first meaningful lines, on one line.
pub fn shorten(s: &str, n: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > n {
        format!("{}…", one.chars().take(n).collect::<String>())
    } else {
        one
    }
}
