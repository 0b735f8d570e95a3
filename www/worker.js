// The kernels' host: a dedicated module worker that loads the wasm module, starts the rayon
// pool (before any kernel call: toolchain.md, trap 12), runs kernels and posts results back.
// The page's main thread never runs a kernel, so it stays responsive during a run.
//
// Messages in:  { id, type: 'hello' }                      → build facts, memory, layouts
//               { id, type: 'run', workload, request, map } → { checksum, summary, kernel_ms, buffer, picture }
//               { id, type: 'panic', inPool }               (test entry point)
// Messages out: { id, ok: true, value } | { id, ok: false, error: { field, message, kind } }
// `?build=plain` loads the fallback module (no threads, no SIMD: www/features.js decides).
const plain = new URL(self.location.href).searchParams.get('build') === 'plain';
let wasm;

const ready = (async () => {
  wasm = await import(plain ? './plain/parallax-web.js' : './parallax-web.js');
  const exports = await wasm.default();
  const build = JSON.parse(wasm.build_info());
  const threads = build.threads ? (navigator.hardwareConcurrency || 1) : 1;
  if (build.threads) await wasm.initThreadPool(threads);
  return { memory: exports.memory, build, threads };
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
      reply(id, { build: state.build, pool_threads: state.threads, memory,
                  control: { ptr, cancel, done, total }, panic: { flag, len, bytes, capacity } });
    } else if (type === 'run') {
      const start = performance.now();
      const out = wasm.run(data.workload, data.request, state.threads);
      const kernel_ms = performance.now() - start;
      const buffer = wasm.take_buffer().buffer;
      const picture = data.map ? wasm.take_picture(data.map).buffer : null;
      const transfer = picture ? [buffer, picture] : [buffer];
      reply(id, { checksum: out.checksum, summary: JSON.parse(out.summary), kernel_ms, buffer, picture }, transfer);
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

function reply(id, value, transfer = []) {
  self.postMessage({ id, ok: true, value }, transfer);
}
