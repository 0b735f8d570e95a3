// The statistics of a comparison (docs/compare.md): medians, Tukey's fences for outliers, and
// the ratio of two sides' times with its 95 % interval.
//
// The ratio's method: the ratio of the geometric means, with a Welch t interval on the log
// times (Welch 1947; Satterthwaite's degrees of freedom, 1946). Run times are positive and
// skewed, and a ratio is a difference of logs, so the log scale is where a t interval fits;
// the estimate is the interval's own centre (on the log scale), so it always lies inside it.
// Nothing here touches the page: the unit tests (tests/unit/) run it in node.

/** The median of `xs` (not modified). */
export function median(xs) {
  return quantile([...xs].sort((a, b) => a - b), 0.5);
}

/** The `p` quantile of sorted `xs`, interpolated between order statistics (Hyndman & Fan's
 *  type 7, the default of R and numpy). */
export function quantile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p, lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)]) - sorted[lo]);
}

/** Tukey's fences (1977): values below Q1 − 1.5 IQR or above Q3 + 1.5 IQR are outliers.
 *  → { low, high, outliers: [indices into xs] }; flagged, never dropped. */
export function tukey(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25), q3 = quantile(sorted, 0.75), iqr = q3 - q1;
  const low = q1 - 1.5 * iqr, high = q3 + 1.5 * iqr;
  const outliers = xs.length < 4 ? [] : xs.flatMap((x, i) => (x < low || x > high ? [i] : []));
  return { low, high, outliers };
}

/** min, max, median and n of `xs`. */
export function describe(xs) {
  return { n: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * The ratio of `a`'s times to `b`'s (a / b) → { estimate, low, high, confidence, n, df, method }:
 * the geometric-mean ratio and its Welch t interval on log times. `n` is the smaller sample.
 * Both samples need two positive values at least; a zero spread gives a zero-width interval.
 */
export function ratio(a, b, confidence = 0.95) {
  if (a.length < 2 || b.length < 2) throw new RangeError('a ratio needs two runs per side at least');
  return { ...product([[a, 1], [b, -1]], confidence), n: Math.min(a.length, b.length), method: 'geometric-mean ratio, Welch t interval on log times' };
}

/**
 * A product of powers of geometric means, Π gm(xsᵢ)^pᵢ, with its interval: the same method as
 * `ratio` (which is the case [[a, 1], [b, −1]]), for more than two samples. On the log scale it
 * is the contrast Σ pᵢ · mean(ln xsᵢ) of independent means; its variance is Σ pᵢ² · s²ᵢ / nᵢ and
 * its degrees of freedom Satterthwaite's (Σ vᵢ)² / Σ vᵢ² / (nᵢ − 1), the formula Welch's interval
 * uses for two. The race's split (www/race/plan.js) needs it: "threads and the rest" is T / (W · V),
 * four samples, and its overall line is a geometric mean over workloads (powers 1/k).
 * `terms`: [[times, power]], each with two positive times at least → { estimate, low, high,
 * confidence, df }; a zero spread gives a zero-width interval.
 */
export function product(terms, confidence = 0.95) {
  if (!terms.length) throw new RangeError('a product needs one term at least');
  let centre = 0, v = 0, dfDen = 0, dfZero = 0;
  for (const [xs, power] of terms) {
    if (xs.length < 2) throw new RangeError('every term needs two runs at least');
    if (!xs.every((x) => x > 0 && Number.isFinite(x))) throw new RangeError('times must be positive');
    const logs = xs.map(Math.log);
    const vi = power * power * variance(logs) / logs.length;
    centre += power * mean(logs);
    v += vi;
    dfDen += vi * vi / (logs.length - 1);
    dfZero += logs.length - 1;
  }
  const se = Math.sqrt(v);
  const df = se > 0 ? v * v / dfDen : dfZero;
  const half = se > 0 ? tQuantile(1 - (1 - confidence) / 2, df) * se : 0;
  return { estimate: Math.exp(centre), low: Math.exp(centre - half), high: Math.exp(centre + half), confidence, df };
}

/**
 * The verdict on a browser/server ratio: 'server faster' when its interval lies above
 * 1 + horizon, 'browser faster' below 1 − horizon, 'equal' inside [1 − horizon, 1 + horizon];
 * null while it straddles an edge (unresolved: more runs could tell).
 */
export function verdict({ low, high }, horizon) {
  if (low > 1 + horizon) return 'server faster';
  if (high < 1 - horizon) return 'browser faster';
  if (low >= 1 - horizon && high <= 1 + horizon) return 'equal';
  return null;
}

/** Speed-up at `threads` threads from one-thread times and N-thread times → the ratio
 *  t1 / tN with its interval, and the efficiency (speed-up / threads) with its interval. */
export function scaling(oneThread, nThreads, threads) {
  const speedup = ratio(oneThread, nThreads);
  const efficiency = { estimate: speedup.estimate / threads, low: speedup.low / threads, high: speedup.high / threads };
  return { threads, speedup, efficiency };
}

/**
 * Amdahl's law fitted to speed-ups: S(N) = 1 / ((1 − p) + p / N), i.e. 1 − 1/S = p (1 − 1/N), a
 * line through the origin fitted by least squares → { parallel, low, high, df }; null below
 * three thread counts (one-thread point included), where a fit has no spread to estimate.
 * `points`: [{ threads, speedup }] with speedup a number.
 */
export function amdahl(points, confidence = 0.95) {
  if (new Set(points.map((p) => p.threads)).size < 3) return null;
  const xs = points.map((p) => 1 - 1 / p.threads), ys = points.map((p) => 1 - 1 / p.speedup);
  const sxx = xs.reduce((s, x) => s + x * x, 0);
  const p = xs.reduce((s, x, i) => s + x * ys[i], 0) / sxx;
  const used = xs.filter((x) => x > 0).length, df = used - 1;
  const rss = xs.reduce((s, x, i) => s + (ys[i] - p * x) ** 2, 0);
  const half = df > 0 && rss > 0 ? tQuantile(1 - (1 - confidence) / 2, df) * Math.sqrt(rss / df / sxx) : 0;
  return { parallel: p, low: p - half, high: p + half, df };
}

/**
 * The equal-width split of a browser/server gap: browser at 2 lanes (`browser2`), server at 2
 * lanes (`server2`), server at its widest (`serverWide`), each a list of times. → { width,
 * wasm, total }: `width` = server2 / serverWide (what the wider vectors give), `wasm` =
 * browser2 / server2 (WebAssembly itself at the same width), `total` = browser2 / serverWide;
 * the estimates multiply exactly (width · wasm = total), as geometric means do. `narrow`: the
 * server's 2-lane runs interleaved with `serverWide` when they were measured apart from
 * `server2` (the race's leg X): then width = narrow / serverWide and total = wasm · width.
 */
export function split(browser2, server2, serverWide, narrow = server2) {
  const total = narrow === server2 ? ratio(browser2, serverWide)
    : product([[browser2, 1], [server2, -1], [narrow, 1], [serverWide, -1]]);
  return { width: ratio(narrow, serverWide), wasm: ratio(browser2, server2), total };
}

function mean(xs) {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function variance(xs) {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
}

/** The `p` quantile of Student's t with `df` degrees of freedom (df may be fractional, as
 *  Welch's is), by bisection on the distribution function. */
export function tQuantile(p, df) {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`tQuantile(${p}, ${df})`);
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0, hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Student's t distribution function: 1 − I_x(df/2, 1/2) / 2 for t ≥ 0, x = df / (df + t²). */
export function tCdf(t, df) {
  const tail = 0.5 * betaIncomplete(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The regularised incomplete beta function I_x(a, b), by its continued fraction (modified
 *  Lentz; Numerical Recipes §6.4), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the
 *  fraction converges slowly. */
function betaIncomplete(x, a, b) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x, a, b) {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let f = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return f;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ≈ 15 digits). */
function lnGamma(x) {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let s = g[0];
  for (let i = 1; i < 9; i++) s += g[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * The distribution-free interval of a median: order statistics [x_(k), x_(n+1−k)] with the
 * largest k whose binomial coverage is still ≥ `confidence` (Conover, "Practical Nonparametric
 * Statistics", §3.2). Below six values no such k exists: the interval is [min, max] and its
 * true coverage, 1 − 2⁻⁽ⁿ⁻¹⁾, is returned as `coverage`.
 */
export function medianInterval(xs, confidence = 0.95) {
  const sorted = [...xs].sort((a, b) => a - b), n = sorted.length;
  // P(B ≤ j) for B ~ Binomial(n, 1/2), accumulated; each term in log space (0.5ⁿ underflows
  // past n ≈ 1074).
  const cdf = [];
  let logTerm = n * Math.log(0.5), acc = 0;
  for (let j = 0; j <= n; j++) {
    acc += Math.exp(logTerm);
    cdf.push(acc);
    logTerm += Math.log((n - j) / (j + 1));
  }
  let k = 1;
  while (k + 1 <= n / 2 && 1 - 2 * cdf[k] >= confidence) k += 1;
  const coverage = 1 - 2 * (k >= 1 ? cdf[k - 1] : 0);
  return { estimate: quantile(sorted, 0.5), low: sorted[k - 1], high: sorted[n - k], coverage };
}
