//! The primes' check values (docs/workloads.md §3): the one table the kernels' tests, the
//! server's tests, the benches and the examples assert.

/// `check`: `(n, is prime, smallest factor)`.
pub const CHECKS: [(u64, bool, Option<u64>); 7] = [
    (112_272_535_095_295, false, Some(5)),
    (100_109_100_129_100_369, false, Some(95_362_951)),
    (100_109_100_129_101_027, false, Some(171_656_941)),
    (100_109_100_129_100_151, true, None),
    (100_109_100_129_162_907, true, None),
    (10_000_000, false, Some(2)),
    (10_000_019, true, None),
];
/// `miller_rabin` beyond the book: a strong pseudoprime to every prime base up to 23, and the
/// largest u64 prime, 2⁶⁴ − 59.
pub const MILLER_RABIN: [(u64, bool); 2] = [(3_825_123_056_546_413_051, false), (18_446_744_073_709_551_557, true)];
/// `range`: the book's `[10⁸, 1.01·10⁸)`.
pub const RANGE: (u64, u64) = (100_000_000, 101_000_000);
/// Its count of primes.
pub const RANGE_COUNT: u64 = 54_208;
/// Its first prime.
pub const RANGE_FIRST: u64 = 100_000_007;
/// Its last prime.
pub const RANGE_LAST: u64 = 100_999_993;
/// Its sum (the checksum).
pub const RANGE_SUM: u64 = 5_447_899_551_826;
/// `count`: π(10^k) for k = 0 … 10.
pub const PI_POWERS_OF_TEN: [u64; 11] =
    [0, 4, 25, 168, 1_229, 9_592, 78_498, 664_579, 5_761_455, 50_847_534, 455_052_511];
