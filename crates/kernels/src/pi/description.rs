//! Monte Carlo π as the fronts see it: the darts and the seed, the book's sample counts, the
//! dart board.

use serde_json::{Map, Value, json};

use super::{MAX_SAMPLES, PiOutput, PiParams, board};
use crate::colormap::ColorMap;
use crate::python::{PythonSide, python_check};
use crate::workload::{Description, Field, Formats, Picture, PngFormat, Preset, Workload, to_map};
use crate::{Control, Error, Exec};

/// Monte Carlo π, ch. 9: `POST /api/pi`.
#[derive(Debug)]
pub struct Pi;

impl Workload for Pi {
    const NAME: &'static str = "pi";
    type Params = PiParams;
    type Output = PiOutput;

    fn describe() -> Description {
        let fields = vec![
            Field::u64("samples", "Darts").range(1u64, MAX_SAMPLES),
            Field::u64("seed", "Seed").range(0u64, u64::MAX),
        ];
        Description::of::<Pi>(
            "Monte Carlo π",
            "Darts thrown at the unit square; 4 × the share inside the quarter circle estimates π: the book's \
            chapter 9, with a counter-based generator (Philox4x32-10), so every thread count and platform \
            throws the same darts.",
            fields,
        )
        .presets(vec![
            Preset::new("Book: 10⁸ darts", json!({})),
            Preset::new("10⁴ darts (the book's figure 9-1)", json!({ "samples": "10000" })).quick(),
            Preset::new("10⁷ darts", json!({ "samples": "10000000" })),
        ])
        .formats(Formats { png: Some(PngFormat { maps: false, size: Some([board::SIZE, board::SIZE]) }), raw: None })
        .limit("max_samples", MAX_SAMPLES)
        .limit("picture_darts", board::MAX_DOTS)
        .python(python_side())
    }

    fn validate(params: &PiParams, exec: &Exec) -> Result<(), Error> {
        params.validate()?;
        exec.validate()
    }

    fn run(params: &PiParams, exec: &Exec, control: &Control) -> Result<PiOutput, Error> {
        super::run(params, exec, control)
    }

    fn checksum(out: &PiOutput) -> u64 {
        out.inside
    }

    fn summary(out: &PiOutput) -> Map<String, Value> {
        to_map(&out.summary)
    }

    fn picture(params: &PiParams, _out: &PiOutput, _map: ColorMap) -> Option<Picture> {
        Some(board::draw(params.seed, params.samples))
    }

    fn python_work(params: &PiParams) -> Result<u64, Error> {
        python_check(&python_side(), "samples", params.samples)
    }
}

/// The book's dart loop on Python's `random`: ≈ 600 ns a dart on Pyodide here.
fn python_side() -> PythonSide {
    PythonSide {
        file: "pi.py",
        work: "samples",
        unit: "dart",
        max_work: 50_000_000,
        scaled: json!({ "samples": "10000000" }),
        tasks: None,
    }
}
