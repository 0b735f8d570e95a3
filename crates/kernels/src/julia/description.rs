//! The Julia set as the fronts see it: fields, the book's cases, the picture and raw counts.

use serde_json::{Map, Value, json};

use super::{JuliaOutput, JuliaParams, Precision};
use crate::colormap::{self, ColorMap};
use crate::python::{PythonSide, python_grid};
use crate::workload::{Description, Field, Formats, Picture, PngFormat, Preset, RawFormat, Workload, to_map};
use crate::{Control, Error, Exec, limits};

/// The Julia set, ch. 2 and 7: `POST /api/julia`.
#[derive(Debug)]
pub struct Julia;

impl Workload for Julia {
    const NAME: &'static str = "julia";
    type Params = JuliaParams;
    type Output = JuliaOutput;

    fn describe() -> Description {
        let side = |name, label| Field::u32(name, label).unit("px").range(1u32, limits::JULIA_MAX_SIDE);
        let coord = |name, label| Field::f64(name, label).range(-limits::JULIA_MAX_COORD, limits::JULIA_MAX_COORD);
        let fields = vec![
            side("width", "Width"),
            side("height", "Height").note("width × height ≤ 16,777,216 pixels"),
            Field::u32("max_iter", "Max iterations")
                .range(1u32, limits::JULIA_MAX_ITER)
                .note("width × height × max_iter ≤ 20,000,000,000"),
            coord("c_re", "c (real)"),
            coord("c_im", "c (imaginary)"),
            coord("x_min", "x min").note("x_min < x_max"),
            coord("x_max", "x max").note("x_max > x_min"),
            coord("y_min", "y min").note("y_min < y_max"),
            coord("y_max", "y max").note("y_max > y_min"),
            Field::choice(
                "precision",
                "Precision",
                &[("f64", "f64, the book's doubles"), ("f32", "f32, as a GPU computes (WebGPU has no f64)")],
            ),
        ];
        Description::of::<Julia>("Julia set", "z ← z² + c until |z| ≥ 2, per pixel: the book's chapter 2.", fields)
            .presets(vec![
                Preset::new("Book: 1000 × 1000, 300 iterations", json!({})),
                Preset::new("640 × 480, 500 iterations", json!({ "width": 640, "height": 480, "max_iter": 500 })),
                Preset::new("Quick look: 400 × 400", json!({ "width": 400, "height": 400 })).quick(),
                Preset::new(
                    "Heavy: 2048 × 2048, 1000 iterations",
                    json!({ "width": 2048, "height": 2048, "max_iter": 1000 }),
                ),
                Preset::new("Dendrite: c = i", json!({ "c_re": 0, "c_im": 1, "max_iter": 500 })),
            ])
            .formats(Formats {
                png: Some(PngFormat { maps: true, size: None }),
                raw: Some(RawFormat { element: "u32", tasks: None }),
            })
            .limit("max_side", limits::JULIA_MAX_SIDE)
            .limit("max_pixels", limits::JULIA_MAX_PIXELS)
            .limit("max_iter", limits::JULIA_MAX_ITER)
            .limit("max_work", limits::JULIA_MAX_WORK)
            .limit("max_coord", limits::JULIA_MAX_COORD)
            .python(python_side())
    }

    fn validate(params: &JuliaParams, exec: &Exec) -> Result<(), Error> {
        params.validate()?;
        exec.validate()
    }

    fn run(params: &JuliaParams, exec: &Exec, control: &Control) -> Result<JuliaOutput, Error> {
        super::run(params, exec, control)
    }

    fn checksum(out: &JuliaOutput) -> u64 {
        out.checksum
    }

    fn summary(out: &JuliaOutput) -> Map<String, Value> {
        to_map(&out.summary)
    }

    fn picture(params: &JuliaParams, out: &JuliaOutput, map: ColorMap) -> Option<Picture> {
        let rgba = colormap::julia_rgba(&out.counts, params.max_iter, map);
        Some(Picture { width: params.width, height: params.height, rgba })
    }

    fn raw(_params: &JuliaParams, out: &JuliaOutput) -> Option<Vec<u8>> {
        Some(out.counts.iter().flat_map(|c| c.to_le_bytes()).collect())
    }

    fn python_work(params: &JuliaParams) -> Result<u64, Error> {
        if params.precision != Precision::F64 {
            return Err(Error::Invalid {
                field: "precision",
                message: "precision = f32 is not available on the Python side: the book's Python computes in f64 \
                    (Python's float); allowed: f64"
                    .into(),
            });
        }
        let pixels = u64::from(params.width) * u64::from(params.height);
        python_grid(&python_side(), pixels, params.max_iter, "width")
    }
}

/// The book's `calculate_z_serial_purepython`: hundreds of ns an iteration on Pyodide, so the
/// book's case (33 million iterations) takes seconds there (docs/bench.md, "The figures behind
/// the kernels' constants"). The bound counts every pixel at `max_iter`, which the book's case
/// is far below.
fn python_side() -> PythonSide {
    PythonSide {
        file: "julia.py",
        work: "width × height × (max_iter + 4)",
        unit: "iteration",
        max_work: 320_000_000,
        scaled: json!({ "width": 250, "height": 250, "max_iter": 300 }),
        tasks: None,
    }
}
