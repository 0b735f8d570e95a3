// The book's ladder (docs/compare.md, "The book's ladder"): for each workload, the book's
// published timings of its case — pure Python, numpy, Cython, Numba, PyPy … on the book's 2014
// hardware and Python 2.7 — beside ours measured here and now: Rust in wasm (reference, SIMD128,
// SIMD128 + threads) and native Rust on the server (its fastest: simd at its widest, all
// threads), on one log axis, each rung with its speed-up over the first (pure Python).
// The book's figures come from each workload's page module (`book`, www/workloads/<name>.js).
import { figure, fmt, forest, table } from './charts.js';
import { median } from './stats.js';
import { workUnits } from '../python/engine.js';

/** Our rungs: what runs where. */
export const OUR_RUNGS = [
  { label: 'Rust → wasm, reference, 1 thread', side: 'browser', variant: 'reference', threads: 1 },
  { label: 'Rust → wasm SIMD128, 1 thread', side: 'browser', variant: 'simd', threads: 1 },
  { label: 'Rust → wasm SIMD128, all threads', side: 'browser', variant: 'simd' },
  { label: 'Rust native (server): simd at its widest, all threads', side: 'server', variant: 'simd' },
];

/** A rung's timed runs stop at 3, or once they have taken this long (a pi reference run in
 *  wasm is ≈ 2 s: one timed run after the discarded cold one). */
const RUNG_BUDGET_MS = 3000;

/**
 * Measures our rungs of `workload`'s book case: per rung a cold run (discarded), then up to 3
 * timed runs within RUNG_BUDGET_MS → [{ label, side, seconds, n, checksum }] (seconds per step
 * for a book given per step). `run(spec)` runs one spec on its side; `signal` cancels.
 */
export async function measureRungs(workload, book, run, signal, python = null) {
  const out = [];
  for (const rung of OUR_RUNGS) {
    const spec = { side: rung.side, workload, params: book.params, variant: rung.variant, threads: rung.threads };
    if (signal?.aborted) throw { field: null, message: 'cancelled', kind: 'cancelled' };
    await run(spec);
    const times = [];
    let checksum = null, spent = 0;
    while (times.length < 3 && (times.length === 0 || spent < RUNG_BUDGET_MS)) {
      if (signal?.aborted) throw { field: null, message: 'cancelled', kind: 'cancelled' };
      const answer = await run(spec);
      times.push(answer.kernel_ms);
      spent += answer.kernel_ms;
      checksum = answer.checksum;
    }
    const ms = median(times);
    out.push({ label: rung.label, side: rung.side, seconds: ms / 1000 / (book.perStep ?? 1), n: times.length, checksum });
  }
  if (python) out.unshift(await pythonRung(workload, book, python, out[0]?.checksum, signal));
  if (signal?.aborted) throw { field: null, message: 'cancelled', kind: 'cancelled' };
  return out;
}

/**
 * The live Python rung: the book's Python on Pyodide, one run (no JIT to warm; Pyodide's load
 * kept out). A book case over the Python side's limit runs its scaled-down case instead, and
 * its time per unit of work is scaled to the book's case. `python`: { run(spec), full (the book
 * case with every field), scaled }; `checksum`: the kernels' of the book's case (Julia's units).
 */
async function pythonRung(workload, book, python, checksum, signal) {
  if (signal?.aborted) throw { field: null, message: 'cancelled', kind: 'cancelled' };
  let params = book.params, scaled = false, answer;
  try {
    answer = await python.run({ side: 'python', workload, params });
  } catch (e) {
    if (!e?.field || e.kind === 'cancelled') throw e;
    params = { ...book.params, ...python.scaled };
    scaled = true;
    if (signal?.aborted) throw { field: null, message: 'cancelled', kind: 'cancelled' };
    answer = await python.run({ side: 'python', workload, params });
  }
  const bookUnits = workUnits(workload, python.full, checksum).units;
  const ms = scaled ? (answer.kernel_ms / answer.units) * bookUnits : answer.kernel_ms;
  const label = `The book's Python, live: ${answer.python} in this browser${scaled ? ' (a scaled-down case, per unit ×)' : ''}`;
  return { label, side: 'python', seconds: ms / 1000 / (book.perStep ?? 1), n: 1, checksum: answer.checksum, scaled };
}

/** The ladder figure of one workload: the book's rungs, then ours when measured. */
export function ladderFigure(description, book, ours = []) {
  const base = book.rungs[0][1];
  const speedup = (s) => `${fmt(base / s)}×`;
  const rows = [
    ...book.rungs.map(([label, seconds]) => ({ label: `${label} — ${speedup(seconds)}`, marks: [{ series: 'book', value: seconds }] })),
    ...ours.map((r) => ({ label: `${r.label} — ${speedup(r.seconds)}`, marks: [{ series: r.side, value: r.seconds }] })),
  ];
  const chart = forest({ rows, format: (v) => seconds(v), unit: book.unit });
  const head = ['Rung', 'Where', `Time (${book.unit})`, 'Speed-up over the first rung'];
  const body = [
    ...book.rungs.map(([label, s]) => [label, book.hardware, seconds(s), `${fmt(base / s)}×`]),
    ...ours.map((r) => [r.label, `measured now (${r.side}, median of ${r.n}; checksum ${r.checksum})`, seconds(r.seconds), `${fmt(base / r.seconds)}×`]),
  ];
  return figure({
    id: `ladder-${description.name}`, title: `${description.title}: the book's road — ${book.case}`, chart,
    legend: ours.length ? ['book', ...(ours.some((r) => r.side === 'python') ? ['python'] : []), 'browser', 'server'] : ['book'],
    note: `The book's rungs are its published timings (${book.hardware}); ours are measured on this machine now${ours.length ? '' : ' — press "Measure our rungs"'}. Different machines, a decade apart: read the order of magnitude, not the last digit.`,
    table: table(`The book's road: ${description.title}`, head, body, `table-ladder-${description.name}`),
  });
}

function seconds(s) {
  return s >= 1 ? `${fmt(s)} s` : s >= 1e-3 ? `${fmt(s * 1e3)} ms` : `${fmt(s * 1e6)} µs`;
}
