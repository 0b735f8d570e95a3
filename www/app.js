// The page: one panel per workload the kernels describe (www/panel.js, with the workload's own
// parts from www/workloads/<name>.js), the environment facts, and the automation API
// `window.parallax` (README, "window.parallax") that scripts and the benchmark harness use (the
// UI tests click the real controls instead).
import { Engine } from './engine.js';
import { detect } from './features.js';
import { Validator } from './validator.js';
import { RunLock } from './run-lock.js';
import { Panel } from './panel.js';
import { renderEnv } from './env-view.js';
import { API, apiUrl, runOnServer, unreachable } from './server-client.js';
import { el } from './dom.js';

const features = detect();
const engine = new Engine(features.build);
const validator = new Validator(features.build);
const lock = new RunLock();
let serverInfo = null;
let serverError = null;

/** Run spec → the API's JSON body (params plus variant, threads, lanes). */
function requestBody({ params = {}, variant, threads, lanes }) {
  const body = { ...params };
  if (variant !== undefined) body.variant = variant;
  if (threads !== undefined) body.threads = threads;
  if (lanes !== undefined && lanes !== null) body.lanes = lanes;
  return JSON.stringify(body);
}

/** Both sides answer with the same object (the API's), plus their timings. */
async function runBrowser(spec) {
  const { buffer: _b, picture: _p, ...answer } = await engine.run({ type: 'run', workload: spec.workload, request: requestBody(spec) });
  return { side: 'browser', ...answer };
}

async function runServer(spec) {
  return { side: 'server', ...await runOnServer(spec.workload, requestBody(spec), { signal: spec.signal }) };
}

/** An AbortSignal that fires after `ms` (AbortSignal.timeout where the browser has it: Safari
 *  before 16, which also gets the plain build, does not). */
function timeout(ms) {
  if (AbortSignal.timeout) return AbortSignal.timeout(ms);
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  return c.signal;
}

const ready = (async () => {
  // The server's facts are waited for 3 s at most: browser runs do not depend on the server.
  const info = fetch(apiUrl('/api/info'), { signal: timeout(3000) }).then(async (r) => {
    if (!r.ok) throw new Error(`GET /api/info answered HTTP ${r.status}`);
    return r.json();
  }).catch(async (e) => {
    serverError = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'no answer from /api/info within 3 s'
      : e instanceof TypeError ? await unreachable(e) : e.message;
    return null;
  });
  const main = document.getElementById('panels');
  try {
    await engine.ready;
  } catch (e) {
    const why = engine.broken || e?.message || String(e);
    main.replaceChildren(el('p', { className: 'problem', role: 'alert', 'data-testid': 'start-error' },
      `The WebAssembly kernels could not start: ${why}. The server's API still works; try reloading the page.`));
    // The facts may say why (not isolated, no SIMD, an old browser).
    serverInfo = await info;
    renderEnv(document.getElementById('env'), parallax.env(), features, serverError);
    throw { field: null, message: why };
  }
  // Each workload's own page module, by the name in its description.
  const descriptions = engine.facts.descriptions;
  const parts = await Promise.all(descriptions.map((d) => import(`./workloads/${d.name}.js`).then((m) => m.default)));
  serverInfo = await info;
  const threads = engine.facts?.pool_threads ?? 1;
  main.replaceChildren();
  descriptions.forEach((description, i) => {
    const ctx = {
      engine, validator, lock, threads, laneChoices: engine.facts.build.lane_choices, serverThreads: serverInfo?.pool_threads ?? null,
      conditions: { build: features.build, isolation: features.isolation.source },
    };
    const panel = new Panel(description, parts[i], ctx);
    panels[description.name] = panel;
    main.append(panel.node);
  });
  renderEnv(document.getElementById('env'), parallax.env(), features, serverError);
  document.body.dataset.ready = 'true';
  return parallax.env();
})();

// A failed start is shown on the page; callers of `ready` still see the rejection.
ready.catch(() => {});

const panels = {};

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
      /** Where cross-origin isolation comes from: 'headers', 'service worker' or 'none' (with why). */
      isolation: features.isolation,
      api: API,
      lastPanic: engine.lastPanic,
      server: serverInfo,
    };
  },
  /** Runs one spec on one side → { side, workload, variant, threads, lanes, checksum, kernel_ms,
   *  ...summary } (the server's adds queue_ms, round_trip_ms), or rejects with { field, message, kind }. */
  async run(spec) {
    if (spec.side === 'server') return runServer(spec);
    if (spec.side === 'browser' || spec.side === undefined) return runBrowser(spec);
    throw { field: 'side', message: `side = ${JSON.stringify(spec.side)}: allowed "browser" or "server"` };
  },
  /** The kernels' descriptions of every workload (the module's describe()). */
  describe: () => engine.facts?.descriptions ?? [],
  progress: () => engine.progress(),
  /** The panels, by workload (for scripts; the UI tests click the controls). */
  panels,
  cancel: () => engine.cancel(),
  /** Test entry point: a panic in the worker (`inPool`: in a rayon pool thread). */
  panic: (inPool = true) => engine.run({ type: 'panic', inPool }),
};
window.parallax = parallax;
