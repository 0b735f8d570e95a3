//! Diffusion's check values (docs/workloads.md §2): the one table the kernels' tests, the
//! server's tests, the benches and the examples assert.

/// One checked run (d = 1, dt = 0.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Case {
    /// Cells per row.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// Steps.
    pub steps: u32,
    /// The defined sum (rows left to right, then top to bottom).
    pub sum: f64,
    /// The largest cell.
    pub max: f64,
    /// FNV-1a 64 of the grid: the checksum.
    pub fnv: u64,
}

/// 256², 500 steps.
pub const C256_500: Case = Case {
    width: 256,
    height: 256,
    steps: 500,
    sum: 3.379999999999998,
    max: 0.0032486906758164903,
    fnv: 9144763523592153741,
};
/// 256², 100 steps.
pub const C256_100: Case = Case {
    width: 256,
    height: 256,
    steps: 100,
    sum: 3.3800000000000003,
    max: 0.0049606239516685685,
    fnv: 10129321904751085277,
};
/// 300 wide × 200 high, 100 steps.
pub const C300_200_100: Case =
    Case { width: 300, height: 200, steps: 100, sum: 3.0, max: 0.00486458657632611, fnv: 14917310898543537669 };
/// 512², 500 steps.
pub const C512_500: Case = Case {
    width: 512,
    height: 512,
    steps: 500,
    sum: 13.520000000000003,
    max: 0.004906177706325198,
    fnv: 10563791678428181869,
};
/// The book's case, 1024², 500 steps (`DiffusionParams::default()`).
pub const BOOK: Case = Case {
    width: 1024,
    height: 1024,
    steps: 500,
    sum: 53.04500000000003,
    max: 0.004999997143724211,
    fnv: 16944010265892990318,
};
/// Single cells `(case, row, column, value)`.
pub const CELLS: [(Case, usize, usize, f64); 4] = [
    (C256_500, 102, 102, 0.0013238736769698137),
    (C512_500, 204, 204, 0.0013517754500069546),
    (BOOK, 409, 409, 0.001351776192963731),
    (BOOK, 0, 0, 0.0),
];
