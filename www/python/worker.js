// The book's Python (www/python/<workload>.py, the repository's one copy, which the benchmark
// harness runs on CPython) on Pyodide — CPython compiled to WebAssembly — in a module worker of
// its own. Started by www/python/engine.js the first time a Python run is asked for, never on
// page load: Pyodide is ≈ 12 MiB (pyodide.asm.wasm, python_stdlib.zip), served from the page's
// own origin (dist/pyodide/, copied from the pinned npm package). Cancelling terminates this
// worker; the next run starts another (the files then come from the HTTP cache).
//
// Messages in:  { id, type: 'run', workload, params } → the file's run(params): { checksum,
//               kernel_ms, units, unit, ...summary } plus call_ms
// Messages out: { type: 'progress', loaded, total } (bytes of Pyodide's files, while loading),
//               { type: 'ready', load_ms, version }, { type: 'failed', message },
//               { id, ok: true, value } | { id, ok: false, error: { field, message, kind } }
// Times: `kernel_ms` is the book's Python timed by itself (time.perf_counter, which is
// performance.now() in Pyodide) around the book's function only, as the harness times it on
// CPython; `call_ms` is performance.now() here around the whole call (building its inputs too).
import { loadPyodide } from '../pyodide/pyodide.mjs';

const started = performance.now();
let loaded = 0, total = 0;

/** fetch, counting the bytes of every answer as they arrive, for the page's progress bar. */
async function countingFetch(input, init) {
  const res = await plainFetch(input, init);
  if (!res.body) return res;
  total += Number(res.headers.get('content-length')) || 0;
  const counter = new TransformStream({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      self.postMessage({ type: 'progress', loaded, total: Math.max(total, loaded) });
      controller.enqueue(chunk);
    },
  });
  // The headers go along, so WebAssembly.instantiateStreaming still sees application/wasm.
  return new Response(res.body.pipeThrough(counter), { status: res.status, statusText: res.statusText, headers: res.headers });
}
const plainFetch = self.fetch.bind(self);

const pyodide = (async () => {
  self.fetch = countingFetch;
  try {
    return await loadPyodide({ indexURL: new URL('../pyodide/', import.meta.url).href });
  } finally {
    self.fetch = plainFetch;
  }
})();

pyodide.then(
  (py) => self.postMessage({ type: 'ready', load_ms: performance.now() - started, version: py.version }),
  (e) => self.postMessage({ type: 'failed', message: `Pyodide did not start: ${e?.message ?? e}` }),
);

/** Each workload's `run`, its file executed once in a namespace of its own. */
const runs = new Map();

async function runOf(py, workload) {
  if (!runs.has(workload)) {
    const res = await plainFetch(new URL(`./${encodeURIComponent(workload)}.py`, import.meta.url));
    if (!res.ok) throw { field: 'workload', message: `${workload}: the book's Python is not here (HTTP ${res.status})` };
    const namespace = py.globals.get('dict')();
    py.runPython(await res.text(), { globals: namespace, filename: `${workload}.py` });
    runs.set(workload, namespace.get('run'));
  }
  return runs.get(workload);
}

self.onmessage = async ({ data }) => {
  const { id, workload, params } = data;
  try {
    const py = await pyodide;
    const run = await runOf(py, workload);
    const args = py.toPy(params);
    const t0 = performance.now();
    const result = run(args);
    const call_ms = performance.now() - t0;
    const value = { ...result.toJs({ dict_converter: Object.fromEntries }), call_ms };
    args.destroy();
    result.destroy();
    self.postMessage({ id, ok: true, value });
  } catch (e) {
    // A Python exception arrives as a PythonError whose message is the traceback: its last line says it.
    const message = e?.type ? String(e.message).trim().split('\n').pop() : e?.message ?? String(e);
    self.postMessage({ id, ok: false, error: { field: e?.field ?? null, message, kind: 'error' } });
  }
};
