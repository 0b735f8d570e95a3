//! Primes, after *High Performance Python* ch. 1, 8 and 9 (docs/workloads.md, section 3): four tasks
//! on unsigned 64-bit integers, each with a plain `reference` and an optimised `simd` variant.
//!
//! - `check` ([`check`]): is `n` prime, by the book's trial division with odd divisors up to
//!   ⌊√n⌋, and its smallest factor. Divisor chunks go to workers from one shared counter; a shared
//!   "smallest factor found so far" makes workers skip the chunks above it (the book's shared
//!   flag), which also makes the factor the same for every thread count. `simd` tests many
//!   divisors per instruction by multiplying with their modular inverses instead of dividing.
//! - `miller_rabin` ([`miller_rabin`]): the deterministic test for every u64 — the "better
//!   algorithm" beside the book's. Microseconds, so it runs on the calling thread alone.
//! - `range` ([`range`]): every prime in `[start, end)`. `reference` runs the book's trial
//!   division per number; `simd` sieves the range ([`sieve::primes_in`]), or, for a narrow range
//!   far out where the sieve's cost would be its sieving primes, runs Miller–Rabin per number.
//! - `count` ([`sieve`]): π(limit), by a plain sieve (`reference`) or the segmented, parallel
//!   sieve (`simd`).
//!
//! The checksum is 1/0 for prime/not prime, the wrapping sum of the primes for `range`, and the
//! count for `count`. Every limit is in [`limits`]; every u64 crosses JSON as a decimal string.

pub mod check;
pub mod check_values;
mod description;
pub mod miller_rabin;
pub mod range;
pub mod sieve;

pub use description::Primes;

use serde::{Deserialize, Serialize};

use crate::error::check_int;
use crate::{Control, Error, Exec, Variant, decimal, limits};

/// What a primes run computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Is `n` prime, and its smallest factor: the book's trial division.
    #[default]
    Check,
    /// Is `n` prime: deterministic Miller–Rabin.
    MillerRabin,
    /// Every prime in `[start, end)`.
    Range,
    /// π(limit), the number of primes ≤ `limit`.
    Count,
}

/// Parameters of a primes run; `Default` is the book's case (trial division of the 18-digit
/// prime 100109100129100151). Each task reads only its own fields: `n` for `check` and
/// `miller_rabin`, `start` and `end` for `range`, `limit` for `count`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrimesParams {
    /// Which task runs.
    pub task: Task,
    /// The number tested by `check` and `miller_rabin`.
    #[serde(with = "decimal")]
    pub n: u64,
    /// First number of the `range` (included).
    #[serde(with = "decimal")]
    pub start: u64,
    /// End of the `range` (excluded).
    #[serde(with = "decimal")]
    pub end: u64,
    /// `count` counts the primes ≤ `limit`.
    #[serde(with = "decimal")]
    pub limit: u64,
}

impl Default for PrimesParams {
    fn default() -> Self {
        PrimesParams {
            task: Task::Check,
            n: 100_109_100_129_100_151,
            start: 100_000_000,
            end: 101_000_000,
            limit: 1_000_000_000,
        }
    }
}

impl PrimesParams {
    /// Refuses the task's fields outside [`limits`], whatever the variant: `end < start`, a range
    /// wider than [`limits::PRIMES_MAX_SPAN`], a `limit` over [`limits::PRIMES_MAX_LIMIT`].
    /// (`n` may be any u64: trial division needs at most 2³¹ divisors.)
    pub fn validate(&self) -> Result<(), Error> {
        match self.task {
            Task::Check | Task::MillerRabin => check_int("n", self.n, 0, limits::PRIMES_MAX_N),
            Task::Range => {
                if self.end < self.start {
                    return Err(Error::Invalid {
                        field: "end",
                        message: format!(
                            "end = {} is below start = {}: allowed end ≥ start (the range [start, end) excludes end)",
                            self.end, self.start
                        ),
                    });
                }
                let span = self.end - self.start;
                if span > limits::PRIMES_MAX_SPAN {
                    return Err(Error::Invalid {
                        field: "end",
                        message: format!(
                            "end − start = {span} is over the limit: allowed at most {} numbers per range",
                            limits::PRIMES_MAX_SPAN
                        ),
                    });
                }
                Ok(())
            }
            Task::Count => check_int("limit", self.limit, 0, limits::PRIMES_MAX_LIMIT),
        }
    }

    /// [`validate`](Self::validate), plus the bounds of the `reference` variant, whose plain
    /// algorithms take longer: the single-threaded sieve's `limit`
    /// ([`limits::PRIMES_REFERENCE_MAX_LIMIT`]) and the trial division of every number of a
    /// range ([`limits::PRIMES_REFERENCE_MAX_RANGE_WORK`]).
    pub fn validate_for(&self, variant: Variant) -> Result<(), Error> {
        self.validate()?;
        if variant != Variant::Reference {
            return Ok(());
        }
        match self.task {
            Task::Count => {
                check_int("limit", self.limit, 0, limits::PRIMES_REFERENCE_MAX_LIMIT).map_err(|_| Error::Invalid {
                    field: "limit",
                    message: format!(
                        "limit = {} is out of range for the reference variant (a plain single-threaded \
                        sieve): allowed an integer in [0, {}]; the simd variant allows up to {}",
                        self.limit,
                        limits::PRIMES_REFERENCE_MAX_LIMIT,
                        limits::PRIMES_MAX_LIMIT
                    ),
                })
            }
            Task::Range => {
                let work = range::reference_work(self.start, self.end);
                if work > limits::PRIMES_REFERENCE_MAX_RANGE_WORK {
                    return Err(Error::Invalid {
                        field: "end",
                        message: format!(
                            "(end − start) × ⌊√(end − 1)⌋ = {work} is over the limit of the reference variant \
                            (trial division of every number): allowed at most {}; narrow the range or use the \
                            simd variant",
                            limits::PRIMES_REFERENCE_MAX_RANGE_WORK
                        ),
                    });
                }
                Ok(())
            }
            Task::Check | Task::MillerRabin => Ok(()),
        }
    }
}

/// Whether a number is prime, and its smallest factor when trial division proved it composite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Primality {
    /// `n` is prime.
    pub is_prime: bool,
    /// The smallest divisor > 1 of a composite `n` (`check` only); `None` for a prime, for 0
    /// and 1 (neither prime nor composite), and for every `miller_rabin` answer.
    #[serde(with = "decimal::option")]
    pub factor: Option<u64>,
}

impl Primality {
    /// A prime.
    pub const PRIME: Primality = Primality { is_prime: true, factor: None };
    /// 0 or 1, or a composite whose factor is not known (Miller–Rabin).
    pub const NOT_PRIME: Primality = Primality { is_prime: false, factor: None };

    /// A composite with smallest factor `factor`.
    pub fn composite(factor: u64) -> Primality {
        Primality { is_prime: false, factor: Some(factor) }
    }
}

/// The summary fields of a primes result (docs/workloads.md), one shape per task; serialises to
/// exactly the task's fields, u64 values as decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PrimesSummary {
    /// `check` and `miller_rabin`: `{ is_prime, factor }`.
    Primality(Primality),
    /// `range`: `{ count, first, last }`; `first` and `last` are `null` for a range without
    /// primes.
    Range {
        /// Primes in the range.
        #[serde(with = "decimal")]
        count: u64,
        /// The smallest of them.
        #[serde(with = "decimal::option")]
        first: Option<u64>,
        /// The largest of them.
        #[serde(with = "decimal::option")]
        last: Option<u64>,
    },
    /// `count`: `{ count }`.
    Count {
        /// π(limit).
        #[serde(with = "decimal")]
        count: u64,
    },
}

/// What a primes run returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimesOutput {
    /// docs/workloads.md's checksum: 1/0 (prime or not), the wrapping sum of the range's primes, or
    /// the count.
    pub checksum: u64,
    /// Summary fields.
    pub summary: PrimesSummary,
    /// The primes of a `range`, ascending (the page draws them); empty for the other tasks.
    pub primes: Vec<u64>,
}

/// Runs the task. Validates `params` (for the variant) and `exec` first. Progress counts
/// divisor chunks (`check`), number chunks or sieve segments (`range`, `count`), or one unit
/// (`miller_rabin`).
pub fn run(params: &PrimesParams, exec: &Exec, control: &Control) -> Result<PrimesOutput, Error> {
    params.validate_for(exec.variant)?;
    exec.validate()?;
    let threads = exec.threads;
    let primality = |p: Primality| PrimesOutput {
        checksum: p.is_prime as u64,
        summary: PrimesSummary::Primality(p),
        primes: Vec::new(),
    };
    match params.task {
        Task::Check => Ok(primality(check::check(params.n, exec, control)?)),
        Task::MillerRabin => {
            control.start(1);
            control.check()?;
            let is_prime = match exec.variant {
                Variant::Reference => miller_rabin::reference(params.n),
                Variant::Simd => miller_rabin::is_prime(params.n),
            };
            control.advance(1);
            Ok(primality(Primality { is_prime, factor: None }))
        }
        Task::Range => {
            let primes = match exec.variant {
                Variant::Reference => range::reference(params.start, params.end, threads, control),
                Variant::Simd => range::fast(params.start, params.end, threads, control),
            }?;
            let checksum = primes.iter().fold(0u64, |sum, &p| sum.wrapping_add(p));
            let summary = PrimesSummary::Range {
                count: primes.len() as u64,
                first: primes.first().copied(),
                last: primes.last().copied(),
            };
            Ok(PrimesOutput { checksum, summary, primes })
        }
        Task::Count => {
            let count = match exec.variant {
                Variant::Reference => sieve::count_reference(params.limit, control),
                Variant::Simd => sieve::count(params.limit, threads, control),
            }?;
            Ok(PrimesOutput { checksum: count, summary: PrimesSummary::Count { count }, primes: Vec::new() })
        }
    }
}
