// The environment facts at the top of the page: what runs the browser's side and the server's,
// and, whenever something is off, why, in words.
import { el } from './dom.js';
import { engineLabel } from './kernels/features.js';
import { shortCpu } from './race/link.js';
import { adapterLabel } from './gpu/device.js';

/** `env`: window.parallax.env(); `features`: www/kernels/features.js's detect(); `serverError`: why
 *  /api/info failed, if it did. */
export function renderEnv(node, env, features, serverError) {
  const s = env.server;
  const facts = [
    ['browser', 'Browser', env.engine?.name === 'unknown' || !env.engine ? navigator.userAgent : `${env.engine.label} — ${navigator.userAgent}`],
    ['cores', 'Cores', `${env.cores} logical (navigator.hardwareConcurrency)`],
    ['isolated', 'Cross-origin isolated', isolationText(env.isolation, env.isolated, features.sharedMemory)],
    ['simd', 'WebAssembly SIMD', env.simd ? 'available; in use (SIMD128, 2 × f64)'
      : `${features.simd ? 'available in this browser' : 'not available in this browser'}, not in use: `
        + `the plain build has none, so the "SIMD" variant runs its portable lanes without SIMD128${env.build === 'plain' && env.why ? ` (the plain build runs because ${env.why})` : ''}`],
    ['threads', 'Threads', env.build !== 'threads+simd'
      ? `not in use: ${env.why || 'this build has none'}`
      : `in use: a pool of ${env.threads} web worker${env.threads === 1 ? '' : 's'} (wasm-bindgen-rayon)`],
    ['build', 'WebAssembly build', {
      'threads+simd': 'threads + SIMD128 (shared memory, atomics)',
      simd: `SIMD128 on one thread — the single-threaded SIMD build runs because ${env.why}`,
      plain: `plain (no threads, no SIMD) — the single-threaded plain build runs because ${env.why}`,
    }[env.build] ?? env.build],
    ['timer', 'Timer resolution', Number.isFinite(env.timer_resolution_ms)
      ? `${(env.timer_resolution_ms * 1000).toFixed(1)} µs (performance.now(), measured${env.isolated ? '' : '; coarse because the page is not cross-origin isolated'})`
      : 'not measured'],
    ['api', 'API', env.api === self.location.origin ? `this page's origin (${env.api})` : `${env.api} (from ?api=)`],
    ['server', 'Server', s
      ? `${s.cpu}; ${s.simd} (${s.lanes} × f64); ${s.pool_threads} kernel thread${s.pool_threads === 1 ? '' : 's'} of ${s.logical_cores} cores; queue of ${s.queue?.capacity}; time limit ${s.timeout_s} s; parallax-server ${s.version}`
      : `unreachable (${serverError || 'no answer'}): server runs will fail, browser runs still work`],
    ['gpu', 'GPU (WebGPU)', gpuText(env.gpu)],
  ];
  const list = el('dl', { className: 'facts' });
  for (const [id, term, text] of facts) {
    list.append(el('div', { 'data-testid': `env-${id}` }, el('dt', {}, term), el('dd', {}, text)));
  }
  // Only its own list is replaced: what others add below it (the comparisons' conditions) stays
  // when the facts are shown again (the GPU's, known after the page is ready).
  const old = node.querySelector(':scope > dl.facts');
  if (old) old.replaceWith(list);
  else node.replaceChildren(list);
}

/** Whether the page is isolated, and by what: COOP/COEP headers, the isolation service worker
 *  (www/isolation.js, for hosts that send no headers), or nothing, and why; and whether memory
 *  could then be shared with a worker (`shared`: the threads probe's verdict). */
function isolationText(isolation, isolated, shared) {
  const memory = shared ? ': SharedArrayBuffer is on' : ', but this browser cannot share memory with a worker (see Threads)';
  if (isolated && isolation?.source === 'service worker') {
    return `yes, by the isolation service worker (coi-serviceworker: the host sends no COOP/COEP)${memory}`;
  }
  if (isolated) return `yes, by the COOP + COEP headers${memory}`;
  return `no: ${isolation?.why || 'the page was served without COOP/COEP headers'}, so SharedArrayBuffer and wasm threads are off`;
}

/** The GPU side's adapter and its limits, or why there is none (www/gpu/device.js). */
function gpuText(gpu) {
  if (!gpu) return 'not asked yet';
  if (!gpu.available) return `not available: ${gpu.why}; every other side works`;
  const a = gpu.adapter;
  const mib = (bytes) => `${Math.round(bytes / 2 ** 20)} MiB`;
  return `${adapterLabel(a)}: runs Monte Carlo π (bit-identical) and the Julia set in f32 — limits: buffers ${mib(a.limits.max_buffer_size)}, `
    + `storage bindings ${mib(a.limits.max_storage_buffer_binding_size)}, ${a.limits.max_compute_workgroups_per_dimension} workgroups a dimension`
    + `${a.fallback ? '; a software adapter (a CPU emulating a GPU): correct, but its times are not a GPU\'s' : ''}`;
}

const SIMD_NAMES = { avx512: 'AVX-512', avx2: 'AVX2', sse2: 'SSE2', neon: 'NEON', simd128: 'SIMD128', scalar: 'no SIMD' };

/** "Where it runs" in one line: "Chromium 156 · 2 threads · SIMD128 · isolated by headers ·
 *  server: Intel Xeon, AVX-512, 2 threads" (the facts are a click away). */
export function envSummary(env) {
  const s = env.server;
  const isolation = !env.isolated ? 'not isolated'
    : env.isolation?.source === 'service worker' ? 'isolated by a service worker' : 'isolated by headers';
  const browser = env.engine && env.engine.name !== 'unknown' ? engineLabel(env.engine.name, env.engine.version) : 'this browser';
  const server = s
    ? `server: ${shortCpu(s.cpu) || 'unknown CPU'}, ${SIMD_NAMES[s.simd] ?? s.simd}, ${s.pool_threads} thread${s.pool_threads === 1 ? '' : 's'}`
    : 'server unreachable';
  const gpu = env.gpu?.available ? [`GPU: ${adapterLabel(env.gpu.adapter)}`] : [];
  return [browser, `${env.threads} thread${env.threads === 1 ? '' : 's'}`, env.simd ? 'SIMD128' : 'no SIMD128', isolation, ...gpu, server].join(' · ');
}
