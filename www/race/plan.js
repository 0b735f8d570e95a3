// The race (docs/race.md): the first screen's one action. For each workload's book case it
// runs three two-sided comparisons of the compare engine (www/compare/protocol.js) and reads one verdict:
//   T  browser against server at the API's defaults — simd, the browser at its 2 lanes, the
//      server at its widest, each side's every thread: the gap a visitor sees;
//   W  browser against server on one thread at 2 lanes each: WebAssembly itself against native
//      code at equal width;
//   X  the server against itself on one thread, at 2 lanes and at its widest: what the wider
//      vectors bring (skipped when the server is no wider than 2 lanes: V = 1). A row of kind
//      "lanes", its sides `narrow` and `wide`: the browser sits this leg out, which saves the
//      race its slowest runs (a second browser run at one thread per workload).
//   G  this browser's GPU against the server at the defaults, for the workloads with a shader
//      (docs/gpu.md; Julia in f32 on both sides), where the page has a GPU side: a fourth
//      contender beside the three-way split, not a part of it.
// Then T = W · V · R: R, "threads and the rest", is what is left. Every factor is a product of
// geometric means with its Welch interval (stats.js `product`), the compare engine's method.
// Nothing here touches the page: tests/unit/race.test.mjs runs it in node with fake sides.
import { compare, gpuInBrowsersPlace } from '../compare/protocol.js';
import { product, verdict as settle } from '../compare/stats.js';
import { gpuText, overallText, rowText } from './words.js';

/** The race's stopping rule: the compare engine's, with fewer runs at least and a time budget
 *  shared by the legs (a leg gets what is left over the legs still to run). */
export const RACE = { horizon: 0.05, minRuns: 3, maxRuns: 20, budgetSeconds: 30 };
export const VERDICT_VERSION = 1;

/** `parallax.race`'s options, checked by name: { quick: boolean, gpu: boolean | 'auto',
 *  onProgress: function, signal: AbortSignal }, each optional; anything else is refused with the
 *  field's name. `gpu`: 'auto' (the default) races the GPU where the page has a hardware one, true
 *  wherever it has one (a software adapter too), false never. */
export function checkedRaceOptions(options = {}) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw { field: null, message: 'race(options): options must be an object' };
  const allowed = { quick: 'a boolean', gpu: 'true, false or "auto"', onProgress: 'a function', signal: 'an AbortSignal' };
  for (const k of Object.keys(options)) {
    if (!Object.hasOwn(allowed, k)) throw { field: k, message: `${k}: not an option of race; allowed ${Object.keys(allowed).join(', ')}` };
  }
  const { quick, gpu, onProgress, signal } = options;
  if (gpu !== undefined && ![true, false, 'auto'].includes(gpu)) throw { field: 'gpu', message: `gpu = ${JSON.stringify(gpu)}: allowed ${allowed.gpu}` };
  if (quick !== undefined && typeof quick !== 'boolean') throw { field: 'quick', message: `quick = ${JSON.stringify(quick)}: allowed ${allowed.quick}` };
  if (onProgress !== undefined && typeof onProgress !== 'function') throw { field: 'onProgress', message: `onProgress: allowed ${allowed.onProgress}` };
  if (signal !== undefined && !(typeof signal?.addEventListener === 'function' && 'aborted' in signal)) throw { field: 'signal', message: `signal: allowed ${allowed.signal}` };
  return { quick: quick ?? false, gpu: gpu ?? 'auto', onProgress, signal };
}

/** The case a workload races: its book case (the API's defaults), or with `quick` the quick
 *  preset of the default task (primes: the check), else its first quick preset. */
export function raceParams(d, quick) {
  if (!quick) return {};
  const task = d.fields.find((f) => f.name === 'task')?.default ?? null;
  const quicks = d.presets.filter((p) => p.quick);
  return (quicks.find((p) => (p.values.task ?? task) === task) ?? quicks[0])?.values ?? {};
}

/** The legs per workload → [{ workload, title, params, legs: [{ leg: 'T'|'W'|'X'|'G', spec }] }].
 *  `gpu`: the workloads the GPU races (leg G: one sample a run, `repeat` 1 — a GPU's kernel is
 *  milliseconds, and the server's shorter time would otherwise set the repetitions of both). */
export function racePlan(descriptions, { quick = false, serverLanes = 2, gpu = [] } = {}) {
  return descriptions.map((d) => {
    const params = raceParams(d, quick);
    const base = { workload: d.name, params, variant: 'simd' };
    const legs = [{ leg: 'T', spec: base }, { leg: 'W', spec: { ...base, threads: 1, lanes: 2 } }];
    if (serverLanes > 2) legs.push({ leg: 'X', spec: { ...base, threads: 1 } });
    if (gpu.includes(d.name)) {
      const f32 = d.name === 'julia' ? { precision: 'f32' } : {};
      legs.push({ leg: 'G', spec: { ...base, params: { ...params, ...f32 }, repeat: 1 } });
    }
    return { workload: d.name, title: d.title, params, legs };
  });
}

/**
 * Runs the plan. `deps`: the compare engine's deps (www/compare/protocol.js: runBrowser, runServer, now,
 * timerResolutionMs, hidden, signal, conditions), and keep(row) → the row as kept (the page adds
 * it to its rows, for export and the charts), onProgress({ done, total, workload, leg, spec }).
 * → { [workload]: { T, W, X? } } of rows (X: a "lanes" row).
 */
export async function runRace(plan, { quick = false, budgetSeconds = RACE.budgetSeconds } = {}, deps) {
  const { now = () => performance.now(), signal, onProgress, keep = (row) => row } = deps;
  // Leg X: the server at 2 lanes in the browser's place.
  const lanesDeps = { ...deps, names: LANES_NAMES, runBrowser: (spec) => deps.runServer({ ...spec, lanes: 2 }) };
  // Leg G: the GPU in the browser's place.
  const gpuDeps = gpuInBrowsersPlace(deps);
  const total = plan.reduce((n, p) => n + p.legs.length, 0);
  const started = now();
  const legs = {};
  let done = 0;
  for (const p of plan) {
    legs[p.workload] = {};
    for (const { leg, spec } of p.legs) {
      if (signal?.aborted) throw { field: null, message: 'the race was cancelled', kind: 'cancelled' };
      onProgress?.({ done, total, workload: p.workload, leg, spec });
      const left = budgetSeconds - (now() - started) / 1000;
      const options = quick ? { quick: true, horizon: RACE.horizon }
        : { horizon: RACE.horizon, minRuns: RACE.minRuns, maxRuns: RACE.maxRuns, maxSeconds: Math.min(3600, Math.max(0.5, left / (total - done))) };
      const row = leg === 'X' ? lanesRow(await compare(spec, options, lanesDeps))
        : await compare(spec, options, leg === 'G' ? gpuDeps : deps);
      legs[p.workload][leg] = keep({ ...row, race_leg: leg });
      done += 1;
    }
  }
  onProgress?.({ done, total, workload: null, leg: null, spec: null });
  return legs;
}

/** A verdict's numbers carry four significant digits (as its link does, www/race/link.js). */
const round = (x) => Number(x.toPrecision(4));
const span = (r) => ({ estimate: round(r.estimate), low: round(r.low), high: round(r.high) });
const ONE = { estimate: 1, low: 1, high: 1 };

/**
 * The verdict from the legs' rows. `plan`: racePlan's; `legs`: runRace's; `words`: { [workload]:
 * { what, same } } (the page modules' phrases); `conditions`: where it ran (verdict.conditions).
 */
export function verdictOf(plan, legs, { words = {}, conditions = {}, quick = false, elapsedMs = null, created = new Date().toISOString() } = {}) {
  const rows = plan.map((p) => {
    const { T, W, X, G } = legs[p.workload];
    const row = {
      workload: p.workload, title: p.title, params: p.params,
      what: words[p.workload]?.what ?? p.title, same_what: words[p.workload]?.same ?? 'result',
      ratio: span(T.ratio), verdict: T.verdict, resolved: T.resolved,
      split: {
        wasm: span(W.ratio),
        width: X ? span(X.ratio) : ONE,
        rest: span(product(restTerms(legs[p.workload]))),
      },
      lanes: { browser: W.browser.lanes ?? 2, server: X ? X.wide.lanes ?? 2 : W.server.lanes ?? 2 },
      threads: { browser: T.browser.threads ?? 1, server: T.server.threads ?? 1 },
      checksum: T.browser.checksum,
      // Every leg the same on both sides, and the legs the same as each other (threads and
      // lanes never change a result).
      same_checksum: [T, W].every((r) => r.same_checksum && r.browser.checksum === T.browser.checksum)
        && (!X || (X.same_checksum && X.narrow.checksum === T.browser.checksum)),
      quick,
    };
    const gpu = G ? {
      ratio: span(G.ratio), verdict: G.verdict, resolved: G.resolved, same_checksum: G.same_checksum,
      checksum: G.browser.checksum, agreement: G.browser.agreement ?? null, adapter: G.browser.adapter ?? null,
      precision: G.params.precision ?? null,
    } : null;
    return { ...row, text: rowText(row, RACE.horizon), gpu: gpu && { ...gpu, text: gpuText(row.what, gpu, RACE.horizon) } };
  });
  const overall = overallOf(plan, legs);
  // Runs made while the tab was hidden (throttled) make the browser read slow: said overall.
  // Leg X is the server alone: its runs are not the browser's.
  const hiddenRuns = plan.reduce((n, p) => n + ['T', 'W'].reduce((m, leg) => m + (legs[p.workload][leg].hidden_runs ?? 0), 0), 0);
  const verdict = { version: VERDICT_VERSION, kind: 'verdict', quick, created, elapsed_ms: elapsedMs, horizon: RACE.horizon, hidden_runs: hiddenRuns, conditions, rows };
  verdict.overall = { ...overall, same_checksum: rows.every((r) => r.same_checksum), text: '' };
  verdict.overall.text = overallText(verdict);
  return verdict;
}

/** "Threads and the rest" as a product of samples: R = T / (W · V) = (bT / sT) · (s2 / b2) ·
 *  (wide / narrow), each a leg's runs (without X: V = 1, its terms left out). */
function restTerms({ T, W, X }) {
  const terms = [[T.browser.runs, 1], [T.server.runs, -1], [W.browser.runs, -1], [W.server.runs, 1]];
  if (X) terms.push([X.narrow.runs, -1], [X.wide.runs, 1]);
  return terms;
}

/** The geometric mean over workloads of T and of each factor, with intervals (powers 1/k). */
function overallOf(plan, legs) {
  const k = plan.length;
  const terms = (pick) => plan.flatMap((p) => pick(legs[p.workload]).map(([xs, power]) => [xs, power / k]));
  const r = product(terms((l) => [[l.T.browser.runs, 1], [l.T.server.runs, -1]]));
  const anyWider = plan.some((p) => legs[p.workload].X);
  return {
    ratio: span(r), verdict: settle(r, RACE.horizon), resolved: settle(r, RACE.horizon) !== null,
    split: {
      wasm: span(product(terms((l) => [[l.W.browser.runs, 1], [l.W.server.runs, -1]]))),
      width: anyWider ? span(product(terms((l) => (l.X ? [[l.X.narrow.runs, 1], [l.X.wide.runs, -1]] : [])))) : ONE,
      rest: span(product(terms(restTerms))),
    },
  };
}

/** A server-against-server row (leg X) as what it is: kind "lanes", its sides `narrow` (2 lanes)
 *  and `wide` (the server's widest), its verdict about them. */
export function lanesRow({ browser, server, verdict, ...row }) {
  const said = { 'browser faster': '2 lanes faster', 'server faster': 'widest faster', equal: 'equal' };
  return { ...row, kind: 'lanes', side: 'server', narrow: browser, wide: server, verdict: verdict ? said[verdict] : null };
}

/** What leg X's two sides are called in the compare engine's messages and warnings. */
export const LANES_NAMES = { browser: 'server at 2 lanes', server: 'server at its widest' };
