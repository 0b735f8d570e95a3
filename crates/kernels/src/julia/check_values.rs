//! The Julia set's check values (docs/workloads.md §1): the one table the kernels' tests, the
//! server's tests, the benches and the examples assert.

/// The book's case (`JuliaParams::default()`): the sum of all counts, its checksum (the book's
/// own `assert sum(output) == 33219980`).
pub const BOOK_SUM: u64 = 33_219_980;
/// The book's case: the largest count (= `max_iter`).
pub const BOOK_MAX: u32 = 300;
/// The book's case: pixels that reach `max_iter`.
pub const BOOK_AT_MAX: usize = 100_321;
/// The book's case: pixels that escape at once.
pub const BOOK_AT_ZERO: usize = 102_865;
/// 640 × 480 with 500 iterations (book's c and region): the sum.
pub const SUM_640_480_500: u64 = 16_353_586;
/// Single points `(re, im) → count` with the book's c and 300 iterations.
pub const POINTS: [((f64, f64), u32); 3] = [((0.0, 0.0), 300), ((-1.8, 1.8), 0), ((-0.82, 0.0), 10)];

/// The book's case in f32 (`precision: "f32"`, docs/workloads.md §1b): the sum of all counts,
/// recomputed independently with numpy's float32 arithmetic (no fused multiply-add there either).
pub const BOOK_SUM_F32: u64 = 33_222_988;
/// The book's case in f32: pixels that reach `max_iter` (numpy float32, as above).
pub const BOOK_AT_MAX_F32: usize = 100_327;
/// 640 × 480 with 500 iterations in f32: the sum (numpy float32, as above).
pub const SUM_640_480_500_F32: u64 = 16_357_032;
