// The primes panel's own parts: a range's primes drawn from the raw u64 list (an Ulam spiral, or
// a density map against 1/ln n), a verdict or a count as large text, the runs table's words.

import { drawPrimeRange, drawVerdict } from '../panel/draw.js';

export default {
  /** The race's words (www/race/words.js): "The server computed <what> …; the same <same>". */
  race: { what: 'a primality check by trial division', same: 'answer' },
  /** The book's timings of its 18-digit prime by trial division (ch. 9). */
  book: {
    case: 'is 100109100129100151 prime? (trial division)', params: { task: 'check' }, unit: 's',
    hardware: 'the book (2014): a laptop, 4 processes, Python 2.7',
    rungs: [['Serial trial division', 11.8], ['multiprocessing.Pool, 4 processes', 3.0], ['4 processes sharing a flag', 3.04]],
  },
  label(v) {
    return { check: `check ${v.n}`, miller_rabin: `M–R ${v.n}`, range: `[${v.start}, ${v.end})`, count: `π(${v.limit})` }[v.task];
  },
  /** A range's list of primes from the server (raw u64s); the other tasks' summary. */
  serverFormat: (v) => (v.task === 'range' ? 'raw' : 'json'),
  browserBuffer: (v) => v.task === 'range',
  /** Draws a primes result (a range: its primes; else a verdict) and returns its caption. */
  draw(canvas, side, job, out) {
    const v = job.values, summary = out; // the answer's summary fields: count, is_prime, factor
    const primes = out.buffer && new BigUint64Array(out.buffer.slice(0, out.buffer.byteLength - (out.buffer.byteLength % 8)));
    if (v.task === 'range' && primes) return drawPrimeRange(canvas, primes, BigInt(v.start), BigInt(v.end));
    if (v.task === 'count') {
      const x = Number(v.limit), estimate = x > 1 ? x / Math.log(x) : 0;
      const count = Number(summary.count);
      return drawVerdict(canvas, `π(${x.toLocaleString('en')}) = ${count.toLocaleString('en')}`,
        estimate ? `x / ln x ≈ ${Math.round(estimate).toLocaleString('en')} (${(100 * (estimate - count) / Math.max(count, 1)).toFixed(1)} %)` : '');
    }
    if (summary.is_prime) return drawVerdict(canvas, 'prime', `${v.n} has no factor but 1 and itself`);
    if (!summary.factor && BigInt(v.n) < 2n) return drawVerdict(canvas, 'neither', `${v.n} is neither prime nor composite`);
    return drawVerdict(canvas, 'composite', summary.factor ? `smallest factor ${summary.factor}` : `${v.n} is not prime`);
  },
};
