//! Colour maps from results to RGBA bytes, shared by both fronts so the server's PNG and the
//! page's canvas are the same pixels. Integer arithmetic only: the bytes must not depend on the
//! platform's float rounding.

use serde::{Deserialize, Serialize};

/// A map from a value in `[0, max]` to a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColorMap {
    /// The book's linear grey: black = cheap (escaped at once), white = expensive.
    #[default]
    Grey,
    /// False colour (black → red → yellow → white) on a square-root scale, which brings out the
    /// many low counts that the linear map leaves black.
    Fire,
}

impl ColorMap {
    /// The map named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<ColorMap> {
        match name {
            "grey" | "gray" => Some(ColorMap::Grey),
            "fire" => Some(ColorMap::Fire),
            _ => None,
        }
    }

    /// The colour of `value` on a scale of `0..=max` (`max > 0`; values above it saturate).
    pub fn rgba(self, value: u64, max: u64) -> [u8; 4] {
        let max = max.max(1);
        let value = value.min(max);
        match self {
            ColorMap::Grey => {
                let v = (value * 255 / max) as u8;
                [v, v, v, 255]
            }
            ColorMap::Fire => {
                // 0..=765 on a square-root scale, then three ramps: red, green, blue.
                let t = ((value as u128 * 765 * 765) / max as u128).isqrt() as u32;
                let ramp = |from: u32| t.saturating_sub(from).min(255) as u8;
                [ramp(0), ramp(255), ramp(510), 255]
            }
        }
    }
}

/// The Julia picture: each count on the scale `0..=max_iter`, as RGBA bytes, row-major.
pub fn julia_rgba(counts: &[u32], max_iter: u32, map: ColorMap) -> Vec<u8> {
    counts.iter().flat_map(|&c| map.rgba(c as u64, max_iter as u64)).collect()
}

/// Levels of the diffusion picture's scale. 16 bits, so that the fire map's square-root scale
/// still tells the faint rim of the spreading heat from the cold zeros around it.
pub const DIFFUSION_LEVELS: u64 = 1 << 16;

/// The diffusion heat map: each value on the scale `0..=max` (above saturates; below 0, NaN and
/// a `max` that is not finite and positive give level 0), as RGBA bytes, row-major. Pass the
/// initial peak ([`crate::diffusion::INITIAL_HEAT`]) to keep the colours fixed while an animation
/// runs, or the run's summary `max` for full contrast.
///
/// The one float step, `value × (LEVELS / max)` truncated to a level, is two correctly rounded
/// IEEE operations, so every platform gets the same level; from there it is integers (a table
/// of [`ColorMap::rgba`] per level, which keeps the square root out of the per-cell loop).
pub fn diffusion_rgba(grid: &[f64], max: f64, map: ColorMap) -> Vec<u8> {
    let scale = if max.is_finite() && max > 0.0 { DIFFUSION_LEVELS as f64 / max } else { 0.0 };
    let table: Vec<[u8; 4]> = (0..=DIFFUSION_LEVELS).map(|level| map.rgba(level, DIFFUSION_LEVELS)).collect();
    let mut rgba = Vec::with_capacity(grid.len() * 4);
    for &v in grid {
        // `as` saturates: negative and NaN give 0, huge values u64::MAX.
        let level = ((v * scale) as u64).min(DIFFUSION_LEVELS);
        rgba.extend_from_slice(&table[level as usize]);
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_runs_black_to_white_and_fire_ends_white() {
        assert_eq!(ColorMap::Grey.rgba(0, 300), [0, 0, 0, 255]);
        assert_eq!(ColorMap::Grey.rgba(300, 300), [255, 255, 255, 255]);
        assert_eq!(ColorMap::Grey.rgba(150, 300), [127, 127, 127, 255]);
        assert_eq!(ColorMap::Fire.rgba(0, 300), [0, 0, 0, 255]);
        assert_eq!(ColorMap::Fire.rgba(300, 300), [255, 255, 255, 255]);
        let mid = ColorMap::Fire.rgba(30, 300);
        assert!(mid[0] > mid[1] && mid[1] >= mid[2], "{mid:?} should be reddish");
    }

    #[test]
    fn julia_image_has_four_bytes_per_pixel() {
        let img = julia_rgba(&[0, 300, 7], 300, ColorMap::Fire);
        assert_eq!(img.len(), 12);
        assert_eq!(&img[4..8], &[255, 255, 255, 255]);
    }

    #[test]
    fn diffusion_image_scales_to_max_and_clamps() {
        let img = diffusion_rgba(&[0.0, 0.005, 0.0025, 1.0, -1.0, f64::NAN], 0.005, ColorMap::Grey);
        assert_eq!(img.len(), 24);
        assert_eq!(&img[0..4], &[0, 0, 0, 255]);
        assert_eq!(&img[4..8], &[255, 255, 255, 255]);
        assert_eq!(&img[8..12], &[127, 127, 127, 255]);
        assert_eq!(&img[12..16], &[255, 255, 255, 255]);
        assert_eq!((&img[16..20], &img[20..24]), (&[0, 0, 0, 255][..], &[0, 0, 0, 255][..]));
        // A faint value is still visibly red on the fire map's square-root scale.
        let faint = diffusion_rgba(&[0.005 / 10_000.0], 0.005, ColorMap::Fire);
        assert!(faint[0] > 0 && faint[1] == 0, "{faint:?}");
        assert_eq!(diffusion_rgba(&[0.5], 0.0, ColorMap::Fire), vec![0, 0, 0, 255]);
    }
}
