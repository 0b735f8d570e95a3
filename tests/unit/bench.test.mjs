// The benchmark harness's pure parts (tests/bench/): the plan it builds from descriptions, the
// ratios and goals it reports, the checksum verdict. The harness itself runs in the test
// command as `cargo xtask bench --quick`, against the real sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan, casesOf, units, fullParams } from '../bench/matrix.mjs';
import { ratios, checksums } from '../bench/ratios.mjs';
import { measureGroup, sideName } from '../bench/measure.mjs';
import { enginesTable } from '../bench/report.mjs';

const julia = {
  name: 'julia',
  fields: [{ name: 'width', default: 1000 }, { name: 'height', default: 1000 }, { name: 'max_iter', default: 300 }],
  presets: [{ label: 'Book', values: {} }, { label: 'Quick', values: { width: 40, height: 40 }, quick: true }],
};
const primes = {
  name: 'primes',
  fields: [{ name: 'task', type: 'choice', default: 'check', options: [{ value: 'check' }, { value: 'count' }] },
    { name: 'n', default: '97' }, { name: 'limit', default: '1000000000' }],
  presets: [{ label: 'Book check', values: {} }, { label: 'π(10⁹)', values: { task: 'count' } },
    { label: 'Small', values: { task: 'count', limit: '1000' }, quick: true }],
};
const fn = async () => ({ ms: 1, checksum: '1' });
const all = { native: fn, server: fn, browsers: { chromium: fn, firefox: fn }, cpython: fn, numpy: fn, primesieve: fn, copy: fn, probe: fn };

test('the plan: every config on every side and engine, the browser never at the native widest, peers and limits beside the native default', () => {
  const groups = plan([julia], { quick: false, sides: all, lanes: 8, threads: [1, 2] });
  const ours = groups.filter((g) => g.kind === 'ours');
  assert.equal(ours.length, 3 * 2, 'reference, simd ×2, simd widest × 1 and 2 threads');
  for (const g of ours) {
    const widest = g.measures[0].variant === 'simd' && g.measures[0].lanes === undefined;
    const sides = g.measures.map(sideName);
    assert.deepEqual(sides, widest ? ['native', 'server'] : ['native', 'server', 'browser chromium', 'browser firefox']);
  }
  // An engine that is not installed (null) has no measures.
  const one = plan([julia], { quick: false, sides: { ...all, browsers: { chromium: fn, webkit: null } }, lanes: 8, threads: [1] });
  assert.deepEqual(one[0].measures.map((m) => m.engine ?? m.side), ['native', 'server', 'chromium']);
  const peers = groups.find((g) => g.kind === 'peers');
  assert.deepEqual(peers.measures.map((m) => `${m.side} ${m.variant} ${m.threads}`), ['native simd 2', 'cpython book 1']);
  const limits = groups.find((g) => g.kind === 'limits');
  // With 8 native lanes, Julia's 4 lanes at 1 thread beside them (the wider vector's speed-up).
  assert.deepEqual(limits.measures.map((m) => [m.side, m.lanes ?? null, m.threads]),
    [['native', null, 1], ['probe', 4, 1], ['native', null, 2], ['probe', 4, 2], ['native', 4, 1]]);
  // A missing peer leaves its group out, not an empty one.
  const without = plan([julia], { quick: false, sides: { ...all, cpython: null, probe: null }, lanes: 8, threads: [1, 2] });
  assert.equal(without.filter((g) => g.kind !== 'ours').length, 0);
  // No widest config where the native widest is the browser's 2 lanes.
  assert.equal(plan([julia], { quick: false, sides: all, lanes: 2, threads: [1] }).filter((g) => g.kind === 'ours').length, 2);
});

test('cases: the quick presets, or each task\'s book case plus the goals\' own cases', () => {
  assert.deepEqual(casesOf(julia, true).map((c) => c.params), [{ width: 40, height: 40 }]);
  assert.deepEqual(casesOf(primes, false).map((c) => [c.label, c.extra]),
    [['Book check', false], ['π(10⁹)', false], ['task count, limit 10000000000', true]]);
  assert.deepEqual(fullParams(primes, { task: 'count' }), { task: 'count', n: '97', limit: '1000000000' });
  assert.deepEqual(units('diffusion', { width: 4, height: 3, steps: 5 }), { units: 60, unit: 'cell-step' });
  assert.deepEqual(units('julia', {}, '1234'), { units: 1234, unit: 'iteration' });
});

const row = (o) => ({ workload: 'julia', case: 'Book', kind: 'ours', params: {}, lanes: null, threads: 1, n: 5, checksum: '7', checksum_policy: 'same', ...o });

test('ratios: equal width both ways, simd over reference, thread efficiency, each held to its goal in a full run only', () => {
  const rows = [
    row({ side: 'native', variant: 'reference', median_ms: 100 }),
    row({ side: 'browser', engine: 'chromium', variant: 'reference', median_ms: 120 }),
    row({ side: 'server', variant: 'reference', median_ms: 110 }),
    row({ side: 'browser', engine: 'chromium', variant: 'simd', lanes: 2, median_ms: 40 }),
    row({ side: 'native', variant: 'simd', lanes: 2, median_ms: 38 }),
    row({ side: 'browser', engine: 'chromium', variant: 'reference', threads: 2, median_ms: 62.5 }),
  ];
  const full = ratios(rows, { goals: true, widest: 8 });
  const get = (prefix) => full.filter((r) => r.name.startsWith(prefix));
  const wasm = get('wasm/native');
  assert.equal(wasm.length, 2);
  assert.equal(wasm[0].value, 1.2);
  assert.equal(wasm[0].goal, null, 'equal width is held at 2 lanes, not for the reference');
  assert.equal(wasm[1].goal, '≤ 1.1');
  assert.equal(wasm[1].met, true, '40/38 ≤ 1.1 (Julia)');
  assert.equal(get('browser/server')[0].value, 120 / 110);
  assert.equal(get('browser/server')[0].goal, null);
  const speedup = get('reference/simd (speed-up) · browser')[0];
  assert.equal(speedup.value, 3);
  assert.equal(speedup.met, false, 'Julia in wasm: simd at least 4× the reference');
  const eff = get('2-thread efficiency · browser')[0];
  assert.equal(eff.value, 120 / 125);
  assert.equal(eff.met, true);
  const quick = ratios(rows, { goals: false, widest: 8 });
  assert.equal(quick.length, full.length);
  assert.ok(quick.every((r) => r.goal === null && r.met === null));
});

test('ratios: each engine is named in its ratios; equal width is Chromium\'s goal, the others are held to Chromium at 1 thread', () => {
  const rows = [
    row({ side: 'native', variant: 'reference', median_ms: 100 }),
    row({ side: 'server', variant: 'reference', median_ms: 100 }),
    row({ side: 'browser', engine: 'chromium', variant: 'reference', median_ms: 105 }),
    row({ side: 'browser', engine: 'firefox', variant: 'reference', median_ms: 120 }),
    row({ side: 'browser', engine: 'webkit', variant: 'reference', median_ms: 150 }),
    row({ side: 'native', variant: 'simd', lanes: 2, median_ms: 50 }),
    row({ side: 'browser', engine: 'chromium', variant: 'simd', lanes: 2, median_ms: 60 }),
    row({ side: 'browser', engine: 'webkit', variant: 'simd', lanes: 2, median_ms: 70 }),
    row({ side: 'browser', engine: 'chromium', variant: 'simd', lanes: 2, threads: 2, median_ms: 40 }),
    row({ side: 'browser', engine: 'webkit', variant: 'simd', lanes: 2, threads: 2, median_ms: 80 }),
    // Miller–Rabin's own equal-width goal (≤ 3: wasm SIMD has no 64-bit multiply of its own).
    row({ workload: 'primes', case: 'MR', params: { task: 'miller_rabin' }, full: { task: 'miller_rabin', n: '97' }, side: 'native', variant: 'simd', lanes: 2, median_ms: 1 }),
    row({ workload: 'primes', case: 'MR', params: { task: 'miller_rabin' }, full: { task: 'miller_rabin', n: '97' }, side: 'browser', engine: 'chromium', variant: 'simd', lanes: 2, median_ms: 2.5 }),
  ];
  const out = ratios(rows, { goals: true, widest: 2 });
  const named = (prefix) => out.filter((r) => r.name.startsWith(prefix)).map((r) => [r.name.split(' · ').slice(1, 2).concat(r.name.split(' · ').slice(4)).join(' · '), r.goal, r.met]);
  assert.deepEqual(named('wasm/native'), [
    ['chromium · reference · 1 thr.', null, null], ['firefox · reference · 1 thr.', null, null], ['webkit · reference · 1 thr.', null, null],
    ['chromium · simd 2 lanes · 1 thr.', '≤ 1.1', false], ['webkit · simd 2 lanes · 1 thr.', null, null],
    ['chromium · simd 2 lanes · 1 thr.', '≤ 3', true],
  ]);
  assert.deepEqual(named('engine/chromium'), [
    ['firefox · reference · 1 thr.', '≤ 1.3', true], ['webkit · reference · 1 thr.', '≤ 1.3', false],
    ['webkit · simd 2 lanes · 1 thr.', '≤ 1.3', true], ['webkit · simd 2 lanes · 2 thr.', null, null],
  ]);
  assert.deepEqual(out.filter((r) => r.name.startsWith('browser/server')).map((r) => r.name.split(' · ')[1]), ['chromium', 'firefox', 'webkit']);
});

test('ratios: ours over peers on the same params, primesieve at its thread count, limits', () => {
  const rows = [
    row({ kind: 'peers', side: 'native', variant: 'simd', lanes: 8, threads: 2, median_ms: 7 }),
    row({ kind: 'peers', side: 'cpython', variant: 'book', median_ms: 4900 }),
    row({ kind: 'peers', workload: 'primes', case: 'π(10⁹)', params: { task: 'count' }, full: { task: 'count', limit: '1000000000' }, side: 'native', variant: 'simd', threads: 1, median_ms: 70 }),
    row({ kind: 'peers', workload: 'primes', case: 'π(10⁹)', params: { task: 'count' }, full: { task: 'count', limit: '1000000000' }, side: 'native', variant: 'simd', threads: 2, median_ms: 40 }),
    row({ kind: 'peers', workload: 'primes', case: 'π(10⁹)', params: { task: 'count' }, full: { task: 'count', limit: '1000000000' }, side: 'primesieve', variant: 'primesieve', threads: 2, median_ms: 45 }),
    row({ kind: 'limits', side: 'native', variant: 'simd', lanes: 8, threads: 1, median_ms: 12 }),
    row({ kind: 'limits', side: 'limit', variant: 'avx2-probe', threads: 1, median_ms: 20 }),
    row({ kind: 'limits', side: 'native', variant: 'simd', lanes: 4, threads: 1, median_ms: 15 }),
  ];
  const out = ratios(rows, { goals: true, widest: 8 });
  const by = (prefix) => out.find((r) => r.name.startsWith(prefix));
  assert.equal(by('CPython').value, 700);
  assert.equal(by('CPython').met, true, '≥ 600');
  const ps = by('native/primesieve');
  assert.equal(ps.value, 40 / 45, 'against the native row of the same thread count');
  assert.equal(ps.met, true, '≤ 0.9');
  assert.equal(by('native widest/explicit-AVX2').value, 0.6);
  assert.equal(by('native widest/explicit-AVX2').met, true);
  const lanes = by('simd 4 lanes/simd 8 lanes');
  assert.equal(lanes.value, 15 / 12);
  assert.equal(lanes.met, false, '≥ 1.4');
});

test('checksums: ours must agree on the same case; the book\'s Julia may differ and is listed; own-generator rows are not compared', () => {
  const full = (r) => JSON.stringify(r.params);
  const rows = [
    row({ side: 'native', variant: 'simd' }),
    row({ side: 'browser', engine: 'firefox', variant: 'simd' }),
    row({ side: 'server', variant: 'reference', checksum: '8' }),
    row({ side: 'cpython', variant: 'book', checksum: '9', checksum_policy: 'warn' }),
    row({ side: 'numpy', variant: 'numpy', checksum: '10', checksum_policy: 'own' }),
    row({ side: 'native', variant: 'simd', params: { width: 2 }, checksum: '3' }),
    row({ side: 'limit', variant: 'copy', params: { width: 2 }, checksum: null, checksum_policy: 'own' }),
  ];
  const v = checksums(rows, full);
  assert.equal(v.compared, 3);
  assert.deepEqual(v.mismatches.map((m) => m.row.side), ['server']);
  assert.deepEqual(v.differing.map((m) => m.row.side), ['cpython']);
  assert.deepEqual(v.own.map((r) => r.side), ['numpy']);
});

test('measuring a group: cold runs apart, the first sets the repeat, the sides interleave, a refusal is skipped, a failure or a changed checksum throws', async () => {
  const calls = [];
  const side = (name, ms, { refuse = false, checksums = null } = {}) => {
    let i = 0;
    return async (spec) => {
      calls.push(`${name}×${spec.repeat}`);
      if (refuse) throw Object.assign(new Error('task = count is not taken by the reference'), { refusal: true });
      return { ms, checksum: checksums ? checksums[i++] : '5' };
    };
  };
  const group = (measures) => ({ workload: 'julia', case: 'Book', kind: 'ours', calibrate: true,
    measures: measures.map(([s, run]) => ({ side: s, variant: 'simd', threads: 1, params: {}, run, checksum: 'same' })) });
  const out = await measureGroup(group([['native', side('native', 2)], ['server', side('server', 2)], ['browser', side('browser', 3, { refuse: true })]]), { n: 2, targetMs: 20 });
  assert.deepEqual(calls, ['native×1', 'server×10', 'browser×10', 'native×10', 'server×10', 'native×10', 'server×10']);
  assert.deepEqual(out.rows.map((r) => [r.side, r.n, r.repeat]), [['native', 2, 10], ['server', 2, 10]]);
  assert.match(out.skipped[0].why, /not taken/);
  await assert.rejects(measureGroup(group([['native', side('native', 30, { checksums: ['5', '5', '6'] })]]), { n: 2 }), /checksum 6 after 5/);
  // A side that fails on its cold run for any other reason fails the group.
  const broken = async () => { throw new Error('Traceback: NameError'); };
  await assert.rejects(measureGroup(group([['native', side('native', 30)], ['cpython', broken]]), { n: 2 }), /cpython simd 1 thr\.: Traceback/);
});

test('the engines\' table: browser/server at equal width and 1 thread, one column per engine, a dash where one is missing', () => {
  const rows = [
    row({ side: 'server', variant: 'reference', median_ms: 100 }),
    row({ side: 'browser', engine: 'webkit', variant: 'reference', median_ms: 150 }),
    row({ side: 'browser', engine: 'chromium', variant: 'reference', median_ms: 90 }),
    row({ side: 'server', variant: 'simd', lanes: 2, median_ms: 10 }),
    row({ side: 'browser', engine: 'chromium', variant: 'simd', lanes: 2, median_ms: 12 }),
    row({ side: 'browser', engine: 'chromium', variant: 'simd', lanes: 2, threads: 2, median_ms: 6 }),
  ];
  const lines = enginesTable(rows).split('\n');
  assert.equal(lines[0], '| case | chromium | webkit |', 'engines in their fixed order');
  assert.equal(lines[2], '| julia · Book · reference | 0.90 | 1.50 |');
  assert.equal(lines[3], '| julia · Book · simd 2 lanes | 1.20 | – |');
  assert.equal(lines.length, 4);
  assert.equal(enginesTable(rows.filter((r) => r.side !== 'browser')), 'No browser was measured.');
});
