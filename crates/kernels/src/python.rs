//! The book's Python of a workload (`www/python/<name>.py`), run on Pyodide in the browser
//! (`side: "python"`) and on CPython by the benchmark harness: what each description says of
//! it, and the limits that keep a Python run to about a minute of Pyodide on these machines
//! (docs/python.md). The kernels' own validation runs first (`registry::check_python`).

use serde::Serialize;
use serde_json::Value;

use crate::Error;

/// The book's Python of a workload, run on Pyodide in the browser (`side: "python"`): its file,
/// how its work is counted, the most it takes (about a minute of Pyodide on these machines) and
/// the scaled-down case offered beyond that.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PythonSide {
    /// The file under `www/python/`.
    pub file: &'static str,
    /// What [`crate::workload::Workload::python_work`] counts, in words (`"width × height × max_iter"`).
    pub work: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// The most work a Python run takes (a decimal string, like every u64 of the API).
    #[serde(serialize_with = "as_decimal")]
    pub max_work: u64,
    /// The fields of the scaled-down case offered beyond it (merged into the refused params).
    pub scaled: Value,
    /// The tasks the book's Python has (`None`: every one).
    pub tasks: Option<&'static [&'static str]>,
}

fn as_decimal<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

/// Refuses params whose Python work is over `side.max_work`, naming `field` and the scaled-down
/// case; `work` is [`crate::workload::Workload::python_work`]'s count.
pub fn python_check(side: &PythonSide, field: &'static str, work: u64) -> Result<u64, Error> {
    if work <= side.max_work {
        return Ok(work);
    }
    Err(Error::Invalid {
        field,
        message: format!(
            "{} = {work} {}s is too much for the book's Python in the browser: allowed at most {} (about a \
            minute here); the scaled-down case {} runs in seconds",
            side.work, side.unit, side.max_work, side.scaled
        ),
    })
}

/// The most pixels or cells a Python run takes, whatever its work: the book's code holds one
/// Python object (≈ 32 bytes and a pointer) per pixel or cell, and its checksum walks them all.
pub const PYTHON_MAX_CELLS: u64 = 1 << 21;

/// The work of a workload on a grid (Julia's pixels, diffusion's cells): `cells × (per_cell + 4)`
/// — the 4 for building the book's lists and the checksum, sum or max over them in Python —
/// held to `side.max_work` (refused naming `per_cell_field`), after at most
/// [`PYTHON_MAX_CELLS`] cells (refused naming `width`).
pub fn python_grid(side: &PythonSide, cells: u64, per_cell: u32, per_cell_field: &'static str) -> Result<u64, Error> {
    if cells > PYTHON_MAX_CELLS {
        return Err(Error::Invalid {
            field: "width",
            message: format!(
                "width × height = {cells} is too many for the book's Python in the browser (a Python object \
                each): allowed at most {PYTHON_MAX_CELLS}; the scaled-down case {} runs in seconds",
                side.scaled
            ),
        });
    }
    python_check(side, per_cell_field, cells * (u64::from(per_cell) + 4))
}
