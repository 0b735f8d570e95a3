// target/bench/report.md: the tables a person reads, from the rows, the ratios and the
// checksum verdict (report.json holds the same, for programs).
import { configName, describeParams } from './ratios.mjs';

const f = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toPrecision(3));
const spread = (r) => `${f(r.median_ms)} (${f(r.min_ms)}–${f(r.max_ms)})`;
const x = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function markdown({ created, quick, command, machine, rows, ratios, checks, skipped, seconds, n }) {
  const L = [];
  L.push(`# Parallax benchmark report (${quick ? 'quick' : 'full'})`, '');
  L.push(`${created} · \`${command}\` · ${seconds.toFixed(0)} s · n = ${n} sampled runs per measure after one cold run kept apart, the sides of each table row interleaved (A B C A B C …); times in ms, median (min–max), per repetition where a kernel was repeated.`, '');
  L.push(`**Machine**: ${machine.cpu}, ${machine.cores} cores at ${machine.mhz ?? '?'} MHz, native SIMD ${machine.isa} (${machine.lanes} f64 lanes); ${machine.browser ?? 'no browser'} (wasm simd128: 2 lanes); ${machine.python ?? 'no CPython'}; numpy ${machine.numpy ?? '— (not installed)'}; primesieve ${machine.primesieve ?? '— (not installed)'}.`, '');
  for (const line of machine.missing) L.push(`- skipped: ${line}`);
  if (machine.missing.length) L.push('');
  L.push('## Main table', '', mainTable(rows, machine), '');
  for (const workload of [...new Set(rows.map((r) => r.workload))]) {
    L.push(`## ${workload}`, '');
    const mine = rows.filter((r) => r.workload === workload);
    for (const label of [...new Set(mine.map((r) => r.case))]) {
      const inCase = mine.filter((r) => r.case === label);
      L.push(`### ${label}`, '');
      const ours = inCase.filter((r) => r.kind === 'ours');
      if (ours.length) {
        L.push('| variant | threads | native | server kernel | server call overhead | browser | browser/server | wasm/native | repeat | checksum |', '|---|---|---|---|---|---|---|---|---|---|');
        const configs = [...new Set(ours.map((r) => `${configName(r)}\u0000${r.threads}`))];
        for (const c of configs) {
          const [name, t] = c.split('\u0000');
          const at = (side) => ours.find((r) => configName(r) === name && String(r.threads) === t && r.side === side);
          const [n, s, b] = ['native', 'server', 'browser'].map(at);
          const ratio = (a, z) => (a && z ? x(a.median_ms / z.median_ms) : '–');
          const sums = [...new Set([n, s, b].filter(Boolean).map((r) => r.checksum))];
          L.push(`| ${name} | ${t} | ${n ? spread(n) : '–'} | ${s ? spread(s) : '–'} | ${s ? f(s.overhead_ms) : '–'} | ${b ? spread(b) : '–'} | ${ratio(b, s)} | ${ratio(b, n)} | ${(n ?? s ?? b).repeat} | ${sums.length === 1 ? sums[0] : sums.join(' ≠ ')} |`);
        }
        L.push('');
      }
      const others = inCase.filter((r) => r.kind !== 'ours');
      if (others.length) {
        L.push('| side | what | at | threads | time | per unit | checksum |', '|---|---|---|---|---|---|---|');
        for (const r of others) {
          const per = r.units ? `${(r.median_ms * 1e6 / r.units).toPrecision(3)} ns/${r.unit}` : '–';
          L.push(`| ${r.side} | ${r.variant}${r.side === 'native' ? ` ${r.lanes} lanes` : ''} | ${describeParams(r.params)} | ${r.threads} | ${r.n ? spread(r) : `${f(r.median_ms)} (computed)`} | ${per} | ${r.checksum ?? '–'} |`);
        }
        L.push('');
      }
    }
  }
  L.push('## Ratios and goals', '', quick ? 'A quick run: its cases are too small for the goals, which apply to a full run.\n' : '',
    '| ratio | value | goal | met |', '|---|---|---|---|');
  for (const r of ratios) L.push(`| ${r.name} | ${x(r.value)} | ${r.goal ?? ''} | ${r.met === null ? '' : r.met ? 'yes' : '**no**'} |`);
  L.push('', '## Checksums', '');
  L.push(`${checks.compared} rows compared with the native row of the same case: ${checks.mismatches.length ? `**${checks.mismatches.length} differ**` : 'all equal'}.`);
  for (const m of checks.mismatches) L.push(`- **differs**: ${m.row.side} ${m.row.variant} ${m.row.threads} thr. ${m.row.workload} ${describeParams(m.row.params)}: ${m.row.checksum}, native ${m.expected}`);
  for (const m of checks.differing) L.push(`- the book's Julia tests abs(z) < 2, the kernels re² + im² < 4: ${m.row.checksum} vs ${m.expected} at ${describeParams(m.row.params)}`);
  const own = [...new Set(checks.own.map((r) => `${r.side} ${r.workload}`))];
  if (own.length) L.push(`- not compared (their own arithmetic or random darts: times per unit only): ${own.join(', ')}`);
  if (skipped.length) {
    L.push('', '## Skipped', '');
    for (const s of skipped) L.push(`- ${s.workload} ${s.case} · ${s.side} ${s.variant} ${s.threads} thr.: ${s.why}`);
  }
  return `${L.join('\n')}\n`;
}

/** One line per case: the ladder from the book's Python to the limit, in ms for the case
 *  (a peer run on a scaled copy of the case is scaled by its time per unit: marked *). */
export function mainTable(rows, machine) {
  const L = ['| workload | case | CPython (book) | numpy / primesieve | wasm reference 1 thr. | wasm simd 2 thr. | native simd widest, all threads | limit | native best vs CPython |',
    '|---|---|---|---|---|---|---|---|---|'];
  const cases = [...new Set(rows.filter((r) => r.kind === 'ours').map((r) => `${r.workload}\u0000${r.case}`))];
  const most = Math.max(...rows.map((r) => r.threads));
  for (const c of cases) {
    const [workload, label] = c.split('\u0000');
    const inCase = rows.filter((r) => r.workload === workload && r.case === label);
    const ours = (side, variant, lanes, threads) => inCase.find((r) => r.kind === 'ours' && r.side === side && r.variant === variant && (lanes === undefined || r.lanes === lanes) && r.threads === threads);
    const caseUnits = ours('native', 'reference', null, 1)?.units ?? inCase.find((r) => r.units)?.units;
    const asCase = (r) => {
      if (!r) return null;
      const sameSize = r.units === caseUnits;
      return { ms: sameSize ? r.median_ms : (r.median_ms / r.units) * caseUnits, scaled: !sameSize };
    };
    const cell = (v) => (v ? `${f(v.ms)}${v.scaled ? '*' : ''}` : '–');
    const py = asCase(inCase.find((r) => r.side === 'cpython'));
    const fast = asCase(inCase.filter((r) => r.side === 'numpy' || r.side === 'primesieve').sort((a, b) => a.median_ms - b.median_ms)[0]);
    const wasmRef = asCase(ours('browser', 'reference', null, 1));
    const wasmSimd = asCase(ours('browser', 'simd', 2, Math.min(2, most)));
    const native = asCase(ours('native', 'simd', machine.lanes, most) ?? ours('native', 'simd', 2, most));
    const limit = asCase(inCase.filter((r) => r.side === 'limit' && r.variant !== 'copy').sort((a, b) => a.median_ms - b.median_ms)[0]);
    const vs = py && native ? `${x(py.ms / native.ms)}×` : '–';
    L.push(`| ${workload} | ${label} | ${cell(py)} | ${cell(fast)} | ${cell(wasmRef)} | ${cell(wasmSimd)} | ${cell(native)} | ${cell(limit)} | ${vs} |`);
  }
  L.push('', '\\* measured on a smaller copy of the case (fewer steps, darts or numbers) and scaled by its time per unit. Limit: Julia\'s peak floating-point rate bound (assuming pipes as wide as the native vectors and a core per thread: docs/bench.md) or the explicit-AVX2 probe, whichever is lower.');
  return L.join('\n');
}
