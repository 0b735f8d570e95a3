//! The GPU side's shaders: WGSL beside each workload's kernels, the same text the page ships
//! (`side: "gpu"` runs them through WebGPU) and `cargo test` validates with naga.

/// One workload's compute shader.
#[derive(Debug, Clone, Copy)]
pub struct Shader {
    /// The workload it computes.
    pub workload: &'static str,
    /// Its path under `crates/kernels/src/`.
    pub file: &'static str,
    /// Its compute entry point.
    pub entry: &'static str,
    /// The WGSL text.
    pub source: &'static str,
}

/// Every shader, by workload name.
pub const ALL: &[Shader] = &[
    Shader {
        workload: "julia",
        file: "julia/julia.wgsl",
        entry: "escape_counts",
        source: include_str!("julia/julia.wgsl"),
    },
    Shader { workload: "pi", file: "pi/pi.wgsl", entry: "count_inside", source: include_str!("pi/pi.wgsl") },
];
