//! Cancellation and progress, shared by a running kernel and whoever started it.
//!
//! A kernel checks the cancel flag once per unit of work (a row, a step, a segment, a chunk of
//! divisors) and adds to the progress counter as units finish. The struct is `#[repr(C)]` with
//! plain atomics so that in the browser, where it lives in the module's shared memory, the page
//! can read progress and raise the flag with JavaScript `Atomics` while the worker is busy inside
//! a synchronous kernel call: the web crate hands out the field offsets ([`Control::LAYOUT`]).

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::Error;

/// The cancel flag and the progress counter of one run.
#[repr(C)]
#[derive(Debug, Default)]
pub struct Control {
    cancel: AtomicU32,
    _pad: u32,
    done: AtomicU64,
    total: AtomicU64,
}

/// Byte offsets of the fields of [`Control`], for readers outside Rust (JavaScript `Atomics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlLayout {
    /// Offset of the cancel flag (u32; non-zero = cancelled).
    pub cancel: usize,
    /// Offset of the count of finished units (u64).
    pub done: usize,
    /// Offset of the total count of units of the run (u64; 0 until the kernel sets it).
    pub total: usize,
}

impl Control {
    /// Field offsets, for JavaScript.
    pub const LAYOUT: ControlLayout = ControlLayout {
        cancel: std::mem::offset_of!(Control, cancel),
        done: std::mem::offset_of!(Control, done),
        total: std::mem::offset_of!(Control, total),
    };

    /// A fresh control: not cancelled, no progress. `const` so a front can keep one in a
    /// `static` (the wasm module's lives at a fixed address in shared memory).
    pub const fn new() -> Self {
        Control { cancel: AtomicU32::new(0), _pad: 0, done: AtomicU64::new(0), total: AtomicU64::new(0) }
    }

    /// Asks the run to stop; it returns [`Error::Cancelled`] soon after.
    pub fn cancel(&self) {
        self.cancel.store(1, Ordering::Relaxed);
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed) != 0
    }

    /// `Err(Cancelled)` once cancelled: the check a kernel makes per unit of work.
    pub fn check(&self) -> Result<(), Error> {
        if self.is_cancelled() { Err(Error::Cancelled) } else { Ok(()) }
    }

    /// (finished units, total units) of the current run.
    pub fn progress(&self) -> (u64, u64) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }

    /// Declares the run's size in units and zeroes the finished count.
    pub fn start(&self, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Records `units` more finished units.
    pub fn advance(&self, units: u64) {
        self.done.fetch_add(units, Ordering::Relaxed);
    }
}
