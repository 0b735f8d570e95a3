// The Julia set in f32 on the GPU (WebGPU has no f64): docs/workloads.md §1b.
//
// One invocation per pixel, the reference's loop in its order: `|z|² < 4` tested first, then
// z ← (re·re − im·im + c_re, re·im + im·re + c_im). The coordinates come in as f32 computed on
// the CPU in f64 and rounded once (the kernels' rule), so the starting points are the kernels'
// to the bit. WGSL lets an implementation fuse `a*b + c` and reassociate, so the counts are
// compared with the f32 kernels by agreement, not by checksum.

struct Params {
    width: u32,
    height: u32,
    max_iter: u32,
    // The first row of this dispatch: rows go in bands, so a run can report progress and stop.
    first_row: u32,
    c_re: f32,
    c_im: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
// Column i's real coordinate, and row j's imaginary one (row 0 is the top).
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ys: array<f32>;
// Row-major counts of the whole image.
@group(0) @binding(3) var<storage, read_write> counts: array<u32>;

@compute @workgroup_size(8, 8)
fn escape_counts(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    let j = params.first_row + id.y;
    if i >= params.width || j >= params.height {
        return;
    }
    var re = xs[i];
    var im = ys[j];
    var n = 0u;
    while re * re + im * im < 4.0 && n < params.max_iter {
        let next_re = re * re - im * im + params.c_re;
        im = re * im + im * re + params.c_im;
        re = next_re;
        n++;
    }
    counts[j * params.width + i] = n;
}
