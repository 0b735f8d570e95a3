//! PNG encoding of the shared colour maps' RGBA bytes (`?format=png`), with the `png` crate.

/// Encodes `rgba` (`width × height × 4` bytes) as a PNG. Fast compression: the picture is
/// made for one response, and on 2 cores the default level costs more than the kernel.
pub fn encode_rgba(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let written = encoder.write_header().and_then(|mut w| w.write_image_data(rgba));
    // Only a buffer of the wrong size fails, and the workloads size it from the same params.
    debug_assert!(written.is_ok(), "{written:?}");
    out
}
