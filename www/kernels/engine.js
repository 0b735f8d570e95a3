// The browser engine: one dedicated worker running the wasm kernels, with cancel and progress
// through the module's shared memory and a watchdog that restarts a dead or hung worker.
//
// A panic in a rayon pool thread kills that web worker and leaves ours blocked forever
// (docs/toolchain.md, "A panic in a pool thread"): the Rust panic hook writes the message into
// shared memory, and the watchdog, polling it while a run is pending, terminates the worker,
// rejects the run with the message and starts a fresh worker. A run that reports no progress
// for STALL_MS is treated as hung in the same way.
//
// Why not Comlink: it would replace the dozen lines of id-matched messages here and in
// validator.js, but not what most of this file is — terminating and restarting the worker with
// every pending call rejected, the watchdog, frames streamed during one call, and the control
// block read in place — so both keep their few lines of plumbing.

const STALL_MS = 60_000;
const WATCH_MS = 100;
/** How long each start may take from its module's `{ loaded: true }` message to its first
 *  answer (the pool's threads all up), one entry per attempt: a worker stuck starting is
 *  replaced, and the last one stuck leaves the engine broken, said in words on the page,
 *  instead of "Starting the kernels…" forever. The module's download and compile are not timed
 *  (a slow link may take long; a failed one ends in the worker's error). Firefox 153 now and
 *  then never starts the pool of a page opened as a busy one is left (about 1 load in 20 in
 *  `docs/engines.md`'s loop; once, in CI, the replacement did not start either): the first two
 *  attempts are cut short — the pool starts in 20–90 ms here (startup.pool_ms in the facts) —
 *  the last is generous, for a machine under load. */
const START_TIMEOUTS_MS = [3_000, 3_000, 30_000];

export class Engine {
  /** `build`: "threads+simd", "simd" or "plain", or a promise of one (www/kernels/features.js's
   *  probes take a moment: the worker starts once they have decided). `startTimeoutsMs`: how
   *  long each attempt's start may take (tests shorten them). */
  constructor(build = 'threads+simd', { startTimeoutsMs = START_TIMEOUTS_MS } = {}) {
    this.startTimeoutsMs = startTimeoutsMs;
    this.nextId = 1;
    this.pending = new Map();
    this.lastPanic = null;
    /** Counts worker starts: a run on a fresh worker is a cold run. */
    this.generation = 0;
    /** Set once a worker answered: only then is a failed worker restarted (a worker that cannot
     *  even load would otherwise be restarted forever). */
    this.started = false;
    this.broken = null;
    this.ready = Promise.resolve(build).then((b) => {
      this.url = new URL('./worker.js', import.meta.url);
      if (b !== 'threads+simd') this.url.searchParams.set('build', b);
      return this.start();
    });
  }

  /** Starts (or restarts) the worker; `this.ready` resolves to its facts. */
  start(attempt = 1) {
    this.worker = new Worker(this.url, { type: 'module' });
    let loaded = null; // set below: the module has loaded, the pool's start is timed from here
    this.worker.onmessage = ({ data }) => {
      if (data.loaded) {
        loaded?.();
        return;
      }
      const p = this.pending.get(data.id);
      if (!p) return;
      if (data.frame) {
        p.onFrame?.(data.frame);
        return;
      }
      this.pending.delete(data.id);
      data.ok ? p.resolve(data.value) : p.reject(data.error);
    };
    this.worker.onerror = (e) => this.fail(`the worker failed: ${e.message || 'load error'}`);
    this.generation += 1;
    const created = performance.now();
    const worker = this.worker;
    const limit = this.startTimeoutsMs[attempt - 1];
    this.ready = new Promise((resolve, reject) => {
      let timer = null;
      const stuck = () => {
        if (this.worker !== worker) return; // replaced meanwhile (fail): that start decides
        const message = `the kernels' module loaded, but its worker did not start within ${limit / 1000} s`;
        this.abandon(message);
        if (attempt < this.startTimeoutsMs.length) {
          resolve(this.start(attempt + 1));
        } else {
          this.broken = message;
          reject({ field: null, message, kind: 'worker' });
        }
      };
      loaded = () => { timer ??= setTimeout(stuck, limit); };
      this.call({ type: 'hello' }).then((facts) => {
        clearTimeout(timer);
        this.started = true;
        // From `new Worker` to its first answer, as the page waits for it.
        facts.startup = { ...facts.startup, ready_ms: performance.now() - created, attempts: attempt };
        resolve(this.facts = facts);
      }, (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    return this.ready;
  }

  call(message, onFrame = null) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onFrame });
      this.worker.postMessage({ id, ...message });
    });
  }

  /** Terminates the worker and rejects every pending call with `message`. */
  abandon(message, kind = 'worker') {
    this.worker.terminate();
    const error = { field: null, message, kind };
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  /** Rejects every pending call with `message`, terminates the worker and starts a new one
   *  (unless no worker ever started: then the engine stays broken, with the reason). */
  fail(message, kind = 'worker') {
    this.abandon(message, kind);
    if (this.started) this.start().catch(() => {});
    else this.broken = message;
  }

  /** Sends a message ({ type: 'run', workload, request: JSON text, picture, map, buffer },
   *  { type: 'animate', request, map } whose frames go to `onFrame`, or a test panic) under the
   *  watchdog. A cancelled run rejects with kind 'cancelled'. */
  async run(message, onFrame = null) {
    await this.ready;
    this.clearControl();
    const call = this.call(message, onFrame);
    const watch = this.watch();
    try {
      return await call;
    } catch (e) {
      // A panic on the worker's own thread comes back as a trap ("unreachable"): the instance
      // is not to be trusted after it, so it is replaced, and the panic's words are reported.
      // (A rejection by `fail` has replaced the worker already: not twice; a panic's words are
      // still read, should the worker's own error have come before the watchdog saw them.)
      const panic = this.panicMessage();
      if (panic) this.lastPanic = panic;
      if (!panic || e?.kind === 'worker') throw e;
      this.fail(`the kernel panicked: ${panic}`);
      throw { field: null, message: `the kernel panicked: ${panic}`, kind: 'worker' };
    } finally {
      watch.stop();
    }
  }

  /** Lowers the cancel flag and zeroes progress before a run is posted (the kernel itself
   *  leaves the flag alone, so a Cancel pressed before it starts still counts). */
  clearControl() {
    const c = this.control();
    if (!c) return;
    Atomics.store(c.cancel, 0, 0);
    Atomics.store(c.done, 0, 0n);
    Atomics.store(c.total, 0, 0n);
  }

  /** Views of the module's control block in shared memory, at the field offsets the module
   *  exports (`control_layout()`): `cancel` (the flag), `done` and `total` (the progress
   *  counters); null without shared memory (the single-threaded builds). */
  control() {
    const f = this.facts;
    if (!f?.memory) return null;
    const { ptr, cancel, done, total } = f.control;
    return {
      cancel: new Int32Array(f.memory.buffer, ptr + cancel, 1),
      done: new BigUint64Array(f.memory.buffer, ptr + done, 1),
      total: new BigUint64Array(f.memory.buffer, ptr + total, 1),
    };
  }

  /** Polls the panic report and progress while a run is pending. */
  watch() {
    let last = this.progress(), lastChange = performance.now();
    const timer = setInterval(() => {
      const panic = this.panicMessage();
      if (panic) {
        this.lastPanic = panic;
        clearInterval(timer);
        this.fail(`the kernel panicked: ${panic}`);
        return;
      }
      const now = this.progress();
      if (!now || now.done !== last?.done) {
        last = now;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > STALL_MS) {
        clearInterval(timer);
        this.fail(`the worker made no progress for ${STALL_MS / 1000} s and was restarted`);
      }
    }, WATCH_MS);
    return { stop: () => clearInterval(timer) };
  }

  /** { done, total } of the running kernel, read from shared memory (null without threads). */
  progress() {
    const c = this.control();
    return c && { done: Number(Atomics.load(c.done, 0)), total: Number(Atomics.load(c.total, 0)) };
  }

  /** Asks the running kernel to stop: the shared flag with threads; a single-threaded build has no
   *  shared memory, so its worker is terminated and restarted. */
  cancel() {
    const c = this.control();
    if (c) {
      Atomics.store(c.cancel, 0, 1);
    } else if (this.pending.size) {
      this.fail('cancelled', 'cancelled');
    }
  }

  panicMessage() {
    const f = this.facts;
    if (!f?.memory) return null;
    const flag = new Int32Array(f.memory.buffer, f.panic.flag, 1);
    if (Atomics.load(flag, 0) === 0) return null;
    const len = Atomics.load(new Int32Array(f.memory.buffer, f.panic.len, 1), 0);
    const bytes = new Uint8Array(f.memory.buffer, f.panic.bytes, len).slice();
    return new TextDecoder().decode(bytes) || 'a panic';
  }
}
