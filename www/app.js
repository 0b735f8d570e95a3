// The page: one panel per workload the kernels describe (www/panel/panel.js, with the workload's own
// parts from www/workloads/<name>.js), the environment facts, and the automation API
// `window.parallax` (README, "window.parallax") that scripts and the benchmark harness use (the
// UI tests click the real controls instead).
import { Engine } from './kernels/engine.js';
import { detect, engineOf } from './kernels/features.js';
import { Validator } from './kernels/validator.js';
import { RunLock } from './run-lock.js';
import { Panel } from './panel/panel.js';
import { envSummary, renderEnv } from './env-view.js';
import { API, apiUrl, runOnServer, unreachable } from './server-client.js';
import { el } from './dom.js';
import { Comparison, requestOf } from './compare/session.js';
import { CompareView } from './compare/view.js';
import { RaceView } from './race/view.js';
import { checkedRaceOptions } from './race/plan.js';
import { LinkState } from './links.js';
import { PythonEngine } from './python/engine.js';
import { PythonView } from './python/view.js';
import { GpuEngine, SHADERS, agreement, gpuRefusal } from './gpu/engine.js';
import { GpuView } from './gpu/view.js';
import { fullParams } from './panel/fields.js';

// The probes take a worker's start (the threads probe shares a memory with one): the page's
// workers start once they have decided, and until then `features` holds what is known without
// trying (the engine, isolation).
let features = { engine: engineOf(navigator.userAgent), build: 'unknown', why: 'detecting what this browser allows', isolation: { source: 'unknown', why: '' } };
// detect() catches what its probes throw; should anything else fail, the page still starts, on
// the build every browser with wasm runs.
const detected = detect().catch((e) => ({ ...features, simd: false, sharedMemory: false, isolated: self.crossOriginIsolated === true,
  build: 'plain', why: `the page could not tell what this browser allows (${e?.message ?? e}), so it runs the plain build` }));
detected.then((f) => { features = f; });
const engine = new Engine(detected.then((f) => f.build));
const validator = new Validator(detected.then((f) => f.build));
const lock = new RunLock();
const python = new PythonEngine();
const gpu = new GpuEngine(detected.then((f) => f.engine));
let gpuStatus = null;
let serverInfo = null;
let serverError = null;

/** What every measured row carries about where it ran (docs/compare.md, "Conditions"). */
function environment() {
  return {
    engine: features.engine.name, engine_version: features.engine.version,
    build: features.build, isolation: features.isolation.source, isolated: self.crossOriginIsolated === true,
    hardware_concurrency: navigator.hardwareConcurrency || 1, pool_threads: engine.facts?.pool_threads ?? 1,
    server_threads: serverInfo?.pool_threads ?? null, server_lanes: serverInfo?.lanes ?? null, server_cpu: serverInfo?.cpu ?? null,
  };
}


/** Both sides answer with the same object (the API's), plus their timings. */
async function runBrowser(spec) {
  const { buffer: _b, picture: _p, ...answer } = await engine.run({ type: 'run', workload: spec.workload, request: requestOf(spec) });
  return { side: 'browser', ...answer };
}

async function runServer(spec) {
  return { side: 'server', ...await runOnServer(spec.workload, requestOf(spec), { signal: spec.signal }) };
}

/** The book's Python on Pyodide: `spec.params` only (no variant, one thread), checked first by
 *  the kernels' validation and the Python side's own limit of work. */
async function runPython(spec) {
  if (typeof spec.workload !== 'string') throw { field: 'workload', message: 'workload: a workload\'s name' };
  const params = JSON.stringify(spec.params ?? {});
  const refusal = await validator.checkPython(spec.workload, params);
  if (refusal) throw refusal;
  return { side: 'python', workload: spec.workload, variant: 'book', threads: 1, ...await python.run(spec.workload, JSON.parse(params)) };
}

/** The GPU side (www/gpu/): refused early for a workload without a shader or Julia in f64, then
 *  checked by the kernels' validation like any case, then run. Julia's counts are compared with
 *  the f32 kernels' in wasm (`agreement`), outside kernel_ms; the oracle is kept for the same
 *  case, so a comparison's samples do not each recompute it. */
async function runGpu(spec) {
  gpu.begin();
  try {
    return await gpuRun(spec);
  } finally {
    gpu.end();
  }
}

async function gpuRun(spec) {
  const description = engine.facts?.descriptions.find((d) => d.name === spec.workload);
  if (!description) throw { field: 'workload', message: `workload = ${JSON.stringify(spec.workload)}: allowed ${Object.keys(panels).join(', ')}` };
  const params = spec.params ?? {};
  const early = gpuRefusal(spec.workload, params);
  if (early) throw early;
  const refusal = await validator.check(spec.workload, JSON.stringify({ ...params, variant: 'simd', threads: 1 }), 1);
  if (refusal) throw refusal;
  const full = fullParams(description, params);
  if (spec.workload === 'julia') for (const f of description.fields) if (f.type !== 'choice') full[f.name] = Number(full[f.name]);
  const { counts, ...answer } = await gpu.run(spec.workload, full, { repeat: spec.repeat ?? 1, signal: spec.signal });
  if (spec.workload !== 'julia') return answer;
  const key = JSON.stringify(full);
  if (oracle?.key !== key) {
    const wasm = await engine.run({ type: 'run', workload: 'julia', request: JSON.stringify({ ...params, variant: 'simd' }), buffer: true });
    oracle = { key, counts: new Uint32Array(wasm.buffer), checksum: wasm.checksum };
  }
  answer.agreement = { ...agreement(counts, oracle.counts), kernels_checksum: oracle.checksum };
  if (spec.picture) {
    const { rgba } = await engine.run({ type: 'julia_rgba', counts: counts.buffer, max_iter: full.max_iter, map: spec.map });
    answer.picture = { width: full.width, height: full.height, rgba };
  }
  return answer;
}
let oracle = null;

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
  await detected;
  try {
    await engine.ready;
  } catch (e) {
    const why = engine.broken || e?.message || String(e);
    main.replaceChildren(el('p', { className: 'problem', role: 'alert', 'data-testid': 'start-error' },
      `The WebAssembly kernels could not start: ${why}. The server's API still works; try reloading the page.`));
    document.getElementById('race').replaceChildren(el('p', { className: 'problem' }, 'The race needs the WebAssembly kernels, which could not start (see below).'));
    // The facts may say why (not isolated, no SIMD, an old browser).
    serverInfo = await info;
    showEnv();
    throw { field: null, message: why };
  }
  // Each workload's own page module, by the name in its description.
  const descriptions = engine.facts.descriptions;
  const parts = await Promise.all(descriptions.map((d) => import(`./workloads/${d.name}.js`).then((m) => m.default)));
  serverInfo = await info;
  const threads = engine.facts?.pool_threads ?? 1;
  main.replaceChildren();
  comparison = new Comparison({
    engine, validator, lock, runBrowser, runServer, runPython, runGpu, gpuStatus: () => gpu.status(), gpuWorkloads: Object.keys(SHADERS), cancelPython: () => python.cancel(), environment, serverInfo: () => serverInfo,
    // The race's words per workload, from the page modules (www/race/words.js).
    raceWords: () => Object.fromEntries(Object.values(panels).filter((p) => p.parts.race).map((p) => [p.workload, p.parts.race])),
  });
  // Each panel's hooks, given at construction: its runs become the comparison's rows, its edits
  // the page's link (`links` exists before any visitor's edit; a link's restore is not one).
  const hooks = { record: (row) => comparison.recordRun(row), changed: (name) => links?.touched(name) };
  descriptions.forEach((description, i) => {
    const ctx = {
      engine, validator, lock, threads, laneChoices: engine.facts.build.lane_choices, serverThreads: serverInfo?.pool_threads ?? null,
      conditions: { engine: features.engine.name, engine_version: features.engine.version, build: features.build, isolation: features.isolation.source },
    };
    const panel = new Panel(description, parts[i], ctx, hooks);
    panels[description.name] = panel;
    main.append(panel.node);
    if (description.python) new PythonView(panel, { python, runPython, runBrowser, lock });
  });
  showEnv();
  // The GPU side: asked for once the page works without it, then said in "Where it runs".
  gpu.status().then((status) => {
    gpuStatus = status;
    showEnv();
    for (const panel of Object.values(panels)) new GpuView(panel, { gpu, status, runGpu, lock, comparison });
  });
  // The first screen: the pictures and the race (read before the links rewrite the address:
  // a shared verdict rides in it).
  raceView = new RaceView(document.getElementById('race'), comparison, panels);
  // The page's state in the URL fragment: a link re-opens the same case (www/links.js).
  links = new LinkState(panels);
  const fromLink = links.apply();
  for (const panel of Object.values(panels)) panel.node.addEventListener('focusin', () => links.touched(panel.workload));
  window.addEventListener('hashchange', () => {
    links.apply();
    raceView.showShared();
  });
  new CompareView(document.getElementById('compare'), comparison, { panels, envNode: document.getElementById('env'), links });
  if (fromLink.open) panels[fromLink.open].node.scrollIntoView();
  document.body.dataset.ready = 'true';
  // A first picture in every panel (small runs of the book's cases, not part of any comparison),
  // except where a link set the fields: that panel waits for its visitor's Run.
  firstPictures(new Set(fromLink.restored));
  return parallax.env();
})();

// A failed start is shown on the page; callers of `ready` still see the rejection.
ready.catch(() => {});

const panels = {};
let comparison = null;
let links = null;
let raceView = null;

/** "Where it runs": its one line and, a click away, its facts. */
function showEnv() {
  const env = parallax.env();
  document.getElementById('env-summary').textContent = envSummary(env);
  renderEnv(document.getElementById('env'), env, features, serverError);
}

/** Each panel's quick preset drawn in the browser, one after the other behind the run lock. */
async function firstPictures(skip) {
  for (const panel of Object.values(panels)) {
    if (!skip.has(panel.workload)) {
      try {
        await panel.firstPicture();
      } catch {
        // A first picture is a courtesy: a failure leaves the panel's placeholder.
      }
    }
    raceView?.thumb(panel);
  }
  document.body.dataset.firstPictures = 'true';
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
      /** The engine running the page: { name: 'chromium' | 'firefox' | 'webkit' | 'unknown', version, label }. */
      engine: features.engine,
      /** Where cross-origin isolation comes from: 'headers', 'service worker' or 'none' (with why). */
      isolation: features.isolation,
      api: API,
      /** The smallest step of performance.now() (www/compare/session.js), in ms. */
      timer_resolution_ms: comparison?.timerResolutionMs ?? null,
      lastPanic: engine.lastPanic,
      server: serverInfo,
      /** The GPU side: null until asked, then `{ available, why }` or `{ available, adapter }`. */
      gpu: gpuStatus,
    };
  },
  /** Runs one spec on one side → { side, workload, variant, threads, lanes, checksum, kernel_ms,
   *  ...summary } (the server's adds queue_ms, round_trip_ms), or rejects with { field, message, kind }. */
  async run(spec) {
    if (spec.side === 'server') return runServer(spec);
    if (spec.side === 'browser' || spec.side === undefined) return runBrowser(spec);
    if (spec.side === 'python') return runPython(spec);
    if (spec.side === 'gpu') return runGpu(spec);
    throw { field: 'side', message: `side = ${JSON.stringify(spec.side)}: allowed "browser", "server", "python" or "gpu"` };
  },
  /** The GPU side: `status()` → `{ available, why?, adapter? }`; `progress()`; and a test entry
   *  point, `countDarts({ seed, start, samples })` → the darts inside from any index (docs/gpu.md). */
  gpu: { status: () => gpu.status(), progress: () => gpu.progress(), countDarts: (w) => gpu.countDarts(w) },
  /** The book's Python side: `{ loaded, busy, load_ms, progress }`. */
  python: () => ({ loaded: Boolean(python.loadMs), busy: python.busy, load_ms: python.loadMs, progress: python.progress }),
  /** The kernels' descriptions of every workload (the module's describe()). */
  describe: () => engine.facts?.descriptions ?? [],
  progress: () => engine.progress(),
  /** The panels, by workload (for scripts; the UI tests click the controls). */
  panels,
  /** Compares one spec (as for `run`, without `side`) on both sides → its row (docs/compare.md). */
  compare: async (spec, options) => started().compare(spec, options),
  /** The first screen's race (docs/race.md) → its verdict: `{ rows: [{ workload, ratio, split:
   *  { wasm, width, rest }, same_checksum, resolved, text, … }], overall: { text, … }, conditions }`;
   *  `{ quick, onProgress({ done, total, workload, leg }), signal }`. */
  race: async (options) => started().race(checkedRaceOptions(options)),
  /** Every described case on both sides → an array of rows; `{ quick, onProgress, signal }`. */
  compareAll: async (options) => started().compareAll(options),
  /** Synchronous: { version, created, environment, rows } of everything measured on this page. */
  exportResults: () => (comparison ? comparison.exportResults() : { version: 1, created: new Date().toISOString(), environment: null, rows: [] }),
  /** Cancels the comparison going on, else the browser run and the Python run going on. */
  cancel: () => {
    if (comparison?.cancel()) return true;
    const py = python.cancel();
    const onGpu = gpu.cancel();
    return engine.cancel() || py || onGpu;
  },
  /** Test entry point: a panic in the worker (`inPool`: in a rayon pool thread). */
  panic: (inPool = true) => engine.run({ type: 'panic', inPool }),
};
window.parallax = parallax;

function started() {
  if (!comparison) throw { field: null, message: 'the page is not ready yet: await parallax.ready first' };
  return comparison;
}
