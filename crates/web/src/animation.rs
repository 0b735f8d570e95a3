//! Diffusion in chunks of steps, for the page's animation: `diffusion_begin` sets up a run,
//! each `diffusion_advance` takes some steps (the worker draws a frame in between), and
//! `diffusion_finish` hands back what [`run`](crate::run) would have: the kernels guarantee
//! that any split into chunks ends with the same bits as one run (`DiffusionRun::step_chunk`).
//!
//! Cancel and progress use the same shared [`CONTROL`] as every run; the cancel flag holds for
//! the whole animation: the page clears it only before it posts its next run.

use std::sync::Mutex;

use js_sys::Uint8Array;
use parallax_kernels::colormap;
use parallax_kernels::diffusion::{self, Diffusion, DiffusionParams, DiffusionRun};
use parallax_kernels::request::{self, RequestError, RequestErrorKind};
use parallax_kernels::workload::Workload;
use parallax_kernels::{Error, Exec, registry};
use wasm_bindgen::prelude::*;

use crate::{CONTROL, Last, colour_map, js_error, set_last};

/// The animation in progress: its state between chunks and how each chunk runs.
static ANIMATION: Mutex<Option<(DiffusionRun, Exec)>> = Mutex::new(None);

fn animation() -> std::sync::MutexGuard<'static, Option<(DiffusionRun, Exec)>> {
    ANIMATION.lock().unwrap_or_else(|e| e.into_inner())
}

fn none_running() -> JsValue {
    js_error(RequestError {
        kind: RequestErrorKind::Shape,
        field: None,
        message: "no diffusion animation is running: call diffusion_begin first".into(),
    })
}

/// Validates a diffusion request (the API's JSON) and sets up its initial grid; returns the
/// number of steps to take. Replaces any animation in progress.
#[wasm_bindgen]
pub fn diffusion_begin(request_json: &str, max_threads: usize) -> Result<u32, JsValue> {
    // Progress only, not the flag: the cancel flag is cleared by the page before it posts the run, so a
    // Cancel pressed between that post and this call is not lost.
    CONTROL.start(0);
    set_last(None);
    *animation() = None;
    let req = request::parse::<DiffusionParams>(request_json, max_threads.max(1)).map_err(js_error)?;
    Diffusion::validate(&req.params, &req.exec).map_err(|e| js_error(e.into()))?;
    // An animation is timed chunk by chunk: it repeats nothing.
    if req.exec.repeat != 1 {
        let message = format!("repeat = {} applies to a run, not to a drawn animation: omit it", req.exec.repeat);
        return Err(js_error(Error::Invalid { field: "repeat", message }.into()));
    }
    let state = DiffusionRun::new(&req.params).map_err(|e| js_error(e.into()))?;
    let exec = req.exec;
    let steps = state.steps_left();
    *animation() = Some((state, exec));
    Ok(steps)
}

/// Takes up to `steps` more steps; returns the steps done so far. Throws kind "cancelled" once
/// the page raised the cancel flag (the state stays at the last whole step).
#[wasm_bindgen]
pub fn diffusion_advance(steps: u32) -> Result<u32, JsValue> {
    let mut guard = animation();
    let (state, exec) = guard.as_mut().ok_or_else(none_running)?;
    state.step_chunk(steps, exec, &CONTROL).map_err(|e| js_error(e.into()))?;
    Ok(state.steps_done())
}

/// The current grid as RGBA bytes in colour map `map` (the same pixels as the server's PNG
/// once all steps are done).
#[wasm_bindgen]
pub fn diffusion_frame(map: &str) -> Result<Uint8Array, JsValue> {
    let map = colour_map(map)?;
    let guard = animation();
    let rgba = guard
        .as_ref()
        .map(|(state, _)| colormap::diffusion_rgba(state.grid(), diffusion::INITIAL_HEAT, map))
        .unwrap_or_default();
    Ok(Uint8Array::from(rgba.as_slice()))
}

/// Ends the animation: the final grid becomes the last result, as `run`'s does, for `answer`,
/// `take_buffer` and `take_picture`.
#[wasm_bindgen]
pub fn diffusion_finish() -> Result<(), JsValue> {
    let (state, exec) = animation().take().ok_or_else(none_running)?;
    let params = state.params().clone();
    let out = registry::finished::<Diffusion>(params, state.into_output());
    set_last(Some(Last { workload: Diffusion::NAME, exec, out }));
    Ok(())
}
