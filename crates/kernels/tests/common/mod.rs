//! What the kernels' integration tests share.
#![allow(dead_code, unreachable_pub)]

use parallax_kernels::{Exec, Variant};

/// Every variant × width (default, 2, 4, 8) × thread count (1, 2, 3) a run can take.
pub fn all_execs() -> Vec<Exec> {
    let mut execs = Vec::new();
    for threads in [1, 2, 3] {
        execs.push(Exec::new(Variant::Reference).threads(threads));
        execs.push(Exec::new(Variant::Simd).threads(threads));
        for lanes in [2, 4, 8] {
            execs.push(Exec::new(Variant::Simd).lanes(lanes).threads(threads));
        }
    }
    execs
}
