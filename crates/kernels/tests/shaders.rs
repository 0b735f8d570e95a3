//! The GPU side's WGSL shaders (`side: "gpu"` in the page), parsed and validated by naga, wgpu's
//! shader compiler, as a WebGPU implementation would before running them; their constants
//! checked against the kernels they must agree with.

use naga::valid::{Capabilities, ValidationFlags, Validator};
use parallax_kernels::pi::philox;
use parallax_kernels::shaders::{self, Shader};

fn module(shader: &Shader) -> naga::Module {
    let module = naga::front::wgsl::parse_str(shader.source)
        .unwrap_or_else(|e| panic!("{}: {}", shader.file, e.emit_to_string(shader.source)));
    Validator::new(ValidationFlags::all(), Capabilities::empty())
        .validate(&module)
        .unwrap_or_else(|e| panic!("{}: {}", shader.file, e.emit_to_string(shader.source)));
    module
}

#[test]
fn every_shader_parses_and_validates_with_its_entry_point() {
    assert_eq!(shaders::ALL.iter().map(|s| s.workload).collect::<Vec<_>>(), ["julia", "pi"]);
    for shader in shaders::ALL {
        let module = module(shader);
        let entry = module.entry_points.iter().find(|e| e.name == shader.entry);
        let entry = entry.unwrap_or_else(|| panic!("{}: no entry point {}", shader.file, shader.entry));
        assert_eq!(entry.stage, naga::ShaderStage::Compute, "{}", shader.file);
    }
}

#[test]
fn shader_files_on_disk_are_the_ones_listed() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut on_disk = Vec::new();
    for dir in std::fs::read_dir(src).unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for file in std::fs::read_dir(&dir).unwrap() {
                let file = file.unwrap().path();
                if file.extension().is_some_and(|e| e == "wgsl") {
                    on_disk.push(file.strip_prefix(src).unwrap().to_string_lossy().into_owned());
                }
            }
        }
    }
    on_disk.sort();
    let listed: Vec<_> = shaders::ALL.iter().map(|s| s.file.to_string()).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn the_pi_shader_uses_philoxs_constants() {
    let pi = shaders::ALL.iter().find(|s| s.workload == "pi").unwrap();
    for constant in [philox::M0, philox::M1, philox::W0, philox::W1] {
        assert!(pi.source.contains(&format!("0x{constant:08X}u")), "{constant:#x} missing from {}", pi.file);
    }
    assert!(pi.source.contains(&format!("r < {}u", philox::ROUNDS)));
}

/// A broken shader is refused: the check above can fail.
#[test]
fn naga_refuses_a_broken_shader() {
    let broken = "@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }";
    let parsed = naga::front::wgsl::parse_str(broken);
    let refused = match parsed {
        Err(_) => true,
        Ok(m) => Validator::new(ValidationFlags::all(), Capabilities::empty()).validate(&m).is_err(),
    };
    assert!(refused);
}
