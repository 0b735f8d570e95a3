// target/bench/report.md: the tables a person reads, from the rows, the ratios and the
// checksum verdict (report.json holds the same, for programs).
import { configName, describeParams } from './ratios.mjs';
import { sideName } from './measure.mjs';
import { ENGINES } from '../engines/drivers.mjs';

/** The browser engines that have rows, in the order of tests/engines/drivers.mjs. */
const enginesIn = (rows) => ENGINES.filter((e) => rows.some((r) => r.side === 'browser' && r.engine === e));

const f = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toPrecision(3));
const spread = (r) => `${f(r.median_ms)} (${f(r.min_ms)}–${f(r.max_ms)})`;
const x = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function markdown({ created, quick, command, machine, rows, ratios, checks, skipped, seconds, n }) {
  const L = [];
  L.push(`# Parallax benchmark report (${quick ? 'quick' : 'full'})`, '');
  L.push(`${created} · \`${command}\` · ${seconds.toFixed(0)} s · n = ${n} sampled runs per measure after one cold run kept apart, the sides of each table row interleaved (A B C A B C …); times in ms, median (min–max), per repetition where a kernel was repeated.`, '');
  const browsers = Object.values(machine.browsers ?? {}).join(', ') || 'no browser';
  L.push(`**Machine**: ${machine.cpu}, ${machine.cores} cores at ${machine.mhz ?? '?'} MHz, native SIMD ${machine.isa} (${machine.lanes} f64 lanes); ${browsers} (wasm simd128: 2 lanes); ${machine.python ?? 'no CPython'}; numpy ${machine.numpy ?? '— (not installed)'}; primesieve ${machine.primesieve ?? '— (not installed)'}.`, '');
  for (const line of machine.missing) L.push(`- skipped: ${line}`);
  if (machine.missing.length) L.push('');
  L.push('## Main table', '', mainTable(rows, machine), '');
  L.push('## Engines: browser/server at equal width', '', enginesTable(rows), '');
  const engines = enginesIn(rows);
  for (const workload of [...new Set(rows.map((r) => r.workload))]) {
    L.push(`## ${workload}`, '');
    const mine = rows.filter((r) => r.workload === workload);
    for (const label of [...new Set(mine.map((r) => r.case))]) {
      const inCase = mine.filter((r) => r.case === label);
      L.push(`### ${label}`, '');
      const ours = inCase.filter((r) => r.kind === 'ours');
      if (ours.length) {
        const perEngine = (title) => engines.map((e) => `${e}${title}`);
        const head = ['variant', 'threads', 'native', 'server kernel', 'server call overhead', ...perEngine(''), ...perEngine('/server'), ...perEngine('/native'), 'repeat', 'checksum'];
        L.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
        const configs = [...new Set(ours.map((r) => `${configName(r)}\u0000${r.threads}`))];
        for (const c of configs) {
          const [name, t] = c.split('\u0000');
          const at = (side, engine) => ours.find((r) => configName(r) === name && String(r.threads) === t && r.side === side && r.engine === engine);
          const [n, s] = ['native', 'server'].map((side) => at(side));
          const bs = engines.map((e) => at('browser', e));
          const ratio = (a, z) => (a && z ? x(a.median_ms / z.median_ms) : '–');
          const sums = [...new Set([n, s, ...bs].filter(Boolean).map((r) => r.checksum))];
          const cells = [name, t, n ? spread(n) : '–', s ? spread(s) : '–', s ? f(s.overhead_ms) : '–', ...bs.map((b) => (b ? spread(b) : '–')),
            ...bs.map((b) => ratio(b, s)), ...bs.map((b) => ratio(b, n)), ([n, s, ...bs].find(Boolean)).repeat, sums.length === 1 ? sums[0] : sums.join(' ≠ ')];
          L.push(`| ${cells.join(' | ')} |`);
        }
        L.push('');
      }
      const others = inCase.filter((r) => r.kind !== 'ours');
      if (others.length) {
        L.push('| side | what | at | threads | time | per unit | checksum |', '|---|---|---|---|---|---|---|');
        for (const r of others) {
          const per = r.units ? `${(r.median_ms * 1e6 / r.units).toPrecision(3)} ns/${r.unit}` : '–';
          L.push(`| ${sideName(r)} | ${r.variant}${r.side === 'native' ? ` ${r.lanes} lanes` : ''} | ${describeParams(r.params)} | ${r.threads} | ${r.n ? spread(r) : `${f(r.median_ms)} (computed)`} | ${per} | ${r.checksum ?? '–'} |`);
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
  for (const m of checks.mismatches) L.push(`- **differs**: ${sideName(m.row)} ${m.row.variant} ${m.row.threads} thr. ${m.row.workload} ${describeParams(m.row.params)}: ${m.row.checksum}, native ${m.expected}`);
  for (const m of checks.differing) L.push(`- the book's Julia tests abs(z) < 2, the kernels re² + im² < 4: ${m.row.checksum} vs ${m.expected} at ${describeParams(m.row.params)}`);
  const own = [...new Set(checks.own.map((r) => `${r.side} ${r.workload}`))];
  if (own.length) L.push(`- not compared (their own arithmetic or random darts: times per unit only): ${own.join(', ')}`);
  if (skipped.length) {
    L.push('', '## Skipped', '');
    for (const s of skipped) L.push(`- ${s.workload} ${s.case} · ${sideName(s)} ${s.variant} ${s.threads} thr.: ${s.why}`);
  }
  return `${L.join('\n')}\n`;
}

/** One line per case: the ladder from the book's Python to the limit, in ms for the case
 *  (a peer run on a scaled copy of the case is scaled by its time per unit: marked *). */
export function mainTable(rows, machine) {
  const engines = enginesIn(rows);
  const head = ['workload', 'case', 'CPython (book)', 'numpy / primesieve', ...engines.map((e) => `wasm simd 2 thr. · ${e}`),
    'native simd widest, all threads', 'limit', 'native best vs CPython'];
  const L = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const cases = [...new Set(rows.filter((r) => r.kind === 'ours').map((r) => `${r.workload}\u0000${r.case}`))];
  const most = Math.max(...rows.map((r) => r.threads));
  for (const c of cases) {
    const [workload, label] = c.split('\u0000');
    const inCase = rows.filter((r) => r.workload === workload && r.case === label);
    const ours = (side, variant, lanes, threads, engine) => inCase.find((r) => r.kind === 'ours' && r.side === side && r.engine === engine
      && r.variant === variant && (lanes === undefined || r.lanes === lanes) && r.threads === threads);
    const caseUnits = ours('native', 'reference', null, 1)?.units ?? inCase.find((r) => r.units)?.units;
    const asCase = (r) => {
      if (!r) return null;
      const sameSize = r.units === caseUnits;
      return { ms: sameSize ? r.median_ms : (r.median_ms / r.units) * caseUnits, scaled: !sameSize };
    };
    const cell = (v) => (v ? `${f(v.ms)}${v.scaled ? '*' : ''}` : '–');
    const py = asCase(inCase.find((r) => r.side === 'cpython'));
    const fast = asCase(inCase.filter((r) => r.side === 'numpy' || r.side === 'primesieve').sort((a, b) => a.median_ms - b.median_ms)[0]);
    // An engine without threads (WebKitGTK) has its 1-thread row, marked.
    const wasm = engines.map((e) => {
      const two = asCase(ours('browser', 'simd', 2, Math.min(2, most), e));
      const one = two ? null : asCase(ours('browser', 'simd', 2, 1, e));
      return two ? cell(two) : one ? `${cell(one)} (1 thr.)` : '–';
    });
    const native = asCase(ours('native', 'simd', machine.lanes, most) ?? ours('native', 'simd', 2, most));
    const limit = asCase(inCase.filter((r) => r.side === 'limit' && r.variant !== 'copy').sort((a, b) => a.median_ms - b.median_ms)[0]);
    const vs = py && native ? `${x(py.ms / native.ms)}×` : '–';
    L.push(`| ${[workload, label, cell(py), cell(fast), ...wasm, cell(native), cell(limit), vs].join(' | ')} |`);
  }
  L.push('', '\\* measured on a smaller copy of the case (fewer steps, darts or numbers) and scaled by its time per unit. Limit: Julia\'s peak floating-point rate bound (assuming pipes as wide as the native vectors and a core per thread: docs/bench.md) or the explicit-AVX2 probe, whichever is lower.');
  return L.join('\n');
}

/** Browser time / server time of every case at equal width (2 lanes or the reference) and 1
 *  thread, one column per engine: what each engine costs over native code on the same work. */
export function enginesTable(rows) {
  const engines = enginesIn(rows);
  if (!engines.length) return 'No browser was measured.';
  const ours = rows.filter((r) => r.kind === 'ours' && r.threads === 1);
  const L = [`| case | ${engines.join(' | ')} |`, `|---|${engines.map(() => '---').join('|')}|`];
  for (const c of [...new Set(ours.map((r) => `${r.workload}\u0000${r.case}`))]) {
    const [workload, label] = c.split('\u0000');
    for (const cfg of [{ variant: 'reference', lanes: null }, { variant: 'simd', lanes: 2 }]) {
      const at = (side, engine) => ours.find((r) => r.workload === workload && r.case === label && r.side === side && r.engine === engine
        && configName(r) === configName(cfg));
      const s = at('server');
      const cells = engines.map((e) => { const b = at('browser', e); return b && s ? x(b.median_ms / s.median_ms) : '–'; });
      if (cells.some((v) => v !== '–')) L.push(`| ${workload} · ${label} · ${configName(cfg)} | ${cells.join(' | ')} |`);
    }
  }
  return L.join('\n');
}
