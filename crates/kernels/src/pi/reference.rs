//! One dart at a time, written to be read: the variant every other is checked against.

use super::philox;

/// Darts `start..end` of `seed` that land inside the quarter circle.
pub fn count(seed: u64, start: u64, end: u64) -> u64 {
    (start..end)
        .filter(|&i| {
            let (x, y) = philox::dart(seed, i);
            philox::inside(x, y)
        })
        .count() as u64
}
