// The comparison's figures from its rows (docs/compare.md, "The view"): the ratio per case, both
// sides' times, the equal-width split, thread scaling and where the time goes — each a chart
// (www/compare/charts.js) with its table view listing the same numbers.
import { bars, figure, fmt, forest, table } from './charts.js';
import { amdahl, medianInterval, scaling, split } from './stats.js';

/** A case in words: workload, what differs from the book's case, variant, lanes, threads. */
export function caseLabel(row) {
  // The task first (primes), then the fields that differ from the book's case.
  const entries = Object.entries(row.params ?? {}).sort(([a], [b]) => (b === 'task') - (a === 'task'));
  const p = entries.map(([k, v]) => (k === 'task' ? v : `${k} ${v}`)).join(', ');
  const lanes = row.variant === 'simd' ? ` ×${row.lanes ?? row.server.lanes}${row.lanes ? '' : ' (server widest)'}` : '';
  const threads = row.threads ?? `all (${row.browser.threads} / ${row.server.threads})`;
  const source = row.source ? `${row.source}: ` : '';
  return `${source}${row.workload}${p ? ` [${p}]` : ' [book]'} · ${row.variant}${lanes} · ${threads} thr.`;
}

/** The case without its variant and threads: source, workload and params. */
function caseName(row) {
  return caseLabel(row).split(' · ').slice(0, row.source ? row.source.split(' · ').length : 1).join(' · ');
}

const ms = (v) => `${fmt(v)} ms`;
const x = (v) => `${fmt(v)}×`;
const interval = (r) => `${x(r.estimate)} [${fmt(r.low)}, ${fmt(r.high)}]`;

/** Browser time / server time per case, with its 95 % interval and the horizon band. */
export function ratioFigure(rows) {
  const h = rows[0]?.horizon ?? 0.05;
  const chart = forest({
    rows: rows.map((r) => ({
      label: `${caseLabel(r)} · n ${r.ratio.n}${r.resolved ? '' : ' · unresolved'}`,
      marks: [{ series: 'ratio', value: r.ratio.estimate, low: r.ratio.low, high: r.ratio.high }],
    })),
    refs: [{ value: 1, label: 'equal' }], band: [1 - h, 1 + h], format: x, unit: 'browser / server',
  });
  const head = ['Case', 'Browser median (ms)', 'Server median (ms)', 'Ratio [95 %]', 'n', 'Verdict', 'Checksums', 'Repeat', 'Warnings'];
  const body = rows.map((r) => [
    caseLabel(r), medianText(r.browser), medianText(r.server), interval(r.ratio), String(r.ratio.n),
    r.resolved ? r.verdict : 'not resolved',
    r.same_checksum ? `same (${r.browser.checksum})` : `DIFFER: ${r.browser.checksum} vs ${r.server.checksum}`,
    r.repeated ? `${r.repeat} per sample` : '1', r.warnings.join('; ') || '–',
  ]);
  return figure({
    id: 'ratio', title: 'Browser time / server time', chart, legend: ['ratio'],
    note: `> 1: the server is faster. Estimate and whisker: the geometric-mean ratio and its 95 % Welch interval on log times; the shaded band is 1 ± ${h}, the horizon inside which the sides count as equal.`,
    table: table('The ratio per case, with both medians and checksums', head, body, 'table-ratio'),
  });
}

function medianText(side) {
  const m = medianInterval(side.runs);
  return `${fmt(m.estimate)} [${fmt(m.low)}, ${fmt(m.high)}]`;
}

/** Both sides' medians per case, whiskers the median's order-statistic interval. */
export function timesFigure(rows) {
  const chart = forest({
    rows: rows.map((r) => ({
      label: caseLabel(r),
      marks: ['browser', 'server'].map((s) => {
        const m = medianInterval(r[s].runs);
        return { series: s, value: m.estimate, low: m.low, high: m.high };
      }),
    })),
    format: (v) => fmt(v), unit: 'ms per run',
  });
  const head = ['Case', 'Side', 'Median (ms)', 'Interval (ms)', 'Coverage', 'Cold (ms)', 'Min – max (ms)', 'Outliers'];
  const body = rows.flatMap((r) => ['browser', 'server'].map((s) => {
    const side = r[s], m = medianInterval(side.runs);
    return [caseLabel(r), s, fmt(m.estimate), `${fmt(m.low)} – ${fmt(m.high)}`, `${Math.round(m.coverage * 100)} %`,
      fmt(side.cold_ms), `${fmt(side.min_ms)} – ${fmt(side.max_ms)}`, side.outliers.length ? side.outliers.map((i) => `run ${i + 1}`).join(', ') : '–'];
  }));
  return figure({
    id: 'times', title: 'Time per run, both sides', chart, legend: ['browser', 'server'],
    note: 'Dot: the median of the sampled runs (per repetition when a sample repeats the kernel); whisker: the median\'s distribution-free interval (order statistics; with fewer than six runs it is the range, and its coverage is below 95 %: see the table). Cold runs are kept apart.',
    table: table('Both sides per case', head, body, 'table-times'),
  });
}

/** Whether two rows are of one case: the same source (live or an import), workload, params
 *  and variant. */
function sameCase(a, b) {
  return a.source === b.source && a.workload === b.workload && a.variant === b.variant && JSON.stringify(a.params) === JSON.stringify(b.params);
}

/** The equal-width split of each simd case measured at 2 lanes and at the server's widest:
 *  from a comparison at the widest (Compare all), else from a "lanes" row of the server
 *  against itself (the race's leg X) in `lanesRows`. */
export function splitFigure(rows, lanesRows = []) {
  const items = rows.filter((r) => r.variant === 'simd' && r.lanes === 2 && r.threads === 1).flatMap((two) => {
    const wide = rows.find((r) => sameCase(r, two) && r.threads === 1 && r.lanes === null && r.server.lanes > 2);
    if (wide) return [{ two, wide, s: split(two.browser.runs, two.server.runs, wide.server.runs) }];
    const lanes = lanesRows.findLast((r) => sameCase(r, two) && r.wide.lanes > 2);
    return lanes ? [{ two, wide: { server: lanes.wide }, s: split(two.browser.runs, two.server.runs, lanes.wide.runs, lanes.narrow.runs) }] : [];
  });
  if (!items.length) return null;
  const chart = bars({
    rows: items.map(({ two, wide, s }) => ({
      label: `${caseName(two)} · 1 thr. · 2 → ${wide.server.lanes} lanes`,
      parts: [
        { series: 'width', from: 1, to: s.width.estimate, text: `${x(s.width.estimate)} width` },
        { series: 'wasm', from: s.width.estimate, to: s.total.estimate, text: `${x(s.wasm.estimate)} wasm` },
      ],
    })),
    refs: [{ value: 1, label: 'equal' }], format: x, unit: 'browser / server',
  });
  const head = ['Case', 'Vector width (server 2 lanes / widest)', 'WebAssembly itself (browser / server, 2 lanes)', 'Total (browser / server widest)', 'In words'];
  const body = items.map(({ two, wide, s }) => [caseName(two), interval(s.width), interval(s.wasm), interval(s.total),
    `${x(s.width.estimate)} comes from the vector width (2 → ${wide.server.lanes} lanes), ${x(s.wasm.estimate)} from WebAssembly itself; ${x(s.width.estimate)} · ${x(s.wasm.estimate)} = ${x(s.total.estimate)}`]);
  return figure({
    id: 'split', title: 'The equal-width split', chart, legend: ['width', 'wasm'],
    note: 'The browser has 2 f64 lanes (SIMD128); the server runs the same code at 2 lanes and at its widest. The total gap is the product of what the wider vectors give and what WebAssembly costs at equal width (geometric means multiply exactly).',
    table: table('Where the gap comes from, per simd case', head, body, 'table-split'),
  });
}

/** Speed-up from 1 thread to N on both sides, with the ideal line; Amdahl from 3 counts up. */
export function scalingFigure(rows, cores) {
  const groups = [];
  for (const one of rows.filter((r) => r.threads === 1 && r.lanes === null)) {
    const more = rows.filter((r) => sameCase(r, one) && r.lanes === null && r.threads !== 1);
    if (more.length) groups.push({ one, more });
  }
  if (!groups.length) return null;
  const lines = groups.flatMap(({ one, more }) => more.map((m) => ({
    one, m,
    browser: scaling(one.browser.runs, m.browser.runs, m.browser.threads),
    server: scaling(one.server.runs, m.server.runs, m.server.threads),
  })));
  const counts = new Set(lines.flatMap((l) => [l.browser.threads, l.server.threads]));
  const chart = forest({
    rows: lines.map((l) => ({
      label: `${caseLabel({ ...l.m, threads: `1 → ${l.browser.threads} / ${l.server.threads}` })}`,
      marks: ['browser', 'server'].map((s) => ({ series: s, value: l[s].speedup.estimate, low: l[s].speedup.low, high: l[s].speedup.high })),
    })),
    refs: [...counts].map((n) => ({ value: n, label: `ideal ${n}×` })), format: x, unit: 'speed-up',
  });
  const head = ['Case', 'Side', 'Threads', 'Speed-up [95 %]', 'Efficiency [95 %]'];
  const body = lines.flatMap((l) => ['browser', 'server'].map((s) => [
    caseLabel({ ...l.one, threads: '1 →' }), s, String(l[s].threads), interval(l[s].speedup),
    `${pct(l[s].efficiency.estimate)} [${pct(l[s].efficiency.low)}, ${pct(l[s].efficiency.high)}]`]));
  const fits = groups.map(({ one, more }) => ['browser', 'server'].map((s) => amdahl([{ threads: 1, speedup: 1 },
    ...more.map((m) => ({ threads: m[s].threads, speedup: scaling(one[s].runs, m[s].runs, m[s].threads).speedup.estimate }))])));
  const fitted = fits.flat().filter(Boolean);
  const note = fitted.length
    ? `Amdahl's law fitted: parallel fraction ${fits.map((f, i) => `${caseLabel(groups[i].one)}: ${f.map((p) => (p ? `${pct(p.parallel)} [${pct(p.low)}, ${pct(p.high)}]` : '–')).join(' / ')}`).join('; ')}.`
    : `Thread counts measured: ${[1, ...counts].join(' and ')}. An Amdahl fit (the parallel fraction with its interval) needs three thread counts or more; this machine gives ${cores} core${cores === 1 ? '' : 's'}.`;
  return figure({
    id: 'scaling', title: 'Thread scaling', chart, legend: ['browser', 'server'],
    note: `Speed-up = time on 1 thread / time on N (geometric-mean ratio, 95 % interval); the vertical lines are the ideal N×. ${note}`,
    table: table('Speed-up and efficiency per side', head, body, 'table-scaling'),
  });
}

function pct(v) {
  return `${Math.round(v * 100)} %`;
}

/** Where one case's time goes on each side: the browser's start and its calls; the server's
 *  queue, kernel, and encoding + network (round trip − kernel − queue). */
export function timeFigure(row, startup) {
  const med = (xs) => medianInterval(xs).estimate;
  const call = row.browser.median_ms * row.repeat, kernel = row.server.median_ms * row.repeat;
  const queue = med(row.server.queue_ms.map((q) => q ?? 0));
  const net = Math.max(0, med(row.server.round_trip_ms.map((t, i) => t - row.server.runs[i] * row.repeat - (row.server.queue_ms[i] ?? 0))));
  const s = startup ?? {};
  const compile = s.compile_ms ?? 0, pool = s.pool_ms ?? 0;
  const chain = (parts) => {
    let at = 0;
    return parts.map(([series, v, text]) => ({ series, from: at, to: (at += v), text: `${text} ${ms(v)}` }));
  };
  const chart = bars({
    log: false, unit: 'ms',
    rows: [
      { label: 'Browser: start, then the cold call', parts: chain([['wasm', compile, 'fetch + compile'], ['width', pool, 'pool'], ['browser', row.browser.cold_ms, 'cold call']]) },
      { label: `Browser: a warm call${row.repeat > 1 ? ` (${row.repeat} repetitions)` : ''}`, parts: chain([['browser', call, 'kernel']]) },
      { label: `Server: a warm call${row.repeat > 1 ? ` (${row.repeat} repetitions)` : ''}`, parts: chain([['ratio', queue, 'queue'], ['server', kernel, 'kernel'], ['wasm', net, 'encoding + network']]) },
    ],
  });
  const head = ['Side', 'Part', 'Median (ms)'];
  const body = [
    ['browser', 'module fetch + compile (once per worker)', fmt(compile)], ['browser', 'pool start (once per worker)', fmt(pool)],
    ['browser', 'cold first call', fmt(row.browser.cold_ms)], ['browser', 'warm call', fmt(call)],
    ['server', 'queue', fmt(queue)], ['server', 'kernel', fmt(kernel)], ['server', 'encoding + network (round trip − kernel − queue)', fmt(net)],
  ];
  return figure({
    id: 'time', title: `Where the time goes: ${caseLabel(row)}`, chart,
    note: 'The browser pays once per worker for fetching and compiling the module and for starting its pool; the server\'s round trip adds its queue and the encoding and network around the kernel.',
    table: table('Where the time goes', head, body, 'table-time'),
  });
}
