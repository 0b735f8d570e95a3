// The comparison's statistics on samples with known answers: Student's t quantiles against the
// published table, the Welch interval worked by hand, Tukey's fences, Amdahl's fit on exact
// speed-ups, and the equal-width split multiplying out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, quantile, tukey, ratio, verdict, tQuantile, tCdf, scaling, amdahl, split } from '../../www/compare/stats.js';

const close = (got, want, tol, what) => assert.ok(Math.abs(got - want) <= tol, `${what}: ${got} vs ${want}`);

test('t quantiles match the table (two-sided 95 %)', () => {
  const table = { 1: 12.706204736, 2: 4.302652730, 4: 2.776445105, 5: 2.570581836, 10: 2.228138852, 30: 2.042272456, 1000: 1.962339081 };
  for (const [df, t] of Object.entries(table)) close(tQuantile(0.975, Number(df)), t, 1e-6, `df ${df}`);
  close(tQuantile(0.025, 5), -2.570581836, 1e-6, 'lower tail');
  close(tCdf(0, 3), 0.5, 1e-12, 'centre');
  // Fractional degrees of freedom (Welch's) fall between their neighbours.
  const t45 = tQuantile(0.975, 4.5);
  assert.ok(t45 < 2.776445105 && t45 > 2.570581836, String(t45));
});

test('median and type-7 quantiles', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.equal(quantile([1, 2, 3, 4], 0.75), 3.25);
});

test('Tukey fences flag the far value and keep it', () => {
  const xs = [10, 11, 12, 13, 100];
  const t = tukey(xs);
  assert.deepEqual(t.outliers, [4]);
  assert.equal(t.low, 11 - 1.5 * 2);
  assert.equal(t.high, 13 + 1.5 * 2);
  assert.equal(xs.length, 5);
  assert.deepEqual(tukey([1, 2, 3, 4, 5]).outliers, []);
});

test('the Welch interval on log times, worked by hand', () => {
  // Logs base 2 of each side are {2,3,4} and {0,1,2}: equal variances (ln 2)², a difference of
  // 2 ln 2 → estimate 4; se = ln 2 · √(2/3); Welch's df = 4 exactly; t(0.975, 4) = 2.776445105.
  const r = ratio([4, 8, 16], [1, 2, 4]);
  close(r.estimate, 4, 1e-12, 'estimate');
  close(r.df, 4, 1e-12, 'df');
  const half = 2.776445105 * Math.LN2 * Math.sqrt(2 / 3);
  close(r.low, 4 * Math.exp(-half), 1e-6, 'low');
  close(r.high, 4 * Math.exp(half), 1e-6, 'high');
  assert.ok(r.low <= r.estimate && r.estimate <= r.high);
  assert.equal(r.n, 3);
  assert.equal(r.confidence, 0.95);
  // Zero spread: the interval is the estimate.
  const flat = ratio([3, 3, 3], [2, 2, 2]);
  assert.deepEqual([flat.low, flat.estimate, flat.high].map((x) => x.toFixed(12)), Array(3).fill((1.5).toFixed(12)));
  assert.throws(() => ratio([1], [1, 2]), RangeError);
  assert.throws(() => ratio([0, 1], [1, 2]), RangeError);
});

test('the interval covers the true ratio about 95 % of the time', () => {
  // Log-normal times with a true ratio of 1.3: a seeded generator, 2,000 trials of 8 v 8.
  let s = 12345;
  const uniform = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  let covered = 0;
  const trials = 2000;
  for (let i = 0; i < trials; i++) {
    const a = Array.from({ length: 8 }, () => 1.3 * Math.exp(0.1 * normal()));
    const b = Array.from({ length: 8 }, () => Math.exp(0.2 * normal()));
    const r = ratio(a, b);
    if (r.low <= 1.3 && 1.3 <= r.high) covered++;
  }
  const rate = covered / trials;
  assert.ok(rate > 0.93 && rate < 0.97, `coverage ${rate}`);
});

test('the verdict: outside, inside or straddling 1 ± horizon', () => {
  assert.equal(verdict({ low: 1.2, high: 1.5 }, 0.05), 'server faster');
  assert.equal(verdict({ low: 0.5, high: 0.9 }, 0.05), 'browser faster');
  assert.equal(verdict({ low: 0.97, high: 1.04 }, 0.05), 'equal');
  assert.equal(verdict({ low: 1.01, high: 1.2 }, 0.05), null);
  assert.equal(verdict({ low: 0.9, high: 0.99 }, 0.05), null);
});

test('scaling and efficiency; Amdahl needs three thread counts', () => {
  const s = scaling([10, 10.1, 9.9], [5, 5.05, 4.95], 2);
  close(s.speedup.estimate, 2, 1e-9, 'speed-up');
  close(s.efficiency.estimate, 1, 1e-9, 'efficiency');
  assert.ok(s.efficiency.low <= 1 && s.efficiency.high >= 1);
  const amdahlS = (p, n) => 1 / ((1 - p) + p / n);
  assert.equal(amdahl([{ threads: 1, speedup: 1 }, { threads: 2, speedup: amdahlS(0.9, 2) }]), null);
  const fit = amdahl([1, 2, 4, 8].map((n) => ({ threads: n, speedup: amdahlS(0.9, n) })));
  close(fit.parallel, 0.9, 1e-9, 'parallel fraction');
  close(fit.low, 0.9, 1e-9, 'exact data: no spread');
  const noisy = amdahl([{ threads: 1, speedup: 1 }, { threads: 2, speedup: 1.7 }, { threads: 4, speedup: 3.3 }]);
  assert.ok(noisy.low < noisy.parallel && noisy.parallel < noisy.high, JSON.stringify(noisy));
});

test('the equal-width split multiplies out to the total', () => {
  const b2 = [30, 31, 29, 30.5], s2 = [25, 26, 24.5, 25.2], wide = [14, 14.5, 13.8, 14.1];
  const { width, wasm, total } = split(b2, s2, wide);
  close(width.estimate * wasm.estimate, total.estimate, 1e-9, 'a · b');
  assert.ok(width.estimate > 1.7 && width.estimate < 1.9);
  assert.ok(wasm.estimate > 1.1 && wasm.estimate < 1.3);
});

test('the median\'s interval from order statistics, with its true coverage', async () => {
  const { medianInterval } = await import('../../www/compare/stats.js');
  const three = medianInterval([3, 1, 2]);
  assert.deepEqual([three.low, three.estimate, three.high], [1, 2, 3]);
  close(three.coverage, 0.75, 1e-12, 'n = 3: [min, max] covers 1 − 2⁻²');
  // n = 10: k = 2 gives 1 − 2 · P(B ≤ 1) = 1 − 22/1024 ≈ 0.9785 (k = 3 would be 0.891).
  const ten = medianInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual([ten.low, ten.high], [2, 9]);
  close(ten.coverage, 1 - 22 / 1024, 1e-12, 'n = 10');
});

test('the median\'s interval holds for long samples too (no underflow)', async () => {
  const { medianInterval } = await import('../../www/compare/stats.js');
  const xs = Array.from({ length: 1100 }, (_, i) => i + 1);
  const m = medianInterval(xs);
  assert.ok(m.low < 530 && m.high > 570 && m.coverage >= 0.95 && m.coverage < 0.96, JSON.stringify(m));
});
