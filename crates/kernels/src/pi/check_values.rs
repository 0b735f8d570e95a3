//! Monte Carlo π's check values (docs/workloads.md §4): the one table the kernels' tests, the
//! server's tests and the benches assert.

/// Random123's known answers for Philox4x32-10: `(counter, key, output)`.
pub const PHILOX_KAT: [([u32; 4], [u32; 2], [u32; 4]); 3] = [
    ([0; 4], [0; 2], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]),
    ([u32::MAX; 4], [u32::MAX; 2], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]),
    (
        [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
        [0xa4093822, 0x299f31d0],
        [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
    ),
];
/// `(seed, index, x, y)` of single darts; the second is past the counter's first word.
pub const DARTS: [(u64, u64, f64, f64); 2] =
    [(0, 0, 0.3990464708489645, 0.7357127844834425), (7, (1 << 32) + 5, 0.17015092719813074, 0.7543653791600017)];
/// Seed 0: darts inside of the first 1,000.
pub const INSIDE_1000: u64 = 779;
/// Seed 0: darts inside of the first 10⁶.
pub const INSIDE_MILLION: u64 = 785_712;
/// Seed 7: darts inside among the 1,000 from index 2³² − 500.
pub const INSIDE_1000_AT_2_32: u64 = 795;
