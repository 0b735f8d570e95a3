//! Primes as the fronts see it: the task choice, each task's fields, the book's numbers, and a
//! range's primes as raw u64s.

use serde_json::{Map, Value, json};

use super::{PrimesOutput, PrimesParams, Task};
use crate::python::{PythonSide, python_check};
use crate::workload::{Description, Field, Formats, Preset, RawFormat, Workload, to_map};
use crate::{Control, Error, Exec, limits};

/// Trial division, Miller–Rabin, primes in a range, π(limit), ch. 1, 8 and 9: `POST /api/primes`.
#[derive(Debug)]
pub struct Primes;

impl Workload for Primes {
    const NAME: &'static str = "primes";
    type Params = PrimesParams;
    type Output = PrimesOutput;

    fn describe() -> Description {
        let fields = vec![
            Field::choice(
                "task",
                "Task",
                &[
                    ("check", "Is n prime? (trial division)"),
                    ("miller_rabin", "Is n prime? (Miller–Rabin)"),
                    ("range", "Primes in [start, end)"),
                    ("count", "Count primes ≤ limit"),
                ],
            ),
            Field::u64("n", "n").range(0u64, limits::PRIMES_MAX_N).tasks(&["check", "miller_rabin"]),
            Field::u64("start", "Start").range(0u64, u64::MAX).note("start ≤ end").tasks(&["range"]),
            Field::u64("end", "End (excluded)")
                .range(0u64, u64::MAX)
                .note("start ≤ end ≤ start + 100,000,000; reference: (end − start) × ⌊√(end − 1)⌋ ≤ 200,000,000,000")
                .tasks(&["range"]),
            Field::u64("limit", "Limit")
                .range(0u64, limits::PRIMES_MAX_LIMIT)
                .reference_max(limits::PRIMES_REFERENCE_MAX_LIMIT)
                .tasks(&["count"]),
        ];
        Description::of::<Primes>(
            "Primes",
            "The book's trial division (chapter 1), Miller–Rabin, every prime of a range, or π(limit) by a \
            segmented sieve.",
            fields,
        )
        .presets(vec![
            Preset::new("Book: is 100109100129100151 prime?", json!({})),
            Preset::new("Book: 100109100129100369 (composite)", json!({ "task": "check", "n": "100109100129100369" })),
            Preset::new("Range [10⁸, 10⁸ + 10⁶)", json!({ "task": "range" })),
            Preset::new("Range of 100,000 numbers from 10⁸", json!({ "task": "range", "end": "100100000" })).quick(),
            Preset::new("Ulam-friendly: [1, 40,001)", json!({ "task": "range", "start": "1", "end": "40001" })),
            Preset::new("π(10⁹)", json!({ "task": "count" })),
            Preset::new("π(10⁷)", json!({ "task": "count", "limit": "10000000" })).quick(),
            Preset::new("Is 10⁹ + 7 prime?", json!({ "task": "check", "n": "1000000007" })).quick(),
            Preset::new("Miller–Rabin on 2⁶⁴ − 59", json!({ "task": "miller_rabin", "n": "18446744073709551557" }))
                .quick(),
        ])
        .formats(Formats { png: None, raw: Some(RawFormat { element: "u64", tasks: Some(vec!["range"]) }) })
        .limit("max_n", limits::PRIMES_MAX_N)
        .limit("max_span", limits::PRIMES_MAX_SPAN)
        .limit("max_limit", limits::PRIMES_MAX_LIMIT)
        .limit("reference_max_limit", limits::PRIMES_REFERENCE_MAX_LIMIT)
        .limit("reference_max_range_work", limits::PRIMES_REFERENCE_MAX_RANGE_WORK)
        .python(python_side())
    }

    fn validate(params: &PrimesParams, exec: &Exec) -> Result<(), Error> {
        params.validate_for(exec.variant)?;
        exec.validate()
    }

    fn run(params: &PrimesParams, exec: &Exec, control: &Control) -> Result<PrimesOutput, Error> {
        super::run(params, exec, control)
    }

    fn checksum(out: &PrimesOutput) -> u64 {
        out.checksum
    }

    fn summary(out: &PrimesOutput) -> Map<String, Value> {
        to_map(&out.summary)
    }

    /// The primes of a range, as u64s; the other tasks have no buffer.
    fn raw(params: &PrimesParams, out: &PrimesOutput) -> Option<Vec<u8>> {
        (params.task == super::Task::Range).then(|| out.primes.iter().flat_map(|p| p.to_le_bytes()).collect())
    }

    fn python_work(params: &PrimesParams) -> Result<u64, Error> {
        let side = python_side();
        match params.task {
            Task::Check => python_check(&side, "n", params.n.isqrt() / 2),
            // Most numbers of a range fall to a small divisor; the primes (≈ 1 in ln end) try
            // every odd divisor to √end.
            Task::Range => {
                let primes = (params.end - params.start) as f64 / (params.end.max(3) as f64).ln();
                python_check(&side, "end", (primes * (params.end.isqrt() / 2) as f64) as u64)
            }
            Task::Count | Task::MillerRabin => Err(Error::Invalid {
                field: "task",
                message: format!(
                    "task = {:?}: the book's Python has \"check\" and \"range\" only (its peer for counting \
                    is primesieve)",
                    if params.task == Task::Count { "count" } else { "miller_rabin" }
                ),
            }),
        }
    }
}

/// The book's `check_prime` (trial division): ≈ 65 ns a divisor on Pyodide here, so the book's
/// 18-digit primes (158 million divisors) take ≈ 10 s.
fn python_side() -> PythonSide {
    PythonSide {
        file: "primes.py",
        work: "the divisions of trial division (√n / 2; for a range ≈ (end − start) / ln end × √end / 2)",
        unit: "division",
        max_work: 500_000_000,
        scaled: json!({ "n": "100000000003", "start": "100000000", "end": "100100000" }),
        tasks: Some(&["check", "range"]),
    }
}
