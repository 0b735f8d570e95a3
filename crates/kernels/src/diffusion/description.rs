//! Diffusion as the fronts see it: fields, the book's grids, the heat map and the raw grid.

use serde_json::{Map, Value, json};

use super::{DiffusionOutput, DiffusionParams, INITIAL_HEAT};
use crate::colormap::{self, ColorMap};
use crate::python::{PythonSide, python_grid};
use crate::workload::{Description, Field, Formats, Picture, PngFormat, Preset, RawFormat, Workload, to_map};
use crate::{Control, Error, Exec, limits};

/// The 2D heat equation, ch. 6: `POST /api/diffusion`. (Its stepping state between chunks is
/// [`super::DiffusionRun`].)
#[derive(Debug)]
pub struct Diffusion;

impl Workload for Diffusion {
    const NAME: &'static str = "diffusion";
    type Params = DiffusionParams;
    type Output = DiffusionOutput;

    fn describe() -> Description {
        let positive = "a finite number > 0, with d × dt ≤ 0.25 (the explicit scheme's stability bound)";
        let fields = vec![
            Field::u32("width", "Width").unit("cells").range(1u32, limits::DIFFUSION_MAX_SIDE),
            Field::u32("height", "Height")
                .unit("rows")
                .range(1u32, limits::DIFFUSION_MAX_SIDE)
                .note("width × height ≤ 16,777,216 cells"),
            Field::u32("steps", "Steps")
                .range(0u32, limits::DIFFUSION_MAX_STEPS)
                .note("width × height × steps ≤ 10,000,000,000 cell updates"),
            Field::f64("dt", "dt").note(positive),
            Field::f64("d", "D").note(positive),
        ];
        Description::of::<Diffusion>(
            "Diffusion",
            "The 2D heat equation on a periodic grid, a hot square in the middle: the book's chapter 6.",
            fields,
        )
        .presets(vec![
            Preset::new("Book: 1024², 500 steps", json!({})),
            Preset::new("300 × 200, 100 steps", json!({ "width": 300, "height": 200, "steps": 100 })).quick(),
            Preset::new("256², 500 steps", json!({ "width": 256, "height": 256 })),
            Preset::new("512², 500 steps", json!({ "width": 512, "height": 512 })),
            Preset::new("Heavy: 2048², 500 steps", json!({ "width": 2048, "height": 2048 })),
        ])
        .formats(Formats {
            png: Some(PngFormat { maps: true, size: None }),
            raw: Some(RawFormat { element: "f64", tasks: None }),
        })
        .limit("max_side", limits::DIFFUSION_MAX_SIDE)
        .limit("max_cells", limits::DIFFUSION_MAX_CELLS)
        .limit("max_steps", limits::DIFFUSION_MAX_STEPS)
        .limit("max_work", limits::DIFFUSION_MAX_WORK)
        .limit("max_d_dt", limits::DIFFUSION_MAX_D_DT)
        .python(python_side())
    }

    fn validate(params: &DiffusionParams, exec: &Exec) -> Result<(), Error> {
        params.validate()?;
        exec.validate()
    }

    fn run(params: &DiffusionParams, exec: &Exec, control: &Control) -> Result<DiffusionOutput, Error> {
        super::run(params, exec, control)
    }

    fn checksum(out: &DiffusionOutput) -> u64 {
        out.checksum()
    }

    fn summary(out: &DiffusionOutput) -> Map<String, Value> {
        to_map(&out.summary())
    }

    /// On the fixed scale of the initial heat, as the page's animation draws every frame.
    fn picture(params: &DiffusionParams, out: &DiffusionOutput, map: ColorMap) -> Option<Picture> {
        let rgba = colormap::diffusion_rgba(&out.grid, INITIAL_HEAT, map);
        Some(Picture { width: params.width, height: params.height, rgba })
    }

    fn raw(_params: &DiffusionParams, out: &DiffusionOutput) -> Option<Vec<u8>> {
        Some(out.grid.iter().flat_map(|v| v.to_le_bytes()).collect())
    }

    fn python_work(params: &DiffusionParams) -> Result<u64, Error> {
        python_grid(&python_side(), params.cells() as u64, params.steps, "steps")
    }
}

/// The book's pure-Python `evolve` on lists: ≈ 430 ns a cell-step on Pyodide here.
fn python_side() -> PythonSide {
    PythonSide {
        file: "diffusion.py",
        work: "width × height × (steps + 4)",
        unit: "cell-step",
        max_work: 120_000_000,
        scaled: json!({ "width": 256, "height": 256, "steps": 500 }),
        tasks: None,
    }
}
