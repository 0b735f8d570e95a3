// The page's side of the book's Python (`side: "python"`): www/python/worker.js started on the
// first Python run (never on page load), its load time and progress kept apart from run times,
// one run at a time, cancelled by terminating the worker.

/** Units of work of a case (the book's Python and the benchmark harness compare runs of
 *  different sizes by them): iterations for Julia (the checksum: the sum of the counts),
 *  cell-steps for diffusion, darts for π, numbers for a range or a count, one run for a check. */
export function workUnits(workload, full, checksum) {
  switch (workload) {
    case 'julia': return { units: Number(checksum), unit: 'iteration' };
    case 'diffusion': return { units: full.width * full.height * full.steps, unit: 'cell-step' };
    case 'pi': return { units: Number(full.samples), unit: 'dart' };
    case 'primes':
      if (full.task === 'range') return { units: Number(full.end) - Number(full.start), unit: 'number' };
      if (full.task === 'count') return { units: Number(full.limit), unit: 'number' };
      return { units: 1, unit: 'run' };
    default: return { units: 1, unit: 'run' };
  }
}

export class PythonEngine {
  constructor() {
    this.worker = null;
    this.loading = null;
    this.pending = new Map();
    this.nextId = 1;
    /** { loaded, total } bytes while Pyodide loads, then null. */
    this.progress = null;
    /** How long the running worker took to load Pyodide (ms), once it has. */
    this.loadMs = null;
    this.version = null;
    this.listeners = new Set();
  }

  /** `fn({ type: 'progress' | 'ready' | 'stopped', ... })` on every change. */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(event) {
    for (const fn of this.listeners) fn(event);
  }

  get busy() {
    return this.pending.size > 0;
  }

  /** Starts the worker and loads Pyodide (once per worker) → resolves when it is ready. */
  start() {
    if (this.loading) return this.loading;
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.progress = { loaded: 0, total: 0 };
    this.loading = new Promise((resolve, reject) => {
      // A stop while loading (a cancel, a failure) settles this load too.
      this.rejectLoad = reject;
      worker.onmessage = ({ data }) => {
        if (data.type === 'progress') {
          this.progress = { loaded: data.loaded, total: data.total };
          this.notify({ type: 'progress', ...this.progress });
        } else if (data.type === 'ready') {
          this.progress = null;
          this.rejectLoad = null;
          this.loadMs = data.load_ms;
          this.version = data.version;
          this.notify({ type: 'ready', load_ms: data.load_ms });
          resolve();
        } else if (data.type === 'failed') {
          this.stop(data.message);
        } else {
          const p = this.pending.get(data.id);
          this.pending.delete(data.id);
          if (data.ok) p?.resolve(data.value);
          else p?.reject(data.error);
        }
      };
      worker.onerror = (e) => this.stop(`the Python worker failed: ${e.message || 'load error'}`);
    });
    return this.loading;
  }

  /** Runs the book's Python of `workload` on `params` (already checked by the validator's
   *  checkPython) → its answer plus `load_ms` (this worker's load of Pyodide) and `loaded_now`
   *  (whether this run waited for it). */
  async run(workload, params) {
    const loadedNow = !this.loadMs || !this.worker;
    const worker = (await this.start(), this.worker);
    if (!worker) throw { field: null, message: 'cancelled', kind: 'cancelled' };
    const id = this.nextId++;
    const value = await new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, type: 'run', workload, params });
    });
    return { ...value, load_ms: this.loadMs, loaded_now: loadedNow, python: `Pyodide ${this.version}` };
  }

  /** Stops a run going on (terminating the worker): true when there was one. */
  cancel() {
    if (!this.worker || (!this.busy && !this.progress)) return false;
    this.stop('cancelled', 'cancelled');
    return true;
  }

  stop(message, kind = 'error') {
    this.worker?.terminate();
    this.worker = null;
    this.loading = null;
    this.progress = null;
    this.loadMs = null;
    this.rejectLoad?.({ field: null, message, kind });
    this.rejectLoad = null;
    for (const p of this.pending.values()) p.reject({ field: null, message, kind });
    this.pending.clear();
    this.notify({ type: 'stopped', kind });
  }
}
