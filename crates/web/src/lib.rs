//! # Parallax in the browser
//!
//! The kernels of `parallax-kernels` as a wasm module, for `www/worker.js` (a dedicated module
//! worker: the page's main thread never runs a kernel). No kernel code lives here: this crate
//! parses a request with the kernels' own parser (so the browser refuses bad input in the same
//! words as the server), runs it, and hands back checksum, summary and result buffer.
//!
//! Threads: wasm-bindgen-rayon's `initThreadPool(n)` starts a rayon pool on web workers; it
//! must resolve before any rayon call (../shared/toolchain.md, trap 12), which the worker
//! guarantees. Cancel and progress live in one [`Control`] at a fixed address of the shared
//! memory ([`control_ptr`]): the page reads and writes it with `Atomics` while the worker is
//! busy inside a synchronous [`run`].

mod animation;
mod panic_report;

pub use animation::{diffusion_advance, diffusion_begin, diffusion_finish, diffusion_frame};

use std::sync::Mutex;

use js_sys::{Object, Reflect, Uint8Array};
use parallax_kernels::colormap::{self, ColorMap};
use parallax_kernels::request::{self, RequestError, RequestErrorKind};
use parallax_kernels::{Control, Exec, diffusion, julia, primes, simd};
use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// The run's cancel flag and progress, shared with the page through the module's memory.
pub(crate) static CONTROL: Control = Control::new();

/// The last result, kept for [`take_buffer`] and [`take_picture`] so that the timed [`run`]
/// does no copying or colouring.
pub(crate) static LAST: Mutex<Option<Last>> = Mutex::new(None);

pub(crate) enum Last {
    Julia(julia::JuliaParams, julia::JuliaOutput),
    Diffusion(diffusion::DiffusionOutput),
    Primes(primes::PrimesOutput),
}

/// Installs the panic hooks: the message goes to the console (console_error_panic_hook) and
/// into shared memory, where the page's watchdog finds it even when the panic killed a pool
/// thread and left this worker blocked forever (../shared/toolchain.md, trap 13).
#[wasm_bindgen(start)]
pub fn start() {
    panic_report::install();
}

/// Address of the panic report in shared memory: `[flag_ptr, len_ptr, bytes_ptr, capacity]`.
#[wasm_bindgen]
pub fn panic_layout() -> Vec<u32> {
    panic_report::layout()
}

/// What this build is: threads compiled in, SIMD128, version, the kernels' SIMD level.
#[wasm_bindgen]
pub fn build_info() -> String {
    serde_json::json!({
        "build": if cfg!(feature = "threads") { "threads+simd" } else { "plain" },
        "threads": cfg!(feature = "threads"),
        "simd128": cfg!(target_feature = "simd128"),
        "simd": simd::Isa::detect().name(),
        "lanes": simd::widest_lanes(),
        "version": env!("CARGO_PKG_VERSION"),
    })
    .to_string()
}

/// Address of the shared [`Control`] in the module's memory, and the byte offsets of its
/// fields: `[ptr, cancel, done, total]`.
#[wasm_bindgen]
pub fn control_layout() -> Vec<u32> {
    let layout = Control::LAYOUT;
    let ptr = &CONTROL as *const Control as usize;
    [ptr, layout.cancel, layout.done, layout.total].iter().map(|&v| v as u32).collect()
}

/// Runs `workload` ("julia", "diffusion", "primes") on a request in the API's JSON form
/// (params plus `variant`, `threads`, `lanes`); `max_threads` is the pool size. Returns
/// `{ checksum, summary }` (checksum a decimal string, summary a JSON string); throws
/// `{ kind, field, message }`. The result stays here for [`take_buffer`] / [`take_picture`].
#[wasm_bindgen]
pub fn run(workload: &str, request_json: &str, max_threads: usize) -> Result<JsValue, JsValue> {
    // Not `reset()`: the cancel flag is cleared by the page before it posts the run, so a
    // Cancel pressed between that post and this call is not lost.
    CONTROL.start(0);
    *LAST.lock().unwrap_or_else(|e| e.into_inner()) = None;
    let result = match workload {
        "julia" => run_workload(request_json, max_threads, |p: &julia::JuliaParams, e| {
            let out = julia::run(p, e, &CONTROL)?;
            Ok((out.checksum, json(&out.summary), Last::Julia(p.clone(), out)))
        }),
        "diffusion" => run_workload(request_json, max_threads, |p: &diffusion::DiffusionParams, e| {
            let out = diffusion::run(p, e, &CONTROL)?;
            Ok((out.checksum, json(&out.summary), Last::Diffusion(out)))
        }),
        "primes" => run_workload(request_json, max_threads, |p: &primes::PrimesParams, e| {
            let out = primes::run(p, e, &CONTROL)?;
            Ok((out.checksum, json(&out.summary), Last::Primes(out)))
        }),
        other => Err(unknown_workload(other)),
    };
    match result {
        Ok((checksum, summary, last)) => {
            *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some(last);
            Ok(ran(checksum, summary))
        }
        Err(e) => Err(js_error(e)),
    }
}

/// Checks a request without running it: the same parsing and validation as [`run`] (and as the
/// server), so the page can show a field's message as it is typed. Throws like [`run`].
#[wasm_bindgen]
pub fn validate(workload: &str, request_json: &str, max_threads: usize) -> Result<(), JsValue> {
    let checked = match workload {
        "julia" => check::<julia::JuliaParams>(request_json, max_threads, |p, _| p.validate()),
        "diffusion" => check::<diffusion::DiffusionParams>(request_json, max_threads, |p, _| p.validate()),
        "primes" => check::<primes::PrimesParams>(request_json, max_threads, |p, e| p.validate_for(e.variant)),
        other => Err(unknown_workload(other)),
    };
    checked.map_err(js_error)
}

fn check<P: serde::de::DeserializeOwned>(
    request_json: &str,
    max_threads: usize,
    valid: impl FnOnce(&P, &Exec) -> Result<(), parallax_kernels::Error>,
) -> Result<(), RequestError> {
    let req = request::parse::<P>(request_json, max_threads.max(1))?;
    Ok(valid(&req.params, &req.exec)?)
}

fn unknown_workload(other: &str) -> RequestError {
    RequestError {
        kind: RequestErrorKind::Shape,
        field: Some("workload".into()),
        message: format!("workload = {other:?} is not a workload: allowed \"julia\", \"diffusion\" or \"primes\""),
    }
}

/// A refused request as the `{ kind, field, message }` object the worker rethrows.
pub(crate) fn js_error(e: RequestError) -> JsValue {
    let err = Object::new();
    let kind = match e.kind {
        RequestErrorKind::Malformed => "malformed",
        RequestErrorKind::Shape => "shape",
        RequestErrorKind::Range => "range",
    };
    set(&err, "kind", &kind.into());
    set(&err, "field", &e.field.map_or(JsValue::NULL, |f| f.into()));
    set(&err, "message", &e.message.into());
    err.into()
}


/// The last result's buffer, little-endian, row-major (julia u32 counts, diffusion f64 values,
/// primes of a range as u64s), or an empty array.
#[wasm_bindgen]
pub fn take_buffer() -> Uint8Array {
    let last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let bytes: Vec<u8> = match last.as_ref() {
        Some(Last::Julia(_, out)) => out.counts.iter().flat_map(|c| c.to_le_bytes()).collect(),
        Some(Last::Diffusion(out)) => out.grid.iter().flat_map(|v| v.to_le_bytes()).collect(),
        Some(Last::Primes(out)) => out.primes.iter().flat_map(|v| v.to_le_bytes()).collect(),
        None => Vec::new(),
    };
    Uint8Array::from(bytes.as_slice())
}

/// The last Julia or diffusion result as RGBA bytes in the shared colour map `map` ("grey" or
/// "fire"): the same pixels as the server's PNG. Empty for primes.
#[wasm_bindgen]
pub fn take_picture(map: &str) -> Uint8Array {
    let map = ColorMap::from_name(map).unwrap_or_default();
    let last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let rgba = match last.as_ref() {
        Some(Last::Julia(p, out)) => colormap::julia_rgba(&out.counts, p.max_iter, map),
        Some(Last::Diffusion(out)) => colormap::diffusion_rgba(&out.grid, diffusion::INITIAL_HEAT, map),
        _ => Vec::new(),
    };
    Uint8Array::from(rgba.as_slice())
}

pub(crate) fn run_workload<P: serde::de::DeserializeOwned, T>(
    request_json: &str,
    max_threads: usize,
    go: impl FnOnce(&P, &Exec) -> Result<T, parallax_kernels::Error>,
) -> Result<T, RequestError> {
    let req = request::parse::<P>(request_json, max_threads.max(1))?;
    go(&req.params, &req.exec).map_err(kernel_error)
}

/// A kernel's error as a refused request; a cancelled run says just "cancelled".
pub(crate) fn kernel_error(e: parallax_kernels::Error) -> RequestError {
    match e {
        parallax_kernels::Error::Cancelled => {
            RequestError { kind: RequestErrorKind::Range, field: None, message: "cancelled".into() }
        }
        e => e.into(),
    }
}

/// `{ checksum, summary }` as [`run`] returns it.
pub(crate) fn ran(checksum: u64, summary: String) -> JsValue {
    let out = Object::new();
    set(&out, "checksum", &checksum.to_string().into());
    set(&out, "summary", &summary.into());
    out.into()
}

pub(crate) fn json(summary: &impl serde::Serialize) -> String {
    serde_json::to_string(summary).unwrap_or_else(|_| "{}".into())
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property of a plain new object cannot fail.
    let _ = Reflect::set(obj, &key.into(), value);
}

/// Test-only: panics, inside a pool thread when `in_pool` (which kills that web worker and
/// leaves the caller waiting: what the page's watchdog must notice), else on the calling thread.
#[wasm_bindgen]
pub fn __test_panic(in_pool: bool) {
    if in_pool {
        rayon::join(|| (), || panic!("forced panic in a pool thread (test entry point)"));
    } else {
        panic!("forced panic in the worker (test entry point)");
    }
}
