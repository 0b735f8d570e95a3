//! The dart board, the π picture (docs/workloads.md §4): the unit square, 512 × 512 pixels, `y` up,
//! the quarter circle's arc, and the first darts of the run as dots, inside in blue and outside
//! in orange (Okabe and Ito's colour-blind-safe pair). Drawn after the run, outside its
//! `kernel_ms`; integer arithmetic only past each dart's exact `⌊512·x⌋`, so both fronts get the
//! same bytes.

use super::philox;
use crate::workload::Picture;

/// Pixels per side.
pub const SIZE: u32 = 512;
/// Darts drawn at most.
pub const MAX_DOTS: u64 = 20_000;
/// Dots are DOT × DOT pixels.
const DOT: u32 = 2;

const PAPER: [u8; 4] = [255, 255, 255, 255];
const INK: [u8; 4] = [40, 40, 40, 255];
/// Okabe–Ito blue.
pub const INSIDE: [u8; 4] = [0, 114, 178, 255];
/// Okabe–Ito orange.
pub const OUTSIDE: [u8; 4] = [230, 159, 0, 255];

/// The board with the first `min(samples, MAX_DOTS)` darts of `seed`.
pub fn draw(seed: u64, samples: u64) -> Picture {
    let n = SIZE as usize;
    let mut rgba = PAPER.repeat(n * n);
    let mut put = |col: u32, row: u32, colour: [u8; 4]| {
        if col < SIZE && row < SIZE {
            let at = (row as usize * n + col as usize) * 4;
            rgba[at..at + 4].copy_from_slice(&colour);
        }
    };
    for i in 0..samples.min(MAX_DOTS) {
        let (x, y) = philox::dart(seed, i);
        // x · 512 is exact (a power of two), so the truncation is the same everywhere.
        let (col, up) = ((x * SIZE as f64) as u32, (y * SIZE as f64) as u32);
        let colour = if philox::inside(x, y) { INSIDE } else { OUTSIDE };
        let row = SIZE - 1 - up.min(SIZE - 1);
        for dy in 0..DOT {
            for dx in 0..DOT {
                put(col + dx, row.saturating_sub(dy), colour);
            }
        }
    }
    // The arc: pixels whose centre lies within a pixel of radius 1, in half-pixel units
    // (centre (2c + 1, 2u + 1), radius R = 2·SIZE): |d² − R²| ≈ 2R·|d − R| < 2R · 2.
    let r2 = (2 * SIZE as i64).pow(2);
    for row in 0..SIZE {
        let up = (SIZE - 1 - row) as i64;
        for col in 0..SIZE {
            let (cx, cy) = (2 * col as i64 + 1, 2 * up + 1);
            if (cx * cx + cy * cy - r2).abs() < 8 * SIZE as i64 {
                put(col, row, INK);
            }
        }
    }
    for k in 0..SIZE {
        for (col, row) in [(k, 0), (k, SIZE - 1), (0, k), (SIZE - 1, k)] {
            put(col, row, INK);
        }
    }
    Picture { width: SIZE, height: SIZE, rgba }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(p: &Picture, col: u32, row: u32) -> [u8; 4] {
        let at = ((row * p.width + col) * 4) as usize;
        p.rgba[at..at + 4].try_into().unwrap()
    }

    #[test]
    fn dots_take_the_kernels_verdict_and_the_arc_is_drawn() {
        let p = draw(0, 1000);
        assert_eq!((p.width, p.height, p.rgba.len()), (SIZE, SIZE, (SIZE * SIZE * 4) as usize));
        let count = |c: [u8; 4]| p.rgba.chunks_exact(4).filter(|px| *px == c).count();
        assert!(count(INSIDE) > 0 && count(OUTSIDE) > 0);
        // Dart 0 of seed 0 is (0.399…, 0.735…): inside, at column 204, 376 up from the bottom.
        assert_eq!(pixel(&p, 204, SIZE - 1 - 376), INSIDE);
        // The arc crosses the diagonal at x = y = 1/√2 (column 362, 362 up), not its ends.
        assert_eq!(pixel(&p, 362, SIZE - 1 - 362), INK);
        assert_ne!(pixel(&draw(0, 0), 300, SIZE - 1 - 300), INK);
        // Without darts: only paper and ink.
        let empty = draw(0, 0);
        assert!(empty.rgba.chunks_exact(4).all(|px| px == PAPER || px == INK));
    }
}
