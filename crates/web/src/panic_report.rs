//! Panic messages in shared memory. A panic in a rayon pool thread aborts that web worker
//! (panic = abort in wasm) and the worker that called the kernel then waits forever, unable to
//! post anything. So the hook writes the message to a fixed buffer and raises a flag, both in
//! the module's shared memory, where the page's watchdog reads them with `Atomics`.

use std::sync::atomic::{AtomicU32, Ordering};

const CAPACITY: usize = 1024;

/// Non-zero once a panic was reported.
static FLAG: AtomicU32 = AtomicU32::new(0);
/// Bytes of the message in `BYTES`.
static LEN: AtomicU32 = AtomicU32::new(0);
/// The message, UTF-8, truncated to `CAPACITY` bytes. Atomics per byte: written by whichever
/// thread panics, read by JavaScript; no Rust code reads it.
static BYTES: [std::sync::atomic::AtomicU8; CAPACITY] = [const { std::sync::atomic::AtomicU8::new(0) }; CAPACITY];

/// Installs the hook: console first (console_error_panic_hook), then shared memory.
pub(crate) fn install() {
    std::panic::set_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        let message = info.to_string();
        if FLAG.swap(1, Ordering::AcqRel) == 0 {
            let bytes = &message.as_bytes()[..message.len().min(CAPACITY)];
            for (slot, &b) in BYTES.iter().zip(bytes) {
                slot.store(b, Ordering::Relaxed);
            }
            LEN.store(bytes.len() as u32, Ordering::Release);
        }
    }));
}

/// `[flag_ptr, len_ptr, bytes_ptr, capacity]`.
pub(crate) fn layout() -> Vec<u32> {
    let addr = |p: *const u8| p as usize as u32;
    vec![
        addr((&FLAG as *const AtomicU32).cast()),
        addr((&LEN as *const AtomicU32).cast()),
        addr(BYTES.as_ptr().cast()),
        CAPACITY as u32,
    ]
}
