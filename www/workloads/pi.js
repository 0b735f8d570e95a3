// The Monte Carlo π panel's own parts: the estimate with its 95 % binomial interval in the
// caption (from the count inside, which is the checksum, so the server's PNG answer carries it
// too), the runs table's words. The dart board itself is the kernels' picture on both sides.

/** 1.96: the normal quantile of a two-sided 95 % interval. */
const Z = 1.959963984540054;

export default {
  /** The race's words (www/race/words.js): "The server computed <what> …; the same <same>". */
  race: { what: 'Monte Carlo π', same: 'count of darts inside the circle' },
  blurb: 'The picture shows the first 20,000 darts: blue inside the quarter circle, orange outside.',
  /** The book's timings of 10⁸ darts (ch. 9, Examples 9-1 to 9-3). */
  book: {
    case: '10⁸ darts', params: {}, unit: 's',
    hardware: 'the book (2014): a laptop, Python 2.7',
    rungs: [
      ['Pure-Python loop, 1 process', 120], ['Pure-Python loop, 2 processes', 56], ['Pure-Python loop, 4 processes', 27],
      ['numpy, 1 process ("over 50× faster" than the loop: ≤ 2.4 s)', 2.4],
    ],
  },
  label: (v) => `${Number(v.samples).toLocaleString('en')} darts, seed ${v.seed}`,
  caption(side, job, out) {
    const n = Number(job.values.samples), inside = Number(out.checksum);
    const [low, high] = wilson(inside, n).map((p) => 4 * p);
    const covers = low <= Math.PI && Math.PI <= high;
    return `π ≈ ${(4 * inside / n).toFixed(6)}, 95 % interval [${low.toFixed(5)}, ${high.toFixed(5)}]`
      + ` (${inside.toLocaleString('en')} of ${n.toLocaleString('en')} darts inside; π is ${covers ? '' : 'not '}in it)`;
  },
};

/** The Wilson score interval of a binomial proportion `k / n` at 95 %: it stays inside [0, 1]
 *  and is honest for few darts, where the normal approximation is not. */
export function wilson(k, n) {
  const p = k / n, z2 = Z * Z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
