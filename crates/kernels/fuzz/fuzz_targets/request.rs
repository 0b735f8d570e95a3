//! Any bytes as a request body of every workload: parse and validate (what the server and the
//! wasm module do with a visitor's input) must give a run or an error, never a panic, a hang or
//! an unbounded allocation. A request that passes is not run (its work is bounded by the
//! validation itself, and a fuzzer would spend its time computing Julia sets).
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_kernels::registry;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for w in registry::all() {
        match w.prepare(text, 2) {
            Ok(prepared) => {
                let exec = prepared.exec();
                assert!((1..=2).contains(&exec.threads));
            }
            Err(e) => assert!(!e.message.is_empty()),
        }
    }
});
