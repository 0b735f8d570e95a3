// The page: the automation API `window.parallax` (DESIGN.md, "Browser side") and a minimal view
// that draws each workload's last result. Tests, the benchmark harness and users' scripts
// drive the page through `window.parallax`.
import { Engine } from './engine.js';
import { drawPicture, drawPrimes } from './draw.js';
import { detect } from './features.js';

const features = detect();
const engine = new Engine(features.build);
let serverInfo = null;

/** Run spec → the API's JSON body (params plus variant, threads, lanes). */
function requestBody({ params = {}, variant, threads, lanes }) {
  const body = { ...params };
  if (variant !== undefined) body.variant = variant;
  if (threads !== undefined) body.threads = threads;
  if (lanes !== undefined && lanes !== null) body.lanes = lanes;
  return JSON.stringify(body);
}

async function runBrowser(spec) {
  const map = spec.workload === 'primes' ? null : (spec.map || 'fire');
  const out = await engine.run({ type: 'run', workload: spec.workload, request: requestBody(spec), map });
  show(spec, out);
  return { side: 'browser', checksum: out.checksum, kernel_ms: out.kernel_ms, ...out.summary };
}

async function runServer(spec) {
  const started = performance.now();
  let response;
  try {
    response = await fetch(`/api/${encodeURIComponent(spec.workload)}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody(spec), signal: spec.signal,
    });
  } catch (e) {
    throw { field: null, message: `the server is unreachable: ${e.message}` };
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    throw { field: json?.error?.field ?? null, message: json?.error?.message ?? `HTTP ${response.status}`, status: response.status };
  }
  const { workload, variant, threads, lanes, ...rest } = json;
  return { side: 'server', ...rest, variant, threads, lanes, round_trip_ms: performance.now() - started };
}

function show(spec, out) {
  const canvas = document.getElementById(`canvas-${spec.workload}`);
  const p = spec.params || {};
  if (spec.workload === 'julia' && out.picture) {
    drawPicture(canvas, out.picture, p.width ?? 1000, p.height ?? 1000);
  } else if (spec.workload === 'diffusion' && out.picture) {
    drawPicture(canvas, out.picture, p.width ?? 1024, p.height ?? 1024);
  } else if (spec.workload === 'primes' && (p.task === 'range')) {
    const primes = new BigUint64Array(out.buffer);
    drawPrimes(canvas, primes, BigInt(p.start ?? 100000000), BigInt(p.end ?? 101000000));
  }
  const result = document.querySelector(`[data-testid="result-${spec.workload}"]`);
  result.textContent = `checksum ${out.checksum} · ${out.kernel_ms.toFixed(1)} ms in the browser`;
}

const ready = (async () => {
  const facts = await engine.ready;
  serverInfo = await fetch('/api/info').then((r) => (r.ok ? r.json() : null)).catch(() => null);
  document.getElementById('env').textContent = describe(parallax.env());
  return parallax.env();
})();

function describe(env) {
  const why = env.why ? ` — the single-threaded plain build runs because ${env.why}` : '';
  return `Browser: ${env.build} build, ${env.threads} thread${env.threads === 1 ? '' : 's'} of ${env.cores} cores, `
    + `SIMD128 ${env.simd ? 'on' : 'off'}${why}. Server: ${env.server ? `${env.server.cpu}, ${env.server.simd}, v${env.server.version}` : 'unreachable'}.`;
}

const parallax = {
  ready,
  env() {
    const f = engine.facts || {};
    return {
      isolated: self.crossOriginIsolated === true,
      cores: navigator.hardwareConcurrency || 1,
      threads: f.pool_threads ?? 1,
      simd: f.build?.simd128 ?? false,
      build: f.build?.build ?? 'unknown',
      version: f.build?.version,
      why: features.why,
      lastPanic: engine.lastPanic,
      server: serverInfo,
    };
  },
  /** Runs one spec on one side → { checksum, kernel_ms, ...summary }, or rejects with { field, message }. */
  async run(spec) {
    if (spec.side === 'server') return runServer(spec);
    if (spec.side === 'browser' || spec.side === undefined) return runBrowser(spec);
    throw { field: 'side', message: `side = ${JSON.stringify(spec.side)}: allowed "browser" or "server"` };
  },
  progress: () => engine.progress(),
  cancel: () => engine.cancel(),
  /** Test entry point: a panic in the worker (`inPool`: in a rayon pool thread). */
  panic: (inPool = true) => engine.run({ type: 'panic', inPool }),
};
window.parallax = parallax;
