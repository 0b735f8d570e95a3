// The comparison engine (docs/compare.md): one case run on both sides, interleaved run by run,
// until the 95 % interval of the browser/server time ratio settles a verdict; and the list of
// cases Compare all runs. It takes its run functions as arguments (the page passes the real
// sides, the unit tests fake ones), so its stopping rule is tested without a browser.
import { describe, ratio, tukey, verdict } from './stats.js';

export const DEFAULTS = { horizon: 0.05, minRuns: 5, maxRuns: 30, maxSeconds: 20 };
/** Quick comparisons take exactly this many sampled runs per side after the cold one. */
export const QUICK_RUNS = 3;
/** A sample lasts at least this long, or 1000 × the timer's resolution if that is longer. */
export const MIN_SAMPLE_MS = 20;
/** The most repetitions a sample may ask for (the kernels' MAX_REPEAT). */
export const MAX_REPEAT = 1000;
/** A cold run this many times the median is called out. */
const COLD_FACTOR = 2;
/** Runs are unstable when the slowest is this many times the median. */
const UNSTABLE_FACTOR = 1.5;

const cancelled = () => ({ field: null, message: 'the comparison was cancelled', kind: 'cancelled' });

/**
 * Compares `spec` ({ workload, params, variant, threads, lanes, repeat? }) on both sides.
 * `deps`: { runBrowser(spec), runServer(spec) → answers with kernel_ms and checksum (the
 * server's with queue_ms, round_trip_ms); now() in ms; timerResolutionMs; hidden() → whether
 * the tab is hidden; signal (AbortSignal); conditions (copied into the row); names: { browser,
 * server } — what the two run functions are called in messages and warnings, when they are not
 * the browser and the server (the race's server-against-server leg, www/race/plan.js) }.
 * Resolves to the row of docs/compare.md ("A row").
 */
export async function compare(spec, options = {}, deps) {
  const opts = checkedOptions(options);
  const quick = Boolean(opts.quick);
  const minRuns = quick ? QUICK_RUNS : Math.max(2, opts.minRuns);
  const maxRuns = quick ? QUICK_RUNS : Math.max(minRuns, opts.maxRuns);
  const { runBrowser, runServer, now = () => performance.now(), timerResolutionMs = 0, hidden = () => false, signal } = deps;
  const names = deps.names ?? { browser: 'browser', server: 'server' };
  const check = () => { if (signal?.aborted) throw cancelled(); };
  const started = now();
  let hiddenRuns = 0;
  const timed = async (run, s) => {
    check();
    const wasHidden = hidden();
    const out = await run(s);
    if (wasHidden || hidden()) hiddenRuns += 1;
    if (!Number.isFinite(out.kernel_ms)) {
      throw { field: null, message: `the ${run === runBrowser ? names.browser : names.server} gave no kernel time (a proxy that drops Server-Timing?)` };
    }
    // A kernel below the timer's step reads as 0: count it as one step.
    return { ...out, kernel_ms: Math.max(out.kernel_ms, timerResolutionMs / (s.repeat ?? 1), 1e-6) };
  };

  // The cold runs: first calls (compilation, caches, a fresh pool) are kept apart.
  const coldBrowser = await timed(runBrowser, spec);
  const coldServer = await timed(runServer, spec);
  const target = Math.max(MIN_SAMPLE_MS, 1000 * timerResolutionMs);
  let repeat = spec.repeat ?? repeatFor(Math.min(coldBrowser.kernel_ms, coldServer.kernel_ms), target);
  let calibrated = spec.repeat !== undefined;
  let warmups = 0;

  const b = [], s = [];
  for (;;) {
    const sampled = { ...spec, repeat };
    b.push(await timed(runBrowser, sampled));
    s.push(await timed(runServer, sampled));
    // Cold times overstate a short kernel's time: the first warm pair sets the repeat again
    // and is dropped as a warm-up when the samples turn out shorter than the target.
    if (!calibrated) {
      calibrated = true;
      const warm = Math.min(b[0].kernel_ms, s[0].kernel_ms);
      if (warm * repeat < 0.9 * target && repeat < MAX_REPEAT) {
        repeat = repeatFor(warm, target);
        b.length = 0;
        s.length = 0;
        warmups += 1;
        continue;
      }
    }
    const n = b.length;
    if (n < minRuns) continue;
    const r = ratio(b.map((x) => x.kernel_ms), s.map((x) => x.kernel_ms));
    const settled = verdict(r, opts.horizon);
    const outOfTime = !quick && now() - started >= opts.maxSeconds * 1000;
    if (quick ? n >= maxRuns : settled !== null || n >= maxRuns || outOfTime) {
      return row(spec, { coldBrowser, coldServer, b, s, r, settled, repeat, warmups, hiddenRuns, opts, quick, deps });
    }
  }
}

/** `deps` with the GPU side (`deps.runGpu`, www/gpu/) in the browser's place: named so in
 *  messages, and the row's `sides` say so. */
export function gpuInBrowsersPlace(deps) {
  return { ...deps, runBrowser: deps.runGpu, names: { browser: 'GPU', server: 'server' }, sides: ['gpu', 'server'] };
}

/** The options with their defaults, each a number in its range (else a refusal naming it). */
export function checkedOptions(options = {}) {
  const ranges = { horizon: [0.001, 0.5], minRuns: [2, 1000], maxRuns: [2, 1000], maxSeconds: [0.1, 3600] };
  const opts = { ...DEFAULTS, quick: Boolean(options.quick) };
  for (const [name, [lo, hi]] of Object.entries(ranges)) {
    const v = options[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
      throw { field: name, message: `${name} = ${JSON.stringify(v)} is out of range: allowed a number in [${lo}, ${hi}]` };
    }
    opts[name] = ['minRuns', 'maxRuns'].includes(name) ? Math.round(v) : v;
  }
  return opts;
}

/** Repetitions that lift a kernel of `ms` to `target` ms (1 when it is long enough). */
export function repeatFor(ms, target) {
  if (!(ms > 0)) return MAX_REPEAT;
  return Math.min(MAX_REPEAT, Math.max(1, Math.ceil(target / ms)));
}

function side(cold, runs) {
  const times = runs.map((x) => x.kernel_ms);
  const d = describe(times);
  const last = runs[runs.length - 1];
  return {
    cold_ms: cold.kernel_ms, runs: times, median_ms: d.median, min_ms: d.min, max_ms: d.max,
    checksum: last.checksum, checksums_agree: [cold, ...runs].every((x) => x.checksum === cold.checksum),
    threads: last.threads, lanes: last.lanes ?? null, outliers: tukey(times).outliers,
    // The GPU side's own facts: the adapter that ran it, Julia's agreement with the f32 kernels.
    ...(last.adapter ? { adapter: last.adapter } : {}), ...(last.agreement ? { agreement: last.agreement } : {}),
  };
}

function row(spec, { coldBrowser, coldServer, b, s, r, settled, repeat, warmups, hiddenRuns, opts, quick, deps }) {
  const browser = side(coldBrowser, b);
  const server = {
    ...side(coldServer, s),
    round_trip_ms: s.map((x) => x.round_trip_ms), queue_ms: s.map((x) => x.queue_ms),
  };
  const warnings = [];
  const names = deps.names ?? { browser: 'browser', server: 'server' };
  for (const [name, x] of [[names.browser, browser], [names.server, server]]) {
    if (x.cold_ms > COLD_FACTOR * x.median_ms) {
      warnings.push(`${name}: the cold run took ${(x.cold_ms / x.median_ms).toFixed(1)}× the median (kept apart)`);
    }
    if (x.max_ms > UNSTABLE_FACTOR * x.median_ms) {
      warnings.push(`${name}: unstable runs, the slowest ${(x.max_ms / x.median_ms).toFixed(2)}× the median`);
    }
    if (x.outliers.length) warnings.push(`${name}: ${x.outliers.length} outlier${x.outliers.length > 1 ? 's' : ''} (Tukey's fences), kept`);
  }
  if (hiddenRuns) warnings.push(`the tab was hidden during ${hiddenRuns} run${hiddenRuns > 1 ? 's' : ''}: hidden tabs are throttled`);
  if (settled === null) {
    warnings.push(quick ? `quick: ${QUICK_RUNS} runs per side do not settle it within ±${pct(opts.horizon)}`
      : `not resolved within ${b.length} runs per side / ${opts.maxSeconds} s: the interval straddles 1 ± ${opts.horizon}`);
  }
  return {
    kind: 'compare', sides: deps.sides ?? ['browser', 'server'],
    workload: spec.workload, variant: spec.variant ?? 'simd', threads: spec.threads ?? null, lanes: spec.lanes ?? null,
    params: spec.params ?? {}, repeat, repeated: repeat > 1, warmups, quick,
    browser, server,
    ratio: r, horizon: opts.horizon, resolved: settled !== null, verdict: settled,
    same_checksum: browser.checksums_agree && server.checksums_agree && browser.checksum === server.checksum,
    hidden_runs: hiddenRuns, warnings,
    conditions: { ...(deps.conditions ?? {}), timer_resolution_ms: deps.timerResolutionMs ?? null },
    created: new Date().toISOString(),
  };
}

function pct(x) {
  return `${Math.round(x * 100)} %`;
}

/**
 * The cases of Compare all from the kernels' descriptions: every workload × its tasks × variant
 * × threads (1, the powers of two below `cores`, and all: `undefined`, each side's own pool) and, for the simd variant on one
 * thread, the same case at 2 lanes when the server is wider (the equal-width split). `quick`
 * takes each task's quick preset, else the book's case of each task. `accepts(spec)` →
 * whether both variants' validations accept it (a task one variant refuses is skipped: the
 * list of skips says why). → { cases: [spec], skipped: [{ workload, params, why }] }
 */
export async function cases(descriptions, { quick, cores, serverLanes, accepts }) {
  const out = [], skipped = [];
  for (const d of descriptions) {
    const task = d.fields.find((f) => f.name === 'task' && f.type === 'choice');
    const paramsList = quick
      ? d.presets.filter((p) => p.quick).map((p) => p.values)
      : (task ? task.options.map((o) => ({ task: o.value })) : [{}]);
    for (const params of paramsList) {
      const why = [];
      for (const variant of ['reference', 'simd']) {
        const refusal = await accepts({ workload: d.name, params, variant, threads: 1 });
        if (refusal) why.push(`${variant}: ${refusal}`);
      }
      if (why.length) {
        skipped.push({ workload: d.name, params, why: why.join('; ') });
        continue;
      }
      for (const variant of ['reference', 'simd']) {
        for (const threads of threadCounts(cores)) out.push({ workload: d.name, params, variant, threads });
        if (variant === 'simd' && serverLanes > 2) out.push({ workload: d.name, params, variant, threads: 1, lanes: 2 });
      }
    }
  }
  return { cases: out, skipped };
}

/** 1, 2, 4, … below `cores`, then all (`undefined`): enough points for an Amdahl fit where
 *  there are more than two cores. */
export function threadCounts(cores) {
  const counts = [1];
  for (let n = 2; n < cores; n *= 2) counts.push(n);
  if (cores > 1) counts.push(undefined);
  return counts;
}
