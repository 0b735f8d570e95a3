//! Every workload, by name, behind one object-safe interface: what the fronts dispatch on. The
//! server mounts `/api/<name>` for each entry of [`all`] with one generic handler; the wasm
//! module's `run(name, …)` looks the name up with [`find`]. Each step of a run is a value:
//! a request is parsed and validated into a [`Prepared`] run, which runs into a [`Finished`]
//! result, which answers with its checksum, summary, picture or raw bytes.

use std::marker::PhantomData;

use serde_json::{Map, Value};

use crate::colormap::ColorMap;
use crate::request::{self, RequestError, RequestErrorKind};
use crate::workload::{Description, Picture, Workload};
use crate::{Control, Error, Exec, diffusion, julia, pi, primes};

/// Every workload, in the page's order.
pub fn all() -> &'static [&'static dyn AnyWorkload] {
    &[
        &Entry::<julia::Julia>(PhantomData),
        &Entry::<diffusion::Diffusion>(PhantomData),
        &Entry::<primes::Primes>(PhantomData),
        &Entry::<pi::Pi>(PhantomData),
    ]
}

/// Every workload's description, in the page's order: `GET /api/workloads` and the wasm
/// module's `describe()`.
pub fn descriptions() -> Vec<Description> {
    all().iter().map(|w| w.describe()).collect()
}

/// The workload called `name`, or a refusal naming the field `workload` and every name.
pub fn find(name: &str) -> Result<&'static dyn AnyWorkload, RequestError> {
    all().iter().copied().find(|w| w.name() == name).ok_or_else(|| {
        let names: Vec<String> = all().iter().map(|w| format!("{:?}", w.name())).collect();
        RequestError {
            kind: RequestErrorKind::Shape,
            field: Some("workload".into()),
            message: format!("workload = {name:?} is not a workload: allowed {}", names.join(", ")),
        }
    })
}

/// A workload with its types erased.
pub trait AnyWorkload: Sync {
    /// [`Workload::NAME`].
    fn name(&self) -> &'static str;
    /// [`Workload::describe`].
    fn describe(&self) -> Description;
    /// `Params::default()` as JSON: the book's case, every field.
    fn defaults(&self) -> Value;
    /// Parses a request in the API's JSON form (params plus `variant`, `threads`, `lanes`;
    /// `max_threads` bounds `threads` and is its default) and validates it for its variant.
    fn prepare(&self, request_json: &str, max_threads: usize) -> Result<Box<dyn Prepared>, RequestError>;
    /// Checks params (JSON, no exec fields needed) for the book's Python on Pyodide: the kernels'
    /// own validation, then [`Workload::python_work`] against its limit → that work.
    fn check_python(&self, params_json: &str) -> Result<u64, RequestError>;
}

/// A parsed, validated run, ready to go.
pub trait Prepared: Send + Sync {
    /// Its variant, lanes and threads.
    fn exec(&self) -> Exec;
    /// Whether `?format=png` applies to these params.
    fn has_picture(&self) -> bool;
    /// Whether `?format=raw` applies to these params.
    fn has_raw(&self) -> bool;
    /// Runs the kernel.
    fn run(&self, control: &Control) -> Result<Box<dyn Finished>, Error>;
}

/// A run's result.
pub trait Finished: Send + Sync {
    /// The checksum (docs/workloads.md).
    fn checksum(&self) -> u64;
    /// The summary fields.
    fn summary(&self) -> Map<String, Value>;
    /// The picture, if the workload draws one.
    fn picture(&self, map: ColorMap) -> Option<Picture>;
    /// The result buffer, if these params have one.
    fn raw(&self) -> Option<Vec<u8>>;
}

/// The answer to a run, as both fronts give it (the API's JSON object): `{ workload, variant,
/// threads, lanes, repeat, checksum, ...summary }`, `lanes` null for the reference variant, u64 values
/// as decimal strings. Each front adds its timings (`kernel_ms`, and the server's `queue_ms`).
pub fn answer(workload: &str, exec: &Exec, out: &dyn Finished) -> Map<String, Value> {
    let mut answer = Map::new();
    answer.insert("workload".into(), workload.into());
    answer.insert("variant".into(), exec.variant.as_str().into());
    answer.insert("threads".into(), exec.threads.into());
    let lanes = (exec.variant == crate::Variant::Simd).then(|| exec.effective_lanes());
    answer.insert("lanes".into(), lanes.into());
    answer.insert("repeat".into(), exec.repeat.into());
    answer.insert("checksum".into(), out.checksum().to_string().into());
    answer.extend(out.summary());
    answer
}

/// A finished run of `W` made outside the registry (the page's diffusion animation runs in
/// chunks and ends with the same output as one run).
pub fn finished<W: Workload>(params: W::Params, out: W::Output) -> Box<dyn Finished> {
    Box::new(Done::<W> { params, out })
}

struct Entry<W>(PhantomData<fn() -> W>);

impl<W: Workload> AnyWorkload for Entry<W> {
    fn name(&self) -> &'static str {
        W::NAME
    }

    fn describe(&self) -> Description {
        W::describe()
    }

    fn defaults(&self) -> Value {
        serde_json::to_value(W::Params::default()).unwrap_or(Value::Null)
    }

    fn prepare(&self, request_json: &str, max_threads: usize) -> Result<Box<dyn Prepared>, RequestError> {
        let req = request::parse::<W::Params>(request_json, max_threads.max(1))?;
        W::validate(&req.params, &req.exec)?;
        Ok(Box::new(Ready::<W> { params: req.params, exec: req.exec }))
    }

    fn check_python(&self, params_json: &str) -> Result<u64, RequestError> {
        let req = request::parse::<W::Params>(params_json, 1)?;
        W::validate(&req.params, &Exec::default())?;
        Ok(W::python_work(&req.params)?)
    }
}

struct Ready<W: Workload> {
    params: W::Params,
    exec: Exec,
}

impl<W: Workload> Prepared for Ready<W> {
    fn exec(&self) -> Exec {
        self.exec
    }

    // The formats are asked for once per server request, never by validation (every keystroke
    // of the page) or by the wasm module: the description is built only then.
    fn has_picture(&self) -> bool {
        W::describe().formats.png.is_some()
    }

    fn has_raw(&self) -> bool {
        let Some(raw) = W::describe().formats.raw else { return false };
        let task = serde_json::to_value(&self.params)
            .ok()
            .and_then(|v| v.get("task").and_then(Value::as_str).map(String::from));
        match (&raw.tasks, &task) {
            (Some(tasks), Some(task)) => tasks.contains(&task.as_str()),
            _ => true,
        }
    }

    /// Runs the kernel `repeat` times and keeps the last output; each earlier one is dropped
    /// before the next run starts, so a repeated run never holds two results at once.
    fn run(&self, control: &Control) -> Result<Box<dyn Finished>, Error> {
        let mut out = None;
        for _ in 0..self.exec.repeat.max(1) {
            drop(out.take());
            control.check()?;
            out = Some(W::run(&self.params, &self.exec, control)?);
        }
        let out = out.ok_or(Error::Cancelled)?;
        Ok(finished::<W>(self.params.clone(), out))
    }
}

struct Done<W: Workload> {
    params: W::Params,
    out: W::Output,
}

impl<W: Workload> Finished for Done<W> {
    fn checksum(&self) -> u64 {
        W::checksum(&self.out)
    }

    fn summary(&self) -> Map<String, Value> {
        W::summary(&self.out)
    }

    fn picture(&self, map: ColorMap) -> Option<Picture> {
        W::picture(&self.params, &self.out, map)
    }

    fn raw(&self) -> Option<Vec<u8>> {
        W::raw(&self.params, &self.out)
    }
}
