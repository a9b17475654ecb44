//! Generation, stage by stage, against the floor (YAML -> `serde_json::Value`).
//!
//! `cargo bench -p codegen --bench stages [-- --rounds N --spec FILE ...]`
//!
//! A plain harness (`harness = false`), not divan or criterion, because the
//! figures that matter are ratios on a noisy, shared 2-core machine: every
//! round runs *every* stage once, one after the other, so all stages of a
//! round see the same load, and a ratio (end to end / floor) is taken per
//! round before its median is reported. Each stage is timed alone, with its
//! input prepared (and its output dropped) outside the timer:
//!
//! | stage     | what is timed                                                   |
//! |-----------|-----------------------------------------------------------------|
//! | read      | `fs::read_to_string` of the document                            |
//! | parse     | `load::parse_value`: YAML -> `serde_json::Value` (**the floor**) |
//! | normalize | `normalize::check_version` + `normalize::normalize` (3.1 -> 3.0)  |
//! | typing    | `serde_json::Value` -> `openapiv3::OpenAPI`                      |
//! | lower     | `lower::lower`: `openapiv3` -> IR                               |
//! | emit      | `emit::emit`: IR -> tokens -> `syn` -> `prettyplease` strings    |
//! | emit-1t   | the same with `EmitConfig::threads = 1` (not part of `total`)   |
//! | write     | `write::write_dir` into a temporary directory                   |
//! | total     | `generate_file` + `write_dir`, one call, as `xtask generate` (dropping the results included) |
//!
//! Heap figures come from a counting global allocator, switched on for the
//! first (untimed) round only, so the timed rounds do not pay for shared
//! counters (which would slow down the threads of `emit`): `peak` is the
//! highest live heap during the stage (what was live before it included),
//! `kept` what is still live after it (its inputs and outputs). Results go to stdout as a
//! Markdown table; `--tsv FILE` also writes them tab-separated.

use std::alloc::{GlobalAlloc, Layout};

/// The allocator the generator's binaries use (`xtask`, `openapi-rust-gen`),
/// so the stages are timed as they run there.
static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use codegen::{emit, load, lower, normalize, write, EmitConfig};

/// Counts live heap bytes and their high-water mark (forwarding to [`INNER`]).
struct Counting;

/// Counting is on: only during the memory round.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Net bytes allocated since counting was switched on (signed: blocks
/// allocated before may be freed during it).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards every call to `INNER` unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { INNER.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { INNER.dealloc(ptr, layout) };
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Relaxed);
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { INNER.realloc(ptr, layout, new_size) };
        if !p.is_null() && COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Relaxed);
            grow(new_size);
        }
        p
    }
}

fn grow(n: usize) {
    if COUNTING.load(Relaxed) {
        let live = LIVE.fetch_add(n as isize, Relaxed) + n as isize;
        PEAK.fetch_max(live, Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const STAGES: [&str; 9] = ["read", "parse", "normalize", "typing", "lower", "emit", "emit-1t", "write", "total"];

#[derive(Default)]
struct Samples {
    /// `times[stage]`: one duration per round.
    times: Vec<Vec<Duration>>,
    peak: Vec<usize>,
    kept: Vec<usize>,
}

/// Runs `f`, returning its output, its duration and the heap peak during it.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, usize) {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    let start = Instant::now();
    let out = std::hint::black_box(f());
    let elapsed = start.elapsed();
    (out, elapsed, PEAK.load(Relaxed).max(0) as usize)
}

fn one_round(spec: &Path, cfg: &EmitConfig, out_dir: &Path, s: &mut Samples) {
    let mut record = |i: usize, d: Duration, peak: usize| {
        s.times[i].push(d);
        s.peak[i] = s.peak[i].max(peak);
        s.kept[i] = s.kept[i].max(LIVE.load(Relaxed).max(0) as usize);
    };
    let (text, d, p) = timed(|| std::fs::read_to_string(spec).expect("read spec"));
    record(0, d, p);
    let (value, d, p) = timed(|| load::parse_value(&text, false).expect("parse"));
    record(1, d, p);
    let mut normalized = value.clone();
    drop(value);
    let (version, d, p) = timed(|| {
        let mut diags = codegen::diagnostics::Diagnostics::default();
        let version = normalize::check_version(&normalized).expect("version");
        normalize::normalize(&mut normalized, &version, &mut diags).expect("normalize");
        (version, diags)
    });
    record(2, d, p);
    let (openapi, d, p) = timed(|| load::deserialize_at_pointer::<openapiv3::OpenAPI>(&normalized, "").expect("typing"));
    record(3, d, p);
    let (declared_version, diagnostics) = version;
    let spec_loaded = load::LoadedSpec { openapi, raw: normalized, declared_version, diagnostics };
    let (api, d, p) = timed(|| {
        let mut diags = spec_loaded.diagnostics.clone();
        lower::lower(&spec_loaded, &mut diags).expect("lower")
    });
    record(4, d, p);
    drop(spec_loaded);
    drop(text);
    let (files, d, p) = timed(|| emit::emit(&api, cfg).expect("emit"));
    record(5, d, p);
    let one_thread = EmitConfig { threads: 1, ..cfg.clone() };
    let (files_1t, d, p) = timed(|| emit::emit(&api, &one_thread).expect("emit"));
    record(6, d, p);
    assert!(files_1t == files, "the output depends on the thread count");
    drop(files_1t);
    drop(api);
    let ((), d, p) = timed(|| write::write_dir(out_dir, &files).expect("write"));
    record(7, d, p);
    drop(files);
    let ((), d, p) = timed(|| {
        let generated = codegen::generate_file(spec, cfg).expect("generate");
        write::write_dir(out_dir, &generated.files).expect("write");
    });
    record(8, d, p);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median_min_max(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 };
    (median, v[0], v[n - 1])
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf();
    let mut specs: Vec<PathBuf> = Vec::new();
    let mut rounds: Option<usize> = None;
    let mut tsv: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()),
            // Relative paths are relative to the workspace root (cargo runs
            // benches in the package directory).
            "--spec" => specs.extend(args.next().map(|p| root.join(p))),
            "--tsv" => tsv = args.next().map(PathBuf::from),
            _ => {} // `--bench` and filters passed by cargo
        }
    }
    if specs.is_empty() {
        specs.push(root.join("spec/telnyx-fax.yml"));
        let full = std::env::var_os("BENCH_FULL_SPEC")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/upstream/telnyx/full-2026-07-16.yml"));
        if full.exists() {
            specs.push(full);
        } else {
            eprintln!("note: {} not found; benchmarking the fax spec only", full.display());
        }
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut tsv_text = String::from("spec\tstage\tmedian_ms\tmin_ms\tmax_ms\tpeak_heap_mb\tkept_heap_mb\trounds\n");
    println!("| document | stage | median ms | min ms | max ms | peak heap MB | kept heap MB |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    let mut ratios_out = Vec::new();
    for spec in &specs {
        let size = std::fs::metadata(spec).map(|m| m.len()).unwrap_or(0);
        // About 20 s per document: many rounds for the small one, few for the whole API.
        let n = rounds.unwrap_or(if size < 500_000 { 40 } else { 9 });
        let label = spec.file_name().and_then(|f| f.to_str()).unwrap_or("spec").to_string();
        let cfg = EmitConfig { spec_label: label.clone(), ..EmitConfig::default() };
        let out_dir = tmp.path().join("generated");
        // Memory round (also the warm-up: page cache, allocator): its heap
        // figures are kept, its times are not.
        let mut mem = Samples { times: vec![Vec::new(); STAGES.len()], peak: vec![0; STAGES.len()], kept: vec![0; STAGES.len()] };
        LIVE.store(0, Relaxed);
        COUNTING.store(true, Relaxed);
        one_round(spec, &cfg, &out_dir, &mut mem);
        COUNTING.store(false, Relaxed);
        let mut s = Samples { times: vec![Vec::new(); STAGES.len()], peak: mem.peak, kept: mem.kept };
        for _ in 0..n {
            one_round(spec, &cfg, &out_dir, &mut s);
        }
        for (i, stage) in STAGES.iter().enumerate() {
            let (med, min, max) = median_min_max(s.times[i].iter().map(|d| ms(*d)).collect());
            let name = if *stage == "parse" { "parse (floor)" } else { stage };
            println!(
                "| {label} | {name} | {med:.2} | {min:.2} | {max:.2} | {:.1} | {:.1} |",
                mb(s.peak[i]),
                mb(s.kept[i])
            );
            tsv_text.push_str(&format!(
                "{label}\t{stage}\t{med:.3}\t{min:.3}\t{max:.3}\t{:.1}\t{:.1}\t{n}\n",
                mb(s.peak[i]),
                mb(s.kept[i])
            ));
        }
        // Per-round ratios: total / floor, where floor = read + parse (the
        // sum of stages leaves `emit-1t` out).
        let per_round = |num: &dyn Fn(usize) -> f64| -> (f64, f64, f64) {
            median_min_max((0..n).map(|r| num(r) / (ms(s.times[0][r]) + ms(s.times[1][r]))).collect())
        };
        let total = per_round(&|r| ms(s.times[8][r]));
        let sum_of_stages = per_round(&|r| [0, 1, 2, 3, 4, 5, 7].iter().map(|&i| ms(s.times[i][r])).sum());
        let speedup = median_min_max((0..n).map(|r| ms(s.times[6][r]) / ms(s.times[5][r])).collect());
        ratios_out.push(format!(
            "| {label} | {n} | {:.2} ({:.2}–{:.2}) | {:.2} ({:.2}–{:.2}) | {:.2} ({:.2}–{:.2}) |",
            total.0, total.1, total.2, sum_of_stages.0, sum_of_stages.1, sum_of_stages.2, speedup.0, speedup.1, speedup.2
        ));
        tsv_text.push_str(&format!("{label}\ttotal/floor\t{:.3}\t{:.3}\t{:.3}\t\t\t{n}\n", total.0, total.1, total.2));
    }
    println!();
    println!("| document | rounds | total / floor, median (min–max) | sum of stages / floor | emit-1t / emit |");
    println!("|---|---:|---:|---:|---:|");
    for r in &ratios_out {
        println!("{r}");
    }
    if let Some(path) = tsv {
        std::fs::write(&path, tsv_text).expect("write tsv");
    }
}
