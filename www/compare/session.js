// The page's side of comparing (docs/compare.md): `parallax.compare`, `compareAll` and
// `exportResults` on the real sides, behind the page's run lock, with the conditions every row
// carries (timer resolution, isolation, build, pool and core counts, hidden tab). The rows
// measured on this page — comparisons and the panels' single runs — are kept for export and
// for the view (www/compare/view.js), which subscribes to them.
import { compare, cases, gpuInBrowsersPlace } from './protocol.js';
import { racePlan, runRace, verdictOf } from '../race/plan.js';
import { engineLabel } from '../kernels/features.js';

export const EXPORT_VERSION = 1;

/** The smallest step of `performance.now()` seen over ~20 ms (5 µs when cross-origin isolated
 *  in Chromium, 100 µs when not; some browsers jitter it). */
export function measureTimerResolution(budgetMs = 20) {
  const start = performance.now();
  let last = start, step = Infinity;
  while (last - start < budgetMs) {
    const t = performance.now();
    if (t > last) {
      step = Math.min(step, t - last);
      last = t;
    }
  }
  return step;
}

export class Comparison {
  /** `ctx`: { engine, validator, lock, runBrowser(spec), runServer(spec), environment() → the
   *  conditions shared by every row }. */
  constructor(ctx) {
    this.ctx = ctx;
    this.rows = [];
    this.imports = [];
    this.verdicts = []; // the races' verdicts (www/race/plan.js), newest last
    this.listeners = [];
    this.current = null; // { abort: AbortController } of the comparison going on
    this.timerResolutionMs = measureTimerResolution();
    this.hiddenSeen = false;
    document.addEventListener('visibilitychange', () => { if (document.hidden) this.hiddenSeen = true; });
  }

  subscribe(fn) {
    this.listeners.push(fn);
  }

  /** Tells the view; a view that fails (a bad import drawn) never fails a measurement. */
  notify(event) {
    for (const fn of this.listeners) {
      try {
        fn(event);
      } catch (e) {
        console.error('the comparison view failed:', e);
      }
    }
  }

  /** A panel's single run, kept for export beside the comparisons. */
  recordRun({ request, ...row }) {
    const { variant, threads, lanes, repeat: _r, ...params } = JSON.parse(request);
    const kept = { kind: 'run', created: new Date().toISOString(), conditions: this.conditions(), params, variant, threads, lanes: lanes ?? null, ...row };
    this.rows.push(kept);
    return kept;
  }

  /** Adds an import (www/compare/export.js parseImport's) to be shown beside the live rows. */
  addImport(exported, label) {
    this.imports.push({ label, exported });
    this.notify({ type: 'row' });
  }

  conditions() {
    return { ...this.ctx.environment(), timer_resolution_ms: this.timerResolutionMs };
  }

  deps(signal) {
    return {
      runBrowser: this.ctx.runBrowser,
      runServer: (spec) => this.ctx.runServer({ ...spec, signal }),
      runGpu: (spec) => this.ctx.runGpu({ ...spec, signal }),
      timerResolutionMs: this.timerResolutionMs,
      // Hidden now, or at any moment since the last look (a tab hidden and shown during a run).
      hidden: () => {
        const seen = this.hiddenSeen || document.hidden;
        this.hiddenSeen = false;
        return seen;
      },
      signal,
      conditions: this.conditions(),
    };
  }

  /** One case on both sides → its row (docs/compare.md); waits for the page to be free. With
   *  `against: 'gpu'` the GPU side (www/gpu/) takes the browser's place: the same statistics, the
   *  row's `sides` say so. */
  async compare(spec, options = {}) {
    return this.exclusive(async (signal) => {
      const { against, ...checked } = checkedSpec(spec);
      const deps = against === 'gpu' ? gpuInBrowsersPlace(this.deps(signal)) : this.deps(signal);
      const row = await compare(checked, options, deps);
      this.rows.push(row);
      this.notify({ type: 'row', row });
      return row;
    }, options.signal);
  }

  /** Every described case (compare.js `cases`) → the array of rows; `onProgress({ done, total,
   *  spec })` before each case. A cancel rejects with kind 'cancelled'; the rows measured by
   *  then stay in `rows`. */
  async compareAll({ quick = false, python = false, onProgress, signal, ...options } = {}) {
    return this.exclusive(async (inner) => {
      const facts = this.ctx.engine.facts;
      const { cases: list, skipped } = await cases(facts.descriptions, {
        quick, cores: Math.min(facts.pool_threads, this.ctx.serverInfo()?.pool_threads ?? facts.pool_threads),
        serverLanes: this.ctx.serverInfo()?.lanes ?? 2,
        accepts: async (s) => (await this.ctx.validator.check(s.workload, requestOf(s), 1))?.message ?? null,
      });
      this.skipped = skipped;
      const rows = [];
      this.notify({ type: 'start', total: list.length, skipped });
      for (const [i, spec] of list.entries()) {
        const progress = { done: i, total: list.length, spec };
        onProgress?.(progress);
        this.notify({ type: 'progress', ...progress });
        const row = await compare(spec, { ...options, quick }, this.deps(inner));
        rows.push(row);
        this.rows.push(row);
        this.notify({ type: 'row', row });
      }
      if (python) rows.push(...await this.pythonRuns(facts.descriptions, quick, inner, onProgress));
      onProgress?.({ done: list.length, total: list.length, spec: null });
      this.notify({ type: 'done', rows });
      return rows;
    }, signal);
  }

  /** The race (www/race/plan.js): each workload's book case (quick: its quick preset) as three
   *  comparisons → the verdict. Its rows join `rows` (tagged `race_leg`: T, W, or X — kind
   *  "lanes", the server against itself) as any comparison's do; the verdict joins `verdicts`.
   *  `onProgress({ done, total, workload, leg })`. */
  async race({ quick = false, gpu = 'auto', onProgress, signal } = {}) {
    return this.exclusive(async (inner) => {
      const server = this.ctx.serverInfo();
      if (!server) throw { field: null, message: 'the server is unreachable (see "Where it runs"): a race needs both sides' };
      // The GPU races where there is one: by default a hardware one (a software adapter's times
      // are a CPU's), with `gpu: true` any.
      const status = gpu === false ? null : await this.ctx.gpuStatus?.();
      const racesGpu = Boolean(status?.available) && (gpu === true || !status.adapter.fallback);
      const plan = racePlan(this.ctx.engine.facts.descriptions, {
        quick: Boolean(quick), serverLanes: server.lanes ?? 2, gpu: racesGpu ? this.ctx.gpuWorkloads : [],
      });
      const started = performance.now();
      const legs = await runRace(plan, { quick: Boolean(quick) }, {
        ...this.deps(inner),
        onProgress: (p) => {
          onProgress?.(p);
          this.notify({ type: 'race-progress', ...p });
        },
        keep: (row) => {
          this.rows.push(row);
          this.notify({ type: 'row', row });
          return row;
        },
      });
      const verdict = verdictOf(plan, legs, {
        words: this.ctx.raceWords?.() ?? {}, quick: Boolean(quick), elapsedMs: Math.round(performance.now() - started), conditions: this.raceConditions(),
      });
      this.verdicts.push(verdict);
      this.notify({ type: 'verdict', verdict });
      return verdict;
    }, signal);
  }

  /** Where a race ran, as its verdict (and a shared link) names it. */
  raceConditions() {
    const c = this.conditions(), s = this.ctx.serverInfo() ?? {};
    return {
      engine: c.engine, engine_version: c.engine_version, engine_label: engineLabel(c.engine, c.engine_version),
      build: c.build, isolation: c.isolation, browser_threads: c.pool_threads, hardware_concurrency: c.hardware_concurrency,
      server_cpu: s.cpu ?? null, server_simd: s.simd ?? null, server_lanes: s.lanes ?? null, server_threads: s.pool_threads ?? null,
    };
  }

  /** Compare all's Python part (`python: true`): for each workload with the book's Python,
   *  each case it takes (quick: the quick presets; else each task's book case, or its
   *  scaled-down case beyond the Python side's limit) once on Pyodide and once in wasm, kept as
   *  runs (`kind: 'run'`, with `python` and `browser` sides). Slow: off by default. */
  async pythonRuns(descriptions, quick, signal, onProgress) {
    const out = [];
    try {
      for (const d of descriptions.filter((x) => x.python)) {
        const task = d.fields.find((f) => f.name === 'task');
        const tasks = d.python.tasks ?? [null];
        const cases = quick ? d.presets.filter((p) => p.quick).map((p) => p.values)
          : tasks.map((t) => (t && task ? { task: t } : {}));
        for (let params of cases) {
          if (this.ctx.validator.checkPython && await this.ctx.validator.checkPython(d.name, JSON.stringify(params))) {
            if (quick) continue;
            params = { ...params, ...d.python.scaled };
          }
          if (signal.aborted) throw { field: null, message: 'the comparison was cancelled', kind: 'cancelled' };
          onProgress?.({ done: out.length, total: null, spec: null, python: { workload: d.name, params } });
          const python = await this.ctx.runPython({ workload: d.name, params });
          const browser = await this.ctx.runBrowser({ workload: d.name, params, variant: 'simd' });
          const row = this.recordRun({ workload: d.name, request: JSON.stringify(params), label: 'the book\'s Python (Pyodide)', python, browser });
          out.push(row);
          this.notify({ type: 'python', row });
        }
      }
    } catch (e) {
      if (signal.aborted) throw { field: null, message: 'the comparison was cancelled', kind: 'cancelled' };
      throw e;
    }
    return out;
  }

  /** Runs `fn(signal)` holding the run lock; `cancel()` (or `outer` firing) aborts it. */
  async exclusive(fn, outer) {
    if (outer?.aborted) throw { field: null, message: 'the comparison was cancelled', kind: 'cancelled' };
    const abort = new AbortController();
    outer?.addEventListener('abort', () => this.cancelCurrent(abort), { once: true });
    const waiting = { abort };
    this.pendingCancels = (this.pendingCancels ?? []).concat(waiting);
    const release = await this.ctx.lock.whenFree('compare', abort.signal).finally(() => {
      this.pendingCancels = this.pendingCancels.filter((w) => w !== waiting);
    });
    this.current = { abort };
    this.hiddenSeen = false; // a tab hidden before this comparison does not mark its rows
    this.notify({ type: 'busy', busy: true });
    try {
      return await fn(abort.signal);
    } catch (e) {
      if (abort.signal.aborted) throw { field: null, message: 'the comparison was cancelled', kind: 'cancelled' };
      throw e;
    } finally {
      this.current = null;
      release();
      this.notify({ type: 'busy', busy: false });
    }
  }

  /** Aborts a comparison; the browser's kernel is stopped only when that comparison is the one
   *  running (one still waiting for the lock must not cancel a panel's run). */
  cancelCurrent(abort) {
    abort.abort();
    if (this.current?.abort === abort) {
      this.ctx.engine.cancel();
      this.ctx.cancelPython?.();
    }
  }

  /** Cancels the comparison going on (and any waiting to start); false when there is none. */
  cancel() {
    const all = [this.current, ...(this.pendingCancels ?? [])].filter(Boolean);
    for (const c of all) this.cancelCurrent(c.abort);
    return all.length > 0;
  }

  /** Synchronous: everything measured on this page, with the environment. */
  exportResults() {
    const env = this.conditions();
    return {
      version: EXPORT_VERSION,
      created: new Date().toISOString(),
      environment: {
        browser: navigator.userAgent, engine: env.engine, engine_version: env.engine_version, server: this.ctx.serverInfo(), isolation: env.isolation,
        timer_resolution_ms: this.timerResolutionMs, build: env.build,
        hardware_concurrency: env.hardware_concurrency, pool_threads: env.pool_threads,
        startup: this.ctx.engine.facts?.startup ?? null,
      },
      rows: structuredClone(this.rows),
      verdicts: structuredClone(this.verdicts),
    };
  }
}

/** Refuses a spec that names a side: a comparison runs both. */
function checkedSpec(spec) {
  if (!spec || typeof spec !== 'object') throw { field: null, message: 'compare(spec): spec must be an object' };
  if ('side' in spec) throw { field: 'side', message: 'compare runs both sides: omit side (against: "gpu" puts the GPU in the browser\'s place)' };
  if (spec.against !== undefined && spec.against !== 'gpu') {
    throw { field: 'against', message: `against = ${JSON.stringify(spec.against)}: allowed "gpu", or omitted for the browser's CPU` };
  }
  if (!spec.workload) throw { field: 'workload', message: 'compare(spec): workload is required' };
  return spec;
}

/** The JSON body of a spec (params plus the exec fields it sets). */
export function requestOf({ params = {}, variant, threads, lanes, repeat }) {
  const body = { ...params };
  if (variant !== undefined) body.variant = variant;
  if (threads !== undefined && threads !== null) body.threads = threads;
  if (lanes !== undefined && lanes !== null) body.lanes = lanes;
  if (repeat !== undefined && repeat !== null) body.repeat = repeat;
  return JSON.stringify(body);
}
