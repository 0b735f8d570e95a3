// The race (www/race/plan.js) on fake sides whose times follow a known model — the split must find
// the model's factors and multiply out to the ratio — and its words (www/race/words.js) and
// link (www/race/link.js): a verdict survives the link, a bad link is refused in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedRaceOptions, RACE, racePlan, raceParams, runRace, verdictOf } from '../../www/race/plan.js';
import { decodeVerdict, encodeVerdict, measuredOn, shortCpu } from '../../www/race/link.js';
import { factorWords, rowText, times } from '../../www/race/words.js';
import { product, ratio } from '../../www/compare/stats.js';

const describe = (name, extra = {}) => ({
  name, title: name.toUpperCase(), fields: [], presets: [{ label: 'book', values: {} }, { label: 'small', values: { size: 10 }, quick: true }], ...extra,
});
const PRIMES = describe('primes', {
  fields: [{ name: 'task', type: 'choice', default: 'check', options: [{ value: 'check' }, { value: 'range' }] }],
  presets: [{ label: 'book', values: {} }, { label: 'range', values: { task: 'range', end: '10' }, quick: true }, { label: 'check', values: { task: 'check', n: '7' }, quick: true }],
});

/**
 * Fake sides of a model machine: the browser takes `ms` at 2 lanes on one thread; native code
 * is `wasm`× faster at equal width, `width`× faster again at its widest (8 lanes); on all threads
 * the browser gains `bThreads`, the server `sThreads`. Seeded noise of ±`noise`, a simulated clock.
 */
function model({ ms = 100, wasm = 1.25, width = 2.5, bThreads = 1.8, sThreads = 1.9, noise = 0.01, checksums = ['42', '42'] } = {}) {
  let s = 11, clock = 0;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2;
  const run = (kernel, threads, lanes, checksum) => {
    const kernel_ms = kernel * (1 + noise * rand());
    clock += kernel_ms;
    return { checksum, kernel_ms, threads, lanes, queue_ms: 0, round_trip_ms: kernel_ms + 1 };
  };
  const runBrowser = async (spec) => run(ms / (spec.threads === 1 ? 1 : bThreads), spec.threads ?? 2, 2, checksums[0]);
  const runServer = async (spec) => {
    const lanes = spec.lanes ?? 8;
    return run(ms / wasm / (lanes > 2 ? width : 1) / (spec.threads === 1 ? 1 : sThreads), spec.threads ?? 2, lanes, checksums[1]);
  };
  const deps = { runBrowser, runServer, now: () => clock, timerResolutionMs: 0.005 };
  return { deps, now: () => clock };
}

async function race(descriptions, m, { quick = false, serverLanes = 8, signal, onProgress } = {}) {
  const plan = racePlan(descriptions, { quick, serverLanes });
  const kept = [];
  const legs = await runRace(plan, { quick }, { ...m.deps, signal, onProgress, keep: (row) => { kept.push(row); return row; } });
  m.kept = kept;
  return verdictOf(plan, legs, { quick, conditions: { engine: 'chromium', engine_version: '156', engine_label: 'Chromium 156', server_cpu: 'Intel(R) Xeon(R) Processor', server_lanes: serverLanes } });
}

/** The words this "page" has for its workloads (the page's come from its page modules). */
const KNOWN = { julia: { title: 'JULIA' }, primes: { title: 'PRIMES' }, pi: { title: 'PI' } };

const near = (a, b, tol, what) => assert.ok(Math.abs(a / b - 1) < tol, `${what}: ${a} vs ${b}`);
const inside = (r, what) => assert.ok(r.low <= r.estimate && r.estimate <= r.high, `${what}: ${JSON.stringify(r)}`);

test('the plan: T, W and X per workload; no X when the server is no wider than the browser', () => {
  const plan = racePlan([describe('julia'), PRIMES], { serverLanes: 8 });
  assert.deepEqual(plan[0].legs.map((l) => l.leg), ['T', 'W', 'X']);
  assert.deepEqual(plan[0].legs.map((l) => [l.spec.threads, l.spec.lanes]), [[undefined, undefined], [1, 2], [1, undefined]]);
  assert.ok(plan[0].legs.every((l) => l.spec.variant === 'simd' && Object.keys(l.spec.params).length === 0));
  assert.deepEqual(racePlan([describe('julia')], { serverLanes: 2 })[0].legs.map((l) => l.leg), ['T', 'W']);
  // Quick: the quick preset of the default task (primes: the check), else the first quick one.
  assert.deepEqual(raceParams(PRIMES, true), { task: 'check', n: '7' });
  assert.deepEqual(raceParams(describe('julia'), true), { size: 10 });
  assert.deepEqual(raceParams(PRIMES, false), {});
});

test('the split finds the model\'s factors, each inside its interval, and multiplies out to the ratio', async () => {
  const v = await race([describe('julia'), describe('pi')], model());
  for (const r of v.rows) {
    const T = (100 / 1.8) / (100 / 1.25 / 2.5 / 1.9);
    near(r.ratio.estimate, T, 0.02, 'T');
    near(r.split.wasm.estimate, 1.25, 0.02, 'wasm');
    near(r.split.width.estimate, 2.5, 0.02, 'width');
    near(r.split.rest.estimate, T / (1.25 * 2.5), 0.02, 'rest');
    near(r.split.wasm.estimate * r.split.width.estimate * r.split.rest.estimate, r.ratio.estimate, 1e-3, 'product');
    for (const k of ['wasm', 'width', 'rest']) inside(r.split[k], k);
    inside(r.ratio, 'ratio');
    assert.equal(r.verdict, 'server faster');
    assert.equal(r.same_checksum, true);
    assert.deepEqual(r.lanes, { browser: 2, server: 8 });
    assert.match(r.text, /^The server computed [A-Z]+ 3\.\d+× faster \[3\.\d+, 3\.\d+\]: 2\.[45]\d?× from its wider vectors \(2 → 8 lanes\), 1\.2\d?× from WebAssembly itself/);
    assert.match(r.text, /same result on both sides \(checksum 42\)\.$/);
  }
  near(v.overall.ratio.estimate, v.rows[0].ratio.estimate, 0.03, 'overall');
  inside(v.overall.ratio, 'overall');
  assert.match(v.overall.text, /^Overall, the server was 3\.\d+× faster .* across 2 workloads \(geometric mean\)/);
  assert.match(v.overall.text, /every result the same on both sides\.$/);
});

test('a faster browser, an equal race, differing checksums and an equal width are said as such', async () => {
  const fast = await race([describe('julia')], model({ wasm: 0.5, width: 1.2, sThreads: 1.8 }));
  assert.equal(fast.rows[0].verdict, 'browser faster');
  assert.match(fast.rows[0].text, /^Your browser computed JULIA 1\.\d+× faster than the server/);
  assert.match(fast.rows[0].text, /the server's wider vectors \(2 → 8 lanes\) gave it 1\.2×, WebAssembly itself (1\.9\d|2\.0\d?)× faster than native code at equal width/);
  const equal = await race([describe('julia')], model({ wasm: 1, width: 1, sThreads: 1.8, noise: 0.002 }));
  assert.equal(equal.rows[0].verdict, 'equal');
  assert.match(equal.rows[0].text, /equally fast, within ±5 %/);
  assert.match(equal.rows[0].text, /WebAssembly itself as fast as native code, within ±5 %/);
  const differ = await race([describe('julia')], model({ checksums: ['1', '2'] }));
  assert.equal(differ.rows[0].same_checksum, false);
  assert.match(differ.rows[0].text, /DIFFER/);
  assert.match(differ.overall.text, /some results DIFFER/);
  const narrow = await race([describe('julia')], model({ width: 1 }), { serverLanes: 2 });
  assert.deepEqual(narrow.rows[0].split.width, { estimate: 1, low: 1, high: 1 });
  assert.match(narrow.rows[0].text, /the same vector width on both sides/);
  near(narrow.rows[0].split.wasm.estimate * narrow.rows[0].split.rest.estimate, narrow.rows[0].ratio.estimate, 1e-3, 'product');
  const hidden = await race([describe('julia')], { ...model(), deps: { ...model().deps, hidden: () => true } });
  assert.ok(hidden.hidden_runs > 0);
  assert.match(hidden.overall.text, /The tab was hidden during \d+ runs of this race: hidden tabs are throttled/);
  assert.match(decodeVerdict(encodeVerdict(hidden), KNOWN).overall.text, /The tab was hidden/);
  const f = (estimate, low, high) => ({ estimate, low, high });
  assert.deepEqual(factorWords({ width: f(2, 1.9, 2.1), wasm: f(1.08, 0.98, 1.2), rest: f(1.01, 0.99, 1.03) }, { lanes: { browser: 2, server: 8 }, threads: { browser: 2, server: 2 } }), [
    '2.0× from its wider vectors (2 → 8 lanes)',
    'WebAssembly itself against native code not resolved (1.08× [0.98, 1.2])',
    'nothing from threads and the rest (browser 2, server 2 threads), within ±5 %',
  ]);
  const unresolved = rowText({ ...fast.rows[0], verdict: null, ratio: { estimate: 1.04, low: 0.9, high: 1.2 } });
  assert.match(unresolved, /^Not resolved: the race could not tell which side computed JULIA faster/);
});

test('progress names every leg; a cancel stops the race with kind "cancelled"', async () => {
  const seen = [];
  await race([describe('julia')], model(), { quick: true, onProgress: (p) => seen.push(p.leg) });
  assert.deepEqual(seen, ['T', 'W', 'X', null]);
  const abort = new AbortController();
  await assert.rejects(race([describe('julia'), describe('pi')], model(), { signal: abort.signal, onProgress: (p) => { if (p.done === 2) abort.abort(); } }),
    (e) => e.kind === 'cancelled');
});

test('leg X is the server against itself, a "lanes" row; the time budget is shared by the legs still to run', async () => {
  const m = model({ ms: 3000, noise: 0 });
  const calls = [];
  const runServer = m.deps.runServer, runBrowser = m.deps.runBrowser;
  m.deps.runServer = (spec) => { calls.push(`S${spec.lanes ?? 'w'}`); return runServer(spec); };
  m.deps.runBrowser = (spec) => { calls.push('B'); return runBrowser(spec); };
  const given = [];
  const plan = racePlan([describe('a'), describe('b')], { serverLanes: 8 });
  const legs = await runRace(plan, { budgetSeconds: 12 }, {
    ...m.deps, onProgress: (p) => { if (p.leg) given.push(p.leg); },
  });
  assert.deepEqual(given, ['T', 'W', 'X', 'T', 'W', 'X']);
  const x = legs.a.X;
  assert.equal(x.kind, 'lanes');
  assert.equal(x.race_leg, 'X');
  assert.equal(x.narrow.lanes, 2);
  assert.equal(x.wide.lanes, 8);
  assert.equal(x.verdict, 'widest faster');
  assert.ok(!('browser' in x) && !('server' in x));
  near(x.ratio.estimate, 2.5, 1e-9, 'V');
  // The browser sits leg X out: its calls are the server's, at 2 lanes and at its widest.
  const xCalls = calls.slice(calls.lastIndexOf('B') + 1);
  assert.ok(xCalls.length >= 2 && xCalls.every((c) => c === 'S2' || c === 'Sw'), xCalls.join(' '));
  // Long runs: every leg stops at minRuns, and each leg's maxSeconds shrank with the budget.
  assert.ok([legs.a.T, legs.a.W, legs.b.T].every((r) => r.ratio.n === RACE.minRuns));
});

test('race options are checked by name', () => {
  assert.deepEqual(checkedRaceOptions({}), { quick: false, gpu: 'auto', onProgress: undefined, signal: undefined });
  assert.equal(checkedRaceOptions({ gpu: true }).gpu, true);
  assert.throws(() => checkedRaceOptions({ gpu: 1 }), (e) => e.field === 'gpu' && /allowed true, false or "auto"/.test(e.message));
  assert.throws(() => checkedRaceOptions({ quick: 'yes' }), (e) => e.field === 'quick' && /allowed a boolean/.test(e.message));
  assert.throws(() => checkedRaceOptions({ fast: true }), (e) => e.field === 'fast' && /allowed quick, gpu, onProgress, signal/.test(e.message));
  assert.throws(() => checkedRaceOptions({ onProgress: 3 }), (e) => e.field === 'onProgress');
  assert.throws(() => checkedRaceOptions({ signal: {} }), (e) => e.field === 'signal');
  assert.throws(() => checkedRaceOptions(null), (e) => e.field === null);
});

test('a verdict survives its link: the same numbers and the same words', async () => {
  const v = await race([describe('julia'), PRIMES], model());
  const back = decodeVerdict(encodeVerdict(v), KNOWN);
  assert.deepEqual(back.rows.map((r) => r.text), v.rows.map((r) => r.text));
  assert.equal(back.overall.text, v.overall.text);
  assert.deepEqual(back.rows.map((r) => r.split), v.rows.map((r) => r.split));
  assert.equal(measuredOn(back), `measured on Chromium 156, Intel Xeon, ${v.created.slice(0, 10)}`);
  assert.ok(encodeVerdict(v).length < 4000, `a short link: ${encodeVerdict(v).length}`);
});

test('a bad link is refused in words, naming what is wrong', async () => {
  const v = await race([describe('julia')], model(), { quick: true });
  const enc = (data) => Buffer.from(JSON.stringify(data)).toString('base64url');
  const good = JSON.parse(Buffer.from(encodeVerdict(v), 'base64url').toString());
  const refused = (text, pattern) => assert.throws(() => decodeVerdict(text, KNOWN), (e) => e.field === 'verdict' && pattern.test(e.message), String(pattern));
  refused('', /empty/);
  refused('not base64!', /not base64url/);
  refused('x'.repeat(20_000), /at most 16384/);
  refused(enc([1, 2]), /not an object/);
  refused(enc({ ...good, version: 2 }), /version is 2/);
  refused(enc({ ...good, rows: [] }), /1 to 16 rows/);
  refused(enc({ ...good, rows: [{ ...good.rows[0], ratio: { estimate: 2, low: 3, high: 4 } }] }), /row 1's ratio is not an estimate in \[1e-6, 1e6\] inside its interval/);
  refused(enc({ ...good, rows: [{ ...good.rows[0], ratio: { estimate: 1e-300, low: 1e-300, high: 1e-300 } }] }), /row 1's ratio is not an estimate in/);
  refused(enc({ ...good, rows: [{ ...good.rows[0], workload: 'evil' }] }), /row 1's workload is not one this page describes \(julia, primes, pi\)/);
  refused(enc({ ...good, rows: [{ ...good.rows[0], checksum: '42\nhttps://evil.example' }] }), /row 1's checksum is not a decimal number/);
  refused(enc({ ...good, rows: [{ ...good.rows[0], ratio: { estimate: 9, low: 8, high: 10 } }] }), /row 1's split does not multiply out to its ratio/);
  refused(enc({ ...good, conditions: { ...good.conditions, server_cpu: 'Xeon\u202Eevil' } }), /its condition server_cpu is not a count or a short plain text/);
  // A claimed verdict is not read: it is the interval's, recomputed.
  const claimed = decodeVerdict(enc({ ...good, rows: [{ ...good.rows[0], verdict: 'browser faster' }] }), KNOWN);
  assert.equal(claimed.rows[0].verdict, v.rows[0].verdict);
  // Unknown keys are left behind, never shown.
  const c = decodeVerdict(enc({ ...good, conditions: JSON.parse('{"__proto__": null, "engine": "chromium", "extra": "x"}') }), KNOWN).conditions;
  assert.equal(Object.getPrototypeOf(c), Object.prototype);
  assert.equal(c.engine, 'chromium');
  assert.ok(!Object.hasOwn(c, 'extra'));
});

test('product() is ratio() for two samples and Welch–Satterthwaite for more', () => {
  const a = [4, 8, 16], b = [1, 2, 4], c = [3, 3.3, 2.9, 3.1], d = [10, 12];
  const r = ratio(a, b), p = product([[a, 1], [b, -1]]);
  for (const k of ['estimate', 'low', 'high', 'df']) assert.ok(Math.abs(r[k] - p[k]) < 1e-12, k);
  const q = product([[a, 1], [b, -1], [c, -1], [d, 1]]);
  const gm = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  assert.ok(Math.abs(q.estimate - gm(a) * gm(d) / (gm(b) * gm(c))) < 1e-12);
  const v = (xs) => { const l = xs.map(Math.log), m = l.reduce((s, x) => s + x, 0) / l.length; return l.reduce((s, x) => s + (x - m) ** 2, 0) / (l.length - 1) / l.length; };
  const vs = [a, b, c, d].map(v), n = [3, 3, 4, 2];
  const df = vs.reduce((s, x) => s + x, 0) ** 2 / vs.reduce((s, x, i) => s + x * x / (n[i] - 1), 0);
  assert.ok(Math.abs(q.df - df) < 1e-9, `${q.df} vs ${df}`);
  inside(q, 'product');
  // A geometric mean over k ratios: powers 1/k.
  const g = product([[a, 0.5], [b, -0.5], [d, 0.5], [c, -0.5]]);
  assert.ok(Math.abs(g.estimate - Math.sqrt(q.estimate)) < 1e-12);
  assert.equal(times(2.5), '2.5×');
  assert.equal(shortCpu('Intel(R) Xeon(R) Platinum 8488C CPU @ 2.40GHz'), 'Intel Xeon Platinum 8488C');
  assert.equal(shortCpu('AMD EPYC 7B13 64-Core Processor'), 'AMD EPYC 7B13');
});
