//! `parallax-bench`: the native side of `cargo xtask bench` (tests/bench/run.mjs drives it).
//!
//! It reads one JSON object per line on stdin and answers one per line on stdout, so the
//! harness can interleave it run by run with the server and the browser (A B A B …) while the
//! kernels stay in this process: no HTTP, no JSON of the results, nothing but the call timed.
//! The timing is a plain `Instant` around the registry's run (criterion would take the
//! interleaving away from the harness), divided by `repeat` like the server's `kernel_ms`.
//!
//! Requests:
//! - `{"op":"info"}` → `{ cpu, isa, lanes, threads, mhz }`
//! - `{"op":"run","workload":W,"request":{…params, variant, threads, lanes, repeat}}` → the
//!   API's answer (`registry::answer`) plus `kernel_ms`
//! - `{"op":"copy","cells":N,"threads":T}` → `{ kernel_ms }`: one copy of an N-cell f64 grid
//! - `{"op":"julia_avx2","params":{…julia params},"threads":T}` → `{ checksum, kernel_ms }`
//!
//! A failure answers `{"error": "…"}`, a refusal of the kernels (a request they do not take,
//! e.g. a task a variant refuses) `{"error": "…", "field": …, "refusal": true}`, and the loop
//! goes on.

mod copy;
mod julia_avx2;

use std::io::{BufRead, Write};
use std::time::Instant;

use parallax_kernels::{Control, registry, simd};
use serde_json::{Value, json};

fn main() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // One pool for every run, like the server's: a run asks for its thread count of it.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("bench-{i}"))
        .build()
        .expect("the benchmark's thread pool starts");
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Value>(&line) {
            Ok(request) => pool.install(|| answer(&request, threads)).unwrap_or_else(|e| e.into_json()),
            Err(e) => json!({ "error": format!("not JSON: {e}") }),
        };
        if writeln!(stdout, "{answer}").and_then(|()| stdout.flush()).is_err() {
            break;
        }
    }
}

/// Why a request got no answer: the kernels refused it (`field`), or something failed.
enum Failure {
    Refused { field: Option<String>, message: String },
    Failed(String),
}

impl Failure {
    fn into_json(self) -> Value {
        match self {
            Failure::Refused { field, message } => json!({ "error": message, "field": field, "refusal": true }),
            Failure::Failed(message) => json!({ "error": message }),
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Failed(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure::Failed(message.into())
    }
}

fn answer(request: &Value, pool_threads: usize) -> Result<Value, Failure> {
    let threads = || -> Result<usize, String> {
        let t = request["threads"].as_u64().unwrap_or(1) as usize;
        if (1..=pool_threads).contains(&t) { Ok(t) } else { Err(format!("threads = {t}: allowed 1 to {pool_threads}")) }
    };
    match request["op"].as_str() {
        Some("info") => Ok(json!({
            "cpu": cpu_model(),
            "isa": simd::Isa::detect().name(),
            "lanes": simd::widest_lanes(),
            "threads": pool_threads,
            "mhz": cpu_mhz(),
        })),
        Some("run") => run(request, pool_threads),
        Some("copy") => {
            let cells = request["cells"].as_u64().ok_or("cells: a count of f64 cells")? as usize;
            if !(1..=copy::MAX_CELLS).contains(&cells) {
                return Err(format!("cells = {cells}: allowed 1 to {}", copy::MAX_CELLS).into());
            }
            Ok(json!({ "kernel_ms": copy::time_one_copy(cells, threads()?) }))
        }
        Some("julia_avx2") => {
            let params = serde_json::from_value(request["params"].clone())
                .map_err(|e| Failure::Failed(format!("params: {e}")))?;
            let (checksum, ms) = julia_avx2::run(&params, threads()?)?;
            Ok(json!({ "checksum": checksum.to_string(), "kernel_ms": ms }))
        }
        other => Err(format!("op = {other:?}: allowed \"info\", \"run\", \"copy\", \"julia_avx2\"").into()),
    }
}

/// One run through the registry, as the server runs it (the same parser, validation, repeat).
fn run(request: &Value, pool_threads: usize) -> Result<Value, Failure> {
    let name = request["workload"].as_str().ok_or("workload: a workload's name")?;
    let refused = |e: parallax_kernels::request::RequestError| Failure::Refused { field: e.field, message: e.message };
    let workload = registry::find(name).map_err(refused)?;
    let prepared = workload.prepare(&request["request"].to_string(), pool_threads).map_err(refused)?;
    let exec = prepared.exec();
    let started = Instant::now();
    let out = prepared.run(&Control::new()).map_err(|e| e.to_string())?;
    let kernel_ms = started.elapsed().as_secs_f64() * 1e3 / f64::from(exec.repeat.max(1));
    let mut answer = registry::answer(name, &exec, out.as_ref());
    answer.insert("kernel_ms".into(), kernel_ms.into());
    Ok(Value::Object(answer))
}

/// `model name` of /proc/cpuinfo, or "unknown".
fn cpu_model() -> String {
    cpuinfo_field("model name").unwrap_or_else(|| "unknown".into())
}

/// `cpu MHz` of /proc/cpuinfo (a VM reports its nominal clock), or null.
fn cpu_mhz() -> Option<f64> {
    cpuinfo_field("cpu MHz")?.parse().ok()
}

fn cpuinfo_field(name: &str) -> Option<String> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    text.lines().find(|l| l.starts_with(name))?.split_once(':').map(|(_, v)| v.trim().to_string())
}
