// The comparison's stopping rule with fake sides: a clear gap resolves at minRuns, equal sides
// resolve as equal, a gap inside the noise runs to maxRuns (or maxSeconds) unresolved, quick is
// exactly three runs, short kernels get a repeat, the sides interleave, a cancel stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, cases, repeatFor, MAX_REPEAT } from '../../www/compare/protocol.js';

/** A fake side: times around `ms` with a relative spread `noise` (seeded), on a simulated clock. */
function fakes({ browserMs, serverMs, noise = 0.01, checksums = ['42', '42'], seed = 7 }) {
  let s = seed, clock = 0;
  const calls = [];
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2;
  const side = (name, ms, checksum) => async (spec) => {
    calls.push(`${name}${spec.repeat ?? ''}`);
    const kernel_ms = ms * (1 + noise * rand());
    clock += kernel_ms * (spec.repeat ?? 1);
    return { checksum, kernel_ms, threads: 1, lanes: 2, queue_ms: 0.1, round_trip_ms: kernel_ms * (spec.repeat ?? 1) + 1 };
  };
  return {
    calls,
    deps: { runBrowser: side('B', browserMs, checksums[0]), runServer: side('S', serverMs, checksums[1]), now: () => clock, timerResolutionMs: 0.005 },
  };
}

const spec = { workload: 'julia', params: {}, variant: 'simd', threads: 1 };

test('a clear gap resolves at minRuns: the server faster, with the ratio inside its interval', async () => {
  const { deps, calls } = fakes({ browserMs: 90, serverMs: 30 });
  const row = await compare(spec, {}, deps);
  assert.equal(row.resolved, true);
  assert.equal(row.verdict, 'server faster');
  assert.equal(row.ratio.n, 5);
  assert.ok(row.ratio.low <= row.ratio.estimate && row.ratio.estimate <= row.ratio.high);
  assert.ok(Math.abs(row.ratio.estimate - 3) < 0.1, String(row.ratio.estimate));
  assert.equal(row.same_checksum, true);
  assert.equal(row.repeat, 1);
  // One cold run per side, then browser and server in turn.
  assert.deepEqual(calls.slice(0, 6), ['B', 'S', 'B1', 'S1', 'B1', 'S1']);
  assert.equal(row.browser.runs.length, 5);
  assert.equal(row.server.round_trip_ms.length, 5);
});

test('equal sides resolve as equal within the horizon', async () => {
  const { deps } = fakes({ browserMs: 50, serverMs: 50, noise: 0.005 });
  const row = await compare(spec, { horizon: 0.05 }, deps);
  assert.equal(row.verdict, 'equal');
  assert.equal(row.resolved, true);
  assert.ok(row.ratio.low >= 0.95 && row.ratio.high <= 1.05);
});

test('a gap inside the noise runs to maxRuns and says it is unresolved', async () => {
  const { deps } = fakes({ browserMs: 52.5, serverMs: 50, noise: 0.3 });
  const row = await compare(spec, { maxRuns: 12, maxSeconds: 3600 }, deps);
  assert.equal(row.resolved, false);
  assert.equal(row.verdict, null);
  assert.equal(row.ratio.n, 12);
  assert.ok(row.warnings.some((w) => w.includes('not resolved')), row.warnings.join('; '));
});

test('maxSeconds ends an unresolved comparison early', async () => {
  const { deps } = fakes({ browserMs: 520, serverMs: 500, noise: 0.3 });
  const row = await compare(spec, { maxRuns: 30, maxSeconds: 6 }, deps);
  assert.equal(row.resolved, false);
  assert.ok(row.ratio.n >= 5 && row.ratio.n < 30, String(row.ratio.n));
});

test('quick is exactly three sampled runs per side after the cold one', async () => {
  const { deps, calls } = fakes({ browserMs: 90, serverMs: 30 });
  const row = await compare(spec, { quick: true }, deps);
  assert.equal(row.browser.runs.length, 3);
  assert.equal(row.server.runs.length, 3);
  assert.equal(calls.length, 8);
});

test('a short kernel is repeated to last 20 ms a sample, or 1000 × the timer resolution', async () => {
  const { deps, calls } = fakes({ browserMs: 0.2, serverMs: 0.1, noise: 0 });
  const row = await compare(spec, { quick: true }, deps);
  assert.equal(row.repeat, 200);
  assert.equal(row.repeated, true);
  assert.ok(calls.slice(2).every((c) => c.endsWith('200')), calls.join(' '));
  const coarse = fakes({ browserMs: 0.2, serverMs: 0.1 });
  coarse.deps.timerResolutionMs = 0.1;
  assert.equal((await compare(spec, { quick: true }, coarse.deps)).repeat, 1000);
  assert.equal(repeatFor(30, 20), 1);
  assert.equal(repeatFor(0, 20), MAX_REPEAT);
});

test('different checksums are reported, and a cancel rejects as cancelled', async () => {
  const { deps } = fakes({ browserMs: 30, serverMs: 30, checksums: ['1', '2'] });
  assert.equal((await compare(spec, { quick: true }, deps)).same_checksum, false);
  const c = new AbortController();
  const f = fakes({ browserMs: 30, serverMs: 30 });
  const slow = f.deps.runServer;
  let n = 0;
  f.deps.runServer = async (s) => { if (++n === 3) c.abort(); return slow(s); };
  await assert.rejects(compare(spec, {}, { ...f.deps, signal: c.signal }), (e) => e.kind === 'cancelled');
});

test('Compare all: every workload, task, variant and thread count, the 2-lane rows, the skips', async () => {
  const descriptions = [
    { name: 'julia', fields: [], presets: [{ values: {} }, { values: { width: 400 }, quick: true }] },
    {
      name: 'primes', fields: [{ name: 'task', type: 'choice', options: [{ value: 'check' }, { value: 'count' }] }],
      presets: [{ values: { task: 'check', n: '7' }, quick: true }, { values: { task: 'count', limit: '10' }, quick: true }],
    },
  ];
  const accepts = async (s) => (s.workload === 'primes' && s.params.task === 'count' && s.variant === 'reference' ? 'limit too big' : null);
  const quick = await cases(descriptions, { quick: true, cores: 2, serverLanes: 8, accepts });
  assert.equal(quick.cases.length, 10); // julia and primes check: 2 ref + 2 simd + 1 at 2 lanes each
  assert.deepEqual(quick.skipped.map((x) => x.params.task), ['count']);
  assert.deepEqual(quick.cases[0].params, { width: 400 });
  const full = await cases(descriptions, { quick: false, cores: 1, serverLanes: 2, accepts });
  assert.deepEqual(full.cases.map((c) => `${c.workload}/${c.params.task ?? ''}/${c.variant}/${c.threads}`),
    ['julia//reference/1', 'julia//simd/1', 'primes/check/reference/1', 'primes/check/simd/1']);
});

test('options are numbers in range, else refused by name', async () => {
  const { checkedOptions } = await import('../../www/compare/protocol.js');
  assert.deepEqual(checkedOptions({}), { horizon: 0.05, minRuns: 5, maxRuns: 30, maxSeconds: 20, quick: false });
  assert.equal(checkedOptions({ maxRuns: undefined }).maxRuns, 30);
  for (const bad of [{ horizon: '0.05' }, { maxRuns: Number.NaN }, { minRuns: 1 }, { maxSeconds: -1 }]) {
    assert.throws(() => checkedOptions(bad), (e) => e.field === Object.keys(bad)[0], JSON.stringify(bad));
  }
});
