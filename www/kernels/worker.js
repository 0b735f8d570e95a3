// The kernels' host: a dedicated module worker that loads the wasm module, starts the rayon
// pool (before any kernel call: docs/toolchain.md, "Pool before rayon"), runs kernels and posts results back.
// The page's main thread never runs a kernel, so it stays responsive during a run.
//
// Messages in:  { id, type: 'hello' }                      → build facts, memory, layouts, startup times
//               { id, type: 'hello' } also carries `descriptions`: the kernels' describe()
//               { id, type: 'run', workload, request, picture?, map?, buffer? }
//                   → { ...answer, kernel_ms, buffer, picture: { width, height, rgba } }
//               { id, type: 'animate', request, map }       → frames, then { ...answer, kernel_ms, chunks }
//               (answer: the module's, the server's JSON without its timings: workload, variant,
//               threads, lanes, checksum and the summary fields)
//               { id, type: 'validate', workload, request, threads } → null, or throws the refusal
//               { id, type: 'validate_python', workload, request } → the same, for the book's Python
//               { id, type: 'panic', inPool }               (test entry point)
// Messages out: { id, ok: true, value } | { id, ok: false, error: { field, message, kind } }
//               | { id, frame: { picture, steps_done, steps } } (diffusion frames, several per run)
// `?build=simd` loads the single-threaded SIMD128 module, `?build=plain` the one with neither
// (www/kernels/features.js decides which this browser and page can run).
// `?role=validate` starts no pool: that copy only checks requests, so fields are checked as
// they are typed even while the kernels' worker is busy.
const params = new URL(self.location.href).searchParams;
const single = ['simd', 'plain'].includes(params.get('build')) ? params.get('build') : null;
const validator = params.get('role') === 'validate';

/** Frames of an animation: at least this many when there are enough steps... */
const MIN_FRAMES = 24;
/** ...and otherwise a chunk of steps of about this many milliseconds. */
const FRAME_MS = 40;
let wasm;

const ready = (async () => {
  // Where a start's time goes (the comparison's "where the time goes"): the module's fetch and
  // compile, then the pool's start (one web worker per thread). The worker's clock starts at 0.
  const startup = { script_ms: performance.now() };
  wasm = await import(single ? `../${single}/parallax-web.js` : '../parallax-web.js');
  const exports = await wasm.default();
  startup.compile_ms = performance.now() - startup.script_ms;
  // The page times the pool's start from here (www/kernels/engine.js, START_TIMEOUTS_MS).
  self.postMessage({ loaded: true });
  const build = JSON.parse(wasm.build_info());
  const threads = build.threads ? (navigator.hardwareConcurrency || 1) : 1;
  const poolStart = performance.now();
  if (build.threads && !validator) await wasm.initThreadPool(threads);
  startup.pool_ms = performance.now() - poolStart;
  return { memory: exports.memory, build, threads, startup };
})();

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  try {
    const state = await ready;
    if (type === 'hello') {
      const [ptr, cancel, done, total] = wasm.control_layout();
      const [flag, len, bytes, capacity] = wasm.panic_layout();
      // Shared memory can be posted: the page then reads progress and raises cancel in place.
      const memory = state.build.threads ? state.memory : null;
      reply(id, { build: state.build, pool_threads: state.threads, memory, descriptions: JSON.parse(wasm.describe()), startup: state.startup,
                  control: { ptr, cancel, done, total }, panic: { flag, len, bytes, capacity } });
    } else if (type === 'run') {
      const start = performance.now();
      wasm.run(data.workload, data.request, state.threads);
      const elapsed = performance.now() - start;
      // The answer's checksum and summary outside the kernel's time, as on the server
      // (docs/bench.md, "What kernel_ms holds"); per repetition (`repeat`), as it reports it.
      const answer = JSON.parse(wasm.answer());
      const kernel_ms = elapsed / Math.max(1, answer.repeat ?? 1);
      // The raw result and the picture are copied out only when asked for (the page draws
      // primes from the buffer; a picture says the rest), so a big run is not copied twice.
      const buffer = data.buffer ? wasm.take_buffer().buffer : null;
      const p = data.picture ? wasm.take_picture(data.map || 'grey') : null;
      const picture = p && { width: p.width, height: p.height, rgba: p.rgba.buffer };
      const transfer = [buffer, picture?.rgba].filter(Boolean);
      reply(id, { ...answer, kernel_ms, buffer, picture }, transfer);
    } else if (type === 'julia_rgba') {
      // The GPU side's counts, coloured as the kernels colour theirs.
      const rgba = wasm.julia_rgba(new Uint32Array(data.counts), data.max_iter, data.map || 'grey');
      reply(id, { rgba: rgba.buffer }, [rgba.buffer]);
    } else if (type === 'animate') {
      reply(id, animate(id, data.request, data.map, state.threads));
    } else if (type === 'validate') {
      wasm.validate(data.workload, data.request, data.threads || state.threads);
      reply(id, null);
    } else if (type === 'validate_python') {
      wasm.validate_python(data.workload, data.request);
      reply(id, null);
    } else if (type === 'panic') {
      wasm.__test_panic(Boolean(data.inPool));
    } else {
      throw { field: null, message: `unknown message type ${type}` };
    }
  } catch (e) {
    const error = e && typeof e === 'object' && 'message' in e
      ? { field: e.field ?? null, message: String(e.message), kind: e.kind ?? 'error' }
      : { field: null, message: String(e), kind: 'error' };
    self.postMessage({ id, ok: false, error });
  }
};

/**
 * Diffusion in chunks, posting a frame after each: the first chunk is one step, later ones are
 * sized from the measured time per step (about FRAME_MS each, and at least MIN_FRAMES frames).
 * `kernel_ms` counts only the kernel calls, not the colouring of frames.
 */
function animate(id, request, map, threads) {
  let start = performance.now();
  const steps = wasm.diffusion_begin(request, threads);
  let kernel_ms = performance.now() - start;
  let done = 0, chunk = 1, chunks = 0;
  const first = wasm.diffusion_frame(map).buffer;
  self.postMessage({ id, frame: { picture: first, steps_done: 0, steps } }, [first]);
  while (done < steps) {
    start = performance.now();
    const now = wasm.diffusion_advance(chunk);
    const ms = performance.now() - start;
    kernel_ms += ms;
    chunks += 1;
    const perStep = ms / Math.max(1, now - done);
    done = now;
    const picture = wasm.diffusion_frame(map).buffer;
    self.postMessage({ id, frame: { picture, steps_done: done, steps } }, [picture]);
    chunk = Math.max(1, Math.min(Math.ceil(steps / MIN_FRAMES), Math.round(FRAME_MS / Math.max(perStep, 1e-3))));
  }
  wasm.diffusion_finish();
  return { ...JSON.parse(wasm.answer()), kernel_ms, chunks, buffer: null, picture: null };
}

function reply(id, value, transfer = []) {
  self.postMessage({ id, ok: true, value }, transfer);
}
