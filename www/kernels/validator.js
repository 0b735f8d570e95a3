// Checks requests as they are typed, with the kernels' own parser and limits: a second copy of
// the wasm module in its own worker, without a thread pool (www/kernels/worker.js, `?role=validate`),
// so checking never waits behind a running kernel. Answers in well under a millisecond.

export class Validator {
  /** `build`: which module to load, the same as the engine's ("threads+simd", "simd", "plain"),
   *  or a promise of one. */
  constructor(build) {
    this.nextId = 1;
    this.pending = new Map();
    this.started = Promise.resolve(build).then((b) => this.start(b));
  }

  start(build) {
    const url = new URL('./worker.js', import.meta.url);
    url.searchParams.set('role', 'validate');
    if (build !== 'threads+simd') url.searchParams.set('build', build);
    this.worker = new Worker(url, { type: 'module' });
    this.worker.onmessage = ({ data }) => {
      const resolve = this.pending.get(data.id);
      this.pending.delete(data.id);
      resolve?.(data.ok ? null : data.error);
    };
    this.worker.onerror = (e) => {
      // A checker that failed says so on every check, now and later, instead of hanging them.
      this.broken = { field: null, message: `the input checker failed (${e.message || 'load error'}): reload the page` };
      for (const resolve of this.pending.values()) resolve(this.broken);
      this.pending.clear();
    };
  }

  /** null when `request` (JSON text) is acceptable for `workload` with `threads` at most, else
   *  the refusal `{ field, message }` in the server's words. */
  check(workload, request, threads) {
    return this.ask({ type: 'validate', workload, request, threads });
  }

  /** The same for the book's Python on Pyodide (`params`: JSON text): the kernels' validation,
   *  then the Python side's limit of work (its description's `python`). */
  checkPython(workload, params) {
    return this.ask({ type: 'validate_python', workload, request: params });
  }

  async ask(message) {
    await this.started;
    if (this.broken) return this.broken;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, ...message });
    });
  }
}
