//! # Parallax in the browser
//!
//! The kernels of `parallax-kernels` as a wasm module, for `www/kernels/worker.js` (a dedicated module
//! worker: the page's main thread never runs a kernel). No kernel code and no workload names
//! live here: [`run`] finds the workload in the kernels' registry by name, which parses and
//! validates the request (so the browser refuses bad input in the same words as the server),
//! runs it, and hands back checksum, summary, result buffer and picture; [`describe`] exports
//! the descriptions the page builds its forms from. Only the diffusion animation (chunks of
//! steps with a frame between them) is one workload's own (`animation.rs`).
//!
//! Threads: wasm-bindgen-rayon's `initThreadPool(n)` starts a rayon pool on web workers; it
//! must resolve before any rayon call (docs/toolchain.md, "Pool before rayon"), which the worker
//! guarantees. Cancel and progress live in one [`Control`] at a fixed address of the shared
//! memory ([`control_layout`]): the page reads and writes it with `Atomics` while the worker is
//! busy inside a synchronous [`run`].

mod animation;
mod panic_report;

pub use animation::{diffusion_advance, diffusion_begin, diffusion_finish, diffusion_frame};

use std::sync::Mutex;

use js_sys::{Object, Reflect, Uint8Array};
use parallax_kernels::colormap::{self, ColorMap};
use parallax_kernels::registry::{self, Finished};
use parallax_kernels::request::{RequestError, RequestErrorKind};
use parallax_kernels::{Control, Exec, simd};
use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// The run's cancel flag and progress, shared with the page through the module's memory.
pub(crate) static CONTROL: Control = Control::new();

/// The last result, kept for [`answer`], [`take_buffer`] and [`take_picture`] so that the timed
/// [`run`] does no checksum, copying or colouring.
pub(crate) static LAST: Mutex<Option<Last>> = Mutex::new(None);

/// A finished run and what its answer names.
pub(crate) struct Last {
    pub(crate) workload: &'static str,
    pub(crate) exec: Exec,
    pub(crate) out: Box<dyn Finished>,
}

pub(crate) fn set_last(last: Option<Last>) {
    *LAST.lock().unwrap_or_else(|e| e.into_inner()) = last;
}

/// Installs the panic hooks: the message goes to the console (console_error_panic_hook) and
/// into shared memory, where the page's watchdog finds it even when the panic killed a pool
/// thread and left this worker blocked forever (docs/toolchain.md, "A panic in a pool thread").
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
        "build": match (cfg!(feature = "threads"), cfg!(target_feature = "simd128")) {
            (true, _) => "threads+simd",
            (false, true) => "simd",
            (false, false) => "plain",
        },
        "threads": cfg!(feature = "threads"),
        "simd128": cfg!(target_feature = "simd128"),
        "simd": simd::Isa::detect().name(),
        "lanes": simd::widest_lanes(),
        "lane_choices": parallax_kernels::exec::LANE_CHOICES,
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

/// Every workload's description (the kernels' registry), as JSON text: the same as the
/// server's `GET /api/workloads`. The page builds its fields, defaults and presets from it.
#[wasm_bindgen]
pub fn describe() -> String {
    serde_json::to_string(&registry::descriptions()).unwrap_or_else(|_| "[]".into())
}

/// Runs `workload` (a name of [`describe`]) on a request in the API's JSON form (params plus
/// `variant`, `threads`, `lanes`); `max_threads` is the pool size. Throws `{ kind, field,
/// message }`, kind "cancelled" for a cancelled run. The result stays here for [`answer`],
/// [`take_buffer`] and [`take_picture`]: the page times this call alone, as the server times
/// its kernel without the answer's checksum and summary (docs/bench.md, "What kernel_ms holds").
#[wasm_bindgen]
pub fn run(workload: &str, request_json: &str, max_threads: usize) -> Result<(), JsValue> {
    // Progress only, not the flag: the cancel flag is cleared by the page before it posts the run, so a
    // Cancel pressed between that post and this call is not lost.
    CONTROL.start(0);
    set_last(None);
    let found = registry::find(workload).map_err(js_error)?;
    let prepared = found.prepare(request_json, max_threads).map_err(js_error)?;
    let out = prepared.run(&CONTROL).map_err(|e| js_error(e.into()))?;
    set_last(Some(Last { workload: found.name(), exec: prepared.exec(), out }));
    Ok(())
}

/// The last result's answer as JSON text, the server's object without its timings: `{ workload,
/// variant, threads, lanes, repeat, checksum, ...summary }`. Throws when no run has finished.
#[wasm_bindgen]
pub fn answer() -> Result<String, JsValue> {
    let last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let last = last.as_ref().ok_or_else(|| JsValue::from_str("no finished run to answer for"))?;
    Ok(answer_text(last.workload, &last.exec, last.out.as_ref()))
}

/// Checks a request without running it: the same parsing and validation as [`run`] (and as the
/// server), so the page can show a field's message as it is typed. Throws like [`run`].
#[wasm_bindgen]
pub fn validate(workload: &str, request_json: &str, max_threads: usize) -> Result<(), JsValue> {
    registry::find(workload).and_then(|w| w.prepare(request_json, max_threads)).map(|_| ()).map_err(js_error)
}

/// Checks params for the book's Python on Pyodide (`side: "python"`): the kernels' validation
/// and the Python side's own limit of work (its description's `python`). Throws like [`run`].
#[wasm_bindgen]
pub fn validate_python(workload: &str, params_json: &str) -> Result<(), JsValue> {
    registry::find(workload).and_then(|w| w.check_python(params_json)).map(|_| ()).map_err(js_error)
}

/// A refused request as the `{ kind, field, message }` object the worker rethrows.
pub(crate) fn js_error(e: RequestError) -> JsValue {
    let err = Object::new();
    let kind = match e.kind {
        RequestErrorKind::Malformed => "malformed",
        RequestErrorKind::Shape => "shape",
        RequestErrorKind::Range => "range",
        RequestErrorKind::Cancelled => "cancelled",
    };
    set(&err, "kind", &kind.into());
    set(&err, "field", &e.field.map_or(JsValue::NULL, |f| f.into()));
    set(&err, "message", &e.message.into());
    err.into()
}

/// The last result's buffer, little-endian, row-major (julia u32 counts, diffusion f64 values,
/// primes of a range as u64s), or an empty array when it has none.
#[wasm_bindgen]
pub fn take_buffer() -> Uint8Array {
    let last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let bytes = last.as_ref().and_then(|last| last.out.raw()).unwrap_or_default();
    Uint8Array::from(bytes.as_slice())
}

/// The last result's picture in the shared colour map `map` ("grey" or "fire"; ignored by
/// pictures with fixed colours): `{ width, height, rgba }`, the same pixels as the server's PNG,
/// or null when the workload draws none. Throws for an unknown map, as the server answers 400.
#[wasm_bindgen]
pub fn take_picture(map: &str) -> Result<JsValue, JsValue> {
    let map = colour_map(map)?;
    let last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let Some(picture) = last.as_ref().and_then(|last| last.out.picture(map)) else { return Ok(JsValue::NULL) };
    let out = Object::new();
    set(&out, "width", &picture.width.into());
    set(&out, "height", &picture.height.into());
    set(&out, "rgba", &Uint8Array::from(picture.rgba.as_slice()).into());
    Ok(out.into())
}

/// Julia counts computed elsewhere (the GPU side's, www/gpu/) coloured as every side colours its
/// own: the RGBA bytes of `colormap::julia_rgba`, so the GPU's picture is drawn from its buffer
/// in the same colours.
#[wasm_bindgen]
pub fn julia_rgba(counts: &[u32], max_iter: u32, map: &str) -> Result<Uint8Array, JsValue> {
    let map = colour_map(map)?;
    Ok(Uint8Array::from(colormap::julia_rgba(counts, max_iter, map).as_slice()))
}

/// The colour map called `name`, or the server's refusal in the same words.
pub(crate) fn colour_map(name: &str) -> Result<ColorMap, JsValue> {
    ColorMap::from_name(name).ok_or_else(|| {
        js_error(RequestError {
            kind: RequestErrorKind::Range,
            field: Some("map".into()),
            message: format!("map = {name:?} is not a colour map: allowed \"grey\" or \"fire\""),
        })
    })
}

/// The answer's JSON text, as [`run`] returns it.
pub(crate) fn answer_text(workload: &str, exec: &Exec, out: &dyn Finished) -> String {
    serde_json::to_string(&registry::answer(workload, exec, out)).unwrap_or_else(|_| "{}".into())
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
