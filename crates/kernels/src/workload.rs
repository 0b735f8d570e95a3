//! One description per workload: everything both fronts need to know about a workload, written
//! once, here, beside its kernels.
//!
//! A workload implements [`Workload`]: its name, its params (whose `Default` is the book's
//! case), its [`Description`] (the field schema with labels, units and allowed ranges, the
//! presets of the book's cases, the formats it answers in, its limits), one validation entry
//! point that takes the run's variant, the run itself, and what a result shows: checksum,
//! summary, picture, raw bytes. [`crate::registry`] lists every workload and erases the types,
//! so the server mounts `/api/<name>` with one generic handler, the wasm module dispatches by
//! name with one generic function, and the page builds its forms from the same description
//! (served as `GET /api/workloads` and as the module's `describe()`).
//!
//! Adding a workload is a kernels module with an `impl Workload`, a line in the registry, a
//! page module for what only it draws (`www/workloads/<name>.js`) and its tests.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::colormap::ColorMap;
use crate::python::PythonSide;
use crate::{Control, Error, Exec};

/// A workload, described once for every front.
pub trait Workload: 'static {
    /// The route's last segment (`/api/<NAME>`), the `workload` field of answers, the page's
    /// panel id.
    const NAME: &'static str;
    /// The params of a run; `Default` is the book's case, which is what `{}` runs.
    type Params: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static;
    /// What a run produces.
    type Output: Send + Sync + 'static;

    /// The description: fields, presets, formats, limits (built with [`Description::of`], which
    /// takes every default from `Params::default()`).
    fn describe() -> Description;
    /// The one validation entry point: params and exec together, since some limits depend on
    /// the variant. Every front calls it before queueing a run; `run` calls it again.
    fn validate(params: &Self::Params, exec: &Exec) -> Result<(), Error>;
    /// Runs the kernel (validating first).
    fn run(params: &Self::Params, exec: &Exec, control: &Control) -> Result<Self::Output, Error>;
    /// The checksum of the result (a u64, sent as a decimal string): the proof both sides agree.
    fn checksum(out: &Self::Output) -> u64;
    /// The summary fields of an answer (u64 values as decimal strings).
    fn summary(out: &Self::Output) -> Map<String, Value>;
    /// The picture of a result in colour map `map` (ignored by pictures without one), if the
    /// workload draws one: the same RGBA bytes on every platform.
    fn picture(_params: &Self::Params, _out: &Self::Output, _map: ColorMap) -> Option<Picture> {
        None
    }
    /// The result buffer, little-endian, row-major, if these params have one.
    fn raw(_params: &Self::Params, _out: &Self::Output) -> Option<Vec<u8>> {
        None
    }
    /// The work the book's Python (`www/python/<NAME>.py`, on Pyodide in the browser) would do
    /// on these params, in [`PythonSide::unit`]s, or a refusal naming the field when the book
    /// has no Python for them or they are over its limits ([`crate::python::python_check`]).
    fn python_work(_params: &Self::Params) -> Result<u64, Error> {
        Err(Error::Invalid { field: "workload", message: format!("{}: the book has no Python for it", Self::NAME) })
    }
}

/// A picture as RGBA bytes, row-major, row 0 at the top.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Picture {
    /// Pixels per row.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// `width × height × 4` bytes.
    pub rgba: Vec<u8>,
}

/// Everything the fronts show and check of a workload, as JSON (`GET /api/workloads`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Description {
    /// [`Workload::NAME`].
    pub name: &'static str,
    /// The panel's title.
    pub title: &'static str,
    /// One sentence: what it computes, and where in the book.
    pub about: &'static str,
    /// The params' fields, in the order the page shows them.
    pub fields: Vec<Field>,
    /// The book's cases; the first is the book's default (`{}`).
    pub presets: Vec<Preset>,
    /// The answers besides JSON.
    pub formats: Formats,
    /// Every limit of the params, by name (u64 values as decimal strings).
    pub limits: Map<String, Value>,
    /// The book's Python of this workload, if it has one.
    pub python: Option<PythonSide>,
}

impl Description {
    /// A description of `W` whose fields take their defaults from `W::Params::default()`.
    pub fn of<W: Workload>(title: &'static str, about: &'static str, fields: Vec<Field>) -> Description {
        let defaults = serde_json::to_value(W::Params::default()).unwrap_or(Value::Null);
        let fields = fields
            .into_iter()
            .map(|mut f| {
                f.default = defaults.get(f.name).cloned().unwrap_or(Value::Null);
                f
            })
            .collect();
        Description {
            name: W::NAME,
            title,
            about,
            fields,
            presets: Vec::new(),
            formats: Formats::default(),
            limits: Map::new(),
            python: None,
        }
    }

    /// The same description with the book's Python.
    pub fn python(mut self, python: PythonSide) -> Self {
        self.python = Some(python);
        self
    }

    /// The same description with `presets`.
    pub fn presets(mut self, presets: Vec<Preset>) -> Self {
        self.presets = presets;
        self
    }

    /// The same description with `formats`.
    pub fn formats(mut self, formats: Formats) -> Self {
        self.formats = formats;
        self
    }

    /// The same description with one more limit (a u64 is written as a decimal string).
    pub fn limit(mut self, name: &str, value: impl Into<LimitValue>) -> Self {
        self.limits.insert(name.to_string(), value.into().0);
        self
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A limit as JSON: numbers, except u64s, which are decimal strings like every u64 of the API.
#[derive(Debug)]
pub struct LimitValue(Value);

impl From<u64> for LimitValue {
    fn from(v: u64) -> Self {
        LimitValue(Value::String(v.to_string()))
    }
}

impl From<u32> for LimitValue {
    fn from(v: u32) -> Self {
        LimitValue(v.into())
    }
}

impl From<f64> for LimitValue {
    fn from(v: f64) -> Self {
        LimitValue(v.into())
    }
}

/// The JSON type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A JSON integer in `[0, 2³² − 1]`.
    U32,
    /// A decimal string or a JSON integer in `[0, 2⁶⁴ − 1]` (JavaScript numbers lose integers
    /// above 2⁵³); in answers always a string.
    U64,
    /// A JSON number.
    F64,
    /// One of [`Field::options`], a JSON string.
    Choice,
}

/// One field of a workload's params.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The JSON name (snake_case).
    pub name: &'static str,
    /// Its JSON type.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// The page's label.
    pub label: &'static str,
    /// The unit, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'static str>,
    /// The book's value (filled in by [`Description::of`]).
    pub default: Value,
    /// Smallest allowed value (u64 as a decimal string), if bounded below.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Value>,
    /// Largest allowed value, if bounded above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Value>,
    /// A tighter bound for the `reference` variant (plain algorithms take longer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_max: Option<Value>,
    /// What else bounds it (a product of fields, a relation to another field), in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
    /// For a choice: the values and their labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// The tasks (values of the `task` field) this field applies to; all when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<&'static str>>,
}

/// One value of a choice field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The JSON value.
    pub value: &'static str,
    /// Words for the page.
    pub label: &'static str,
}

impl Field {
    fn new(name: &'static str, kind: Kind, label: &'static str) -> Self {
        Field {
            name,
            kind,
            label,
            unit: None,
            default: Value::Null,
            min: None,
            max: None,
            reference_max: None,
            note: None,
            options: Vec::new(),
            tasks: None,
        }
    }

    /// A u32 field.
    pub fn u32(name: &'static str, label: &'static str) -> Self {
        Self::new(name, Kind::U32, label)
    }

    /// A u64 field.
    pub fn u64(name: &'static str, label: &'static str) -> Self {
        Self::new(name, Kind::U64, label)
    }

    /// An f64 field.
    pub fn f64(name: &'static str, label: &'static str) -> Self {
        Self::new(name, Kind::F64, label)
    }

    /// A choice among `options` (value, label).
    pub fn choice(name: &'static str, label: &'static str, options: &[(&'static str, &'static str)]) -> Self {
        let mut f = Self::new(name, Kind::Choice, label);
        f.options = options.iter().map(|&(value, label)| Choice { value, label }).collect();
        f
    }

    /// The same field with a unit.
    pub fn unit(mut self, unit: &'static str) -> Self {
        self.unit = Some(unit);
        self
    }

    /// The same field allowed in `[lo, hi]`.
    pub fn range(mut self, lo: impl Into<LimitValue>, hi: impl Into<LimitValue>) -> Self {
        self.min = Some(lo.into().0);
        self.max = Some(hi.into().0);
        self
    }

    /// The same field with a tighter maximum for the reference variant.
    pub fn reference_max(mut self, hi: impl Into<LimitValue>) -> Self {
        self.reference_max = Some(hi.into().0);
        self
    }

    /// The same field with a note on what else bounds it.
    pub fn note(mut self, note: &'static str) -> Self {
        self.note = Some(note);
        self
    }

    /// The same field, shown and sent for these tasks only.
    pub fn tasks(mut self, tasks: &[&'static str]) -> Self {
        self.tasks = Some(tasks.to_vec());
        self
    }

    /// Whether the field applies to params whose `task` field (if any) is `task`.
    pub fn applies_to(&self, task: Option<&str>) -> bool {
        match (&self.tasks, task) {
            (Some(tasks), Some(task)) => tasks.contains(&task),
            _ => true,
        }
    }
}

/// One of the book's cases: a label and the fields that differ from the defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preset {
    /// Words for the page's preset list.
    pub label: &'static str,
    /// Field values (JSON, as a request would send them); missing fields take the defaults.
    pub values: Value,
    /// A small case of its task (a few milliseconds natively): the page's quick comparison
    /// (`compareAll({ quick: true })`) and its first pictures run these.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub quick: bool,
}

impl Preset {
    /// A preset; `values` must be a JSON object.
    pub fn new(label: &'static str, values: Value) -> Self {
        Preset { label, values, quick: false }
    }

    /// The same preset marked as its task's small case.
    pub fn quick(self) -> Self {
        Preset { quick: true, ..self }
    }
}

/// The answers a workload gives besides JSON (`?format=png`, `?format=raw`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Formats {
    /// `?format=png`: its picture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub png: Option<PngFormat>,
    /// `?format=raw`: its result buffer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawFormat>,
}

/// How a workload's picture is drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PngFormat {
    /// Whether `map=grey|fire` chooses its colours (else they are fixed).
    pub maps: bool,
    /// A fixed size (`[width, height]`), when the picture's size does not follow the params.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<[u32; 2]>,
}

/// What a workload's raw buffer holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawFormat {
    /// The element type, little-endian: "u32", "u64" or "f64".
    pub element: &'static str,
    /// The tasks that have a buffer; all when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<&'static str>>,
}

/// A summary struct as a JSON object (its `Serialize` writes u64s as decimal strings).
pub fn to_map(summary: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(summary) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}
