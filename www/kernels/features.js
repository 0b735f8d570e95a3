// Which wasm build this browser can run, and why — in words for the page, naming the engine.
// Three builds: threads + SIMD128 (needs a WebAssembly memory shared with the pool's workers),
// SIMD128 on one thread, and plain (neither). Each feature is found by trying what the build
// needs, never by the browser's name (docs/engines.md):
// - SIMD: validating a 29-byte module that uses one v128 instruction (wasm-feature-detect's probe);
// - threads: creating a shared WebAssembly.Memory *and posting it to a worker* that writes to it.
//   Creating one is not enough: WebKitGTK 2.50 is cross-origin isolated and creates a shared
//   memory, but has no SharedArrayBuffer global and throws DataCloneError when the memory is
//   posted to a worker — exactly what wasm-bindgen-rayon does to start its pool.
// Why not the wasm-feature-detect package: its threads probe only creates the memory (the check
// WebKitGTK passes), it would be copied into dist/ by hand (the page has no bundler), and it does
// not say *why* a feature is missing, which is what this module is for.
// `?build=plain|simd` forces a build (a smaller one than the browser allows), for tests.

/** (module (func (result v128) i32.const 0 i32x4.splat)) */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // i32.const 0; i32x4.splat; end
]);

/** The builds, best first: the worker's `?build=` name and where its module is. */
export const BUILDS = { 'threads+simd': '.', simd: './simd', plain: './plain' };

/** How long the threads probe waits for its worker's answer: a worker that never answers counts
 *  as no threads (the pool would hang the same way). */
export const SHARE_TIMEOUT_MS = 5000;

/** Each engine's name for people, and its JavaScript engine. */
export const ENGINE_NAMES = { chromium: ['Chromium', 'V8'], firefox: ['Firefox', 'SpiderMonkey'], webkit: ['WebKit', 'JavaScriptCore'] };

/** "Firefox 153.0", or "Firefox" without a version; `name` one of ENGINE_NAMES' keys. */
export function engineLabel(name, version) {
  return `${ENGINE_NAMES[name]?.[0] ?? name}${version ? ` ${version}` : ''}`;
}

function named(name, version) {
  return { name, version, label: `${engineLabel(name, version)} (${ENGINE_NAMES[name][1]})` };
}

/** The engine that runs the page, from the user agent: `{ name: 'chromium' | 'firefox' |
 *  'webkit' | 'unknown', version, label }`. Every browser on iOS is WebKit whatever it calls
 *  itself (CriOS, FxiOS, EdgiOS). The name is for labels and exports only: no feature is decided
 *  by it. WebKit's version is Safari's `Version/` where the agent has one (WebKitGTK's MiniBrowser
 *  sends a made-up one), else the frozen AppleWebKit build. */
export function engineOf(userAgent = '') {
  const ua = String(userAgent);
  const v = (re) => ua.match(re)?.[1] ?? null;
  if (/\b(iPhone|iPad|iPod)\b/.test(ua) || /\b(CriOS|FxiOS|EdgiOS)\//.test(ua)) {
    const version = v(/Version\/([\d.]+)/) ?? v(/AppleWebKit\/([\d.]+)/);
    return named('webkit', version);
  }
  if (/\bFirefox\//.test(ua)) return named('firefox', v(/Firefox\/([\d.]+)/));
  if (/\b(Chrome|Chromium|HeadlessChrome)\//.test(ua)) return named('chromium', v(/(?:Chromium|HeadlessChrome|Chrome)\/(\d+)/));
  if (/AppleWebKit\//.test(ua)) return named('webkit', v(/Version\/([\d.]+)/) ?? v(/AppleWebKit\/([\d.]+)/));
  return { name: 'unknown', version: null, label: ua || 'an unknown browser' };
}

/**
 * What this browser and page allow, found by trying: `{ engine, simd, sharedMemory, isolated,
 * isolation, build, why }`. `g`: the global object (the unit tests pass fakes); `probeUrl`: the
 * threads probe's worker (www/kernels/share-probe.js).
 */
export async function detect(g = globalThis, { probeUrl = new URL('./share-probe.js', import.meta.url), timeoutMs = SHARE_TIMEOUT_MS } = {}) {
  const engine = engineOf(g.navigator?.userAgent);
  const simd = Boolean(g.WebAssembly?.validate?.(SIMD_PROBE));
  const isolated = g.crossOriginIsolated === true;
  const isolation = isolationSource(g, isolated);
  const sharing = isolated ? await shareWithWorker(g, probeUrl, timeoutMs) : { ok: false, why: null };
  const forced = new URL(g.location?.href ?? 'about:blank').searchParams.get('build');
  return { engine, simd, sharedMemory: sharing.ok, isolated, isolation, ...choose({ engine, simd, isolated, isolation, sharing, forced }) };
}

/** The build and the reasons in words, from what the probes found. */
export function choose({ engine, simd, isolated, isolation, sharing, forced = null }) {
  const reasons = [];
  if (!isolated) reasons.push(`the page is not cross-origin isolated (${isolation.why || 'no COOP/COEP headers'}), so SharedArrayBuffer is off`);
  else if (!sharing.ok) reasons.push(`${engine.label} ${sharing.why}`);
  if (!simd) reasons.push(`${engine.label} has no WebAssembly SIMD`);
  let build = isolated && sharing.ok && simd ? 'threads+simd' : simd ? 'simd' : 'plain';
  if ((forced === 'plain' || forced === 'simd') && rank(forced) > rank(build)) {
    build = forced;
    reasons.push(`?build=${forced} asks for it`);
  }
  return { build, why: reasons.join('; ') };
}

/**
 * What the pool needs, tried: a shared WebAssembly memory posted to a worker, which adds 1 to its
 * first word with Atomics and answers; the write must be seen here. → `{ ok, why }`, `why` the
 * failing step in words (it follows the engine's name in the page's reason).
 */
export async function shareWithWorker(g, probeUrl, timeoutMs = SHARE_TIMEOUT_MS) {
  let memory;
  try {
    memory = new g.WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return { ok: false, why: `cannot create a shared WebAssembly memory (${errorText(e)}), so no wasm threads` };
  }
  let worker;
  try {
    worker = new g.Worker(probeUrl, { type: 'module' });
  } catch (e) {
    return { ok: false, why: `cannot start a worker (${errorText(e)}), so no wasm threads` };
  }
  try {
    const answer = new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ late: true }), timeoutMs);
      worker.onmessage = ({ data }) => { clearTimeout(timer); resolve(data ?? {}); };
      worker.onerror = (e) => { clearTimeout(timer); resolve({ error: e?.message || 'the probe worker failed to load' }); };
    });
    try {
      worker.postMessage({ memory });
    } catch (e) {
      return { ok: false, why: `cannot share a WebAssembly memory with a worker (postMessage: ${errorText(e)}), so no wasm threads` };
    }
    const reply = await answer;
    if (reply.late) return { ok: false, why: `gave a shared memory to a worker that did not answer within ${timeoutMs / 1000} s, so no wasm threads` };
    if (reply.error) return { ok: false, why: `could not share a WebAssembly memory with a worker (${reply.error}), so no wasm threads` };
    const seen = g.Atomics.load(new Int32Array(memory.buffer, 0, 1), 0);
    if (seen !== 1) return { ok: false, why: 'shares a WebAssembly memory with a worker only as a copy (its write was not seen), so no wasm threads' };
    return { ok: true, why: '' };
  } finally {
    worker.terminate();
  }
}

function errorText(e) {
  return e?.name && e?.message ? `${e.name}: ${e.message}` : String(e?.message ?? e);
}

function rank(build) {
  return Object.keys(BUILDS).indexOf(build);
}

/** Where the page's isolation comes from: www/isolation.js's verdict ('headers', 'service
 *  worker', 'none' with why), or 'headers' / 'none' when that script did not run. */
function isolationSource(g, isolated) {
  const s = g.parallaxIsolation;
  if (s && s.source !== 'reloading') return s;
  return isolated ? { source: 'headers', why: '' } : { source: 'none', why: s?.why || 'no COOP/COEP headers' };
}
