// `cargo xtask bench [--quick]` (crates/xtask runs this after building the release server,
// page and parallax-bench): the whole matrix of tests/bench/matrix.mjs on this machine in one
// run — the kernels in-process, the server over HTTP, the wasm module in each installed browser
// engine (Chromium, Firefox, WebKit: tests/engines/drivers.mjs; `BENCH_BROWSERS=chromium,firefox`
// chooses),
// the book's Python on CPython, numpy, primesieve, and the limit references — into
// target/bench/report.md and report.json. Fails (exit 1) when a side fails or when two sides
// that ran the same case disagree on its checksum, so the quick run in the test command checks
// that every side computes the same thing and that the harness itself still works.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer } from '../e2e/harness.mjs';
import { enginesFrom, installed, launch } from '../engines/drivers.mjs';
import { plan, fullParams, units } from './matrix.mjs';
import { measureGroup, sideName } from './measure.mjs';
import { ratios, checksums } from './ratios.mjs';
import { markdown } from './report.mjs';
import * as sides from './sides.mjs';

const quick = process.argv.includes('--quick');
const n = quick ? 3 : Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
// `BENCH_WORKLOADS=primes,pi`: only these workloads (a kernel's tuning loop), into their own
// directory. A quick run (the test command's) or a partial one never overwrites the last full
// report, which README quotes.
const only = process.env.BENCH_WORKLOADS ? process.env.BENCH_WORKLOADS.split(',').map((w) => w.trim()).filter(Boolean) : null;
// `BENCH_BROWSERS=chromium,webkit`: these engines only (each must be installed); by default every
// installed one. A run with fewer than all three writes into its own directory too.
const chosen = enginesFrom(process.env.BENCH_BROWSERS, 'BENCH_BROWSERS');
const engines = process.env.BENCH_BROWSERS ? chosen : chosen.filter(installed);
const partial = [...(only ?? []), ...(engines.length < 3 ? (engines.length ? engines : ['no-browser']) : [])];
const outDir = join(ROOT, 'target', 'bench', ...(quick ? ['quick'] : []), ...(partial.length ? [partial.join('+')] : []));
const started = performance.now();
const log = (line) => console.log(`[bench] ${line}`);

// Debian's own CPython where it is: a pyenv build that may come first on PATH is ≈ 1.7× slower.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const missing = [];
const pythonVersion = await sides.versionOf(python, ['--version']);
if (!pythonVersion) missing.push(`CPython: \`${python}\` does not run (apt-get install -y python3)`);
const numpyVersion = pythonVersion ? await sides.versionOf(python, ['-c', 'import numpy; print(numpy.__version__)']) : null;
if (pythonVersion && !numpyVersion) missing.push(`numpy: not importable by ${python} (apt-get install -y python3-numpy)`);
const primesieveVersion = (await sides.versionOf('primesieve', ['--version']))?.match(/[\d.]+/)?.[0] ?? null;
if (!primesieveVersion) missing.push('primesieve: not on PATH (apt-get install -y primesieve)');
for (const e of chosen.filter((e) => !engines.includes(e))) missing.push(`the ${e} engine: not installed (cargo xtask test installs it)`);
for (const line of missing) log(`skipped — ${line}`);

const server = await startServer();
const native = sides.startNative();
const tabs = {};
let failed = false;
try {
  for (const e of engines) {
    tabs[e] = await launch(e);
    // Up to three loads of the page: Firefox now and then never starts a pool, and a page's
    // own second worker did not always start either (docs/engines.md, "Found, and not ours to
    // fix"); what is measured here is the kernels, so a page that did not start is reloaded.
    for (let load = 1; ; load++) {
      await tabs[e].goto(server.url);
      // Ready, and done drawing its first pictures: no tab computes while another is measured.
      const started = await tabs[e].waitFor(() => document.querySelector('[data-testid="start-error"]')?.textContent
        || (document.body?.dataset.firstPictures === 'true' && 'ready'), null, { timeout: 60_000 });
      if (started === 'ready') break;
      if (load === 3) throw new Error(`${e}: ${started}`);
      log(`${e}: the page did not start (${started}); loading it again`);
    }
  }
  const info = await native.ask({ op: 'info' });
  const facts = Object.fromEntries(await Promise.all(Object.entries(tabs).map(async ([e, tab]) =>
    [e, await tab.evaluate(() => ({ engine: window.parallax.env().engine, cores: navigator.hardwareConcurrency }))])));
  // Without a browser the native and server sides still run 1 and 2 threads.
  const browserCores = engines.length ? Math.max(...Object.values(facts).map((f) => f.cores)) : Infinity;
  const all = await (await fetch(`${server.url}/api/workloads`)).json();
  const unknown = (only ?? []).filter((w) => !all.some((d) => d.name === w));
  if (unknown.length) throw new Error(`BENCH_WORKLOADS: no workload ${unknown.join(', ')} (there are ${all.map((d) => d.name).join(', ')})`);
  const descriptions = only ? all.filter((d) => only.includes(d.name)) : all;
  const threads = Math.min(info.threads, browserCores) >= 2 ? [1, 2] : [1];
  const machine = {
    cpu: info.cpu, isa: info.isa, lanes: info.lanes, cores: cpus().length, mhz: info.mhz,
    browsers: Object.fromEntries(Object.entries(facts).map(([e, f]) => [e, f.engine.label])),
    python: pythonVersion ? `${pythonVersion} (${python})` : null, numpy: numpyVersion, primesieve: primesieveVersion, missing,
  };
  const defaults = Object.fromEntries(descriptions.map((d) => [d.name, fullParams(d, {})]));
  const present = {
    native: sides.nativeSide(native), server: sides.serverSide(server.url),
    browsers: Object.fromEntries(Object.entries(tabs).map(([e, tab]) => [e, sides.browserSide(tab)])),
    cpython: pythonVersion ? sides.pythonSide(python, defaults) : null,
    numpy: numpyVersion ? sides.pythonSide(python, defaults, { numpy: true }) : null,
    primesieve: primesieveVersion ? sides.primesieveSide(defaults) : null,
    copy: sides.copySide(native, defaults),
    probe: info.isa === 'avx2' || info.isa === 'avx512' ? sides.juliaProbeSide(native, defaults) : null,
  };
  if (!present.probe) missing.push('the explicit-AVX2 Julia probe: this CPU has no AVX2');
  const groups = plan(descriptions, { quick, sides: present, lanes: info.lanes, threads });
  log(`${groups.length} groups, n = ${n} (${quick ? 'quick' : 'full'}); CPU ${info.cpu} ${info.isa}, ${Object.values(machine.browsers).join(', ')}`);
  const rows = [], skipped = [];
  const byName = Object.fromEntries(descriptions.map((d) => [d.name, d]));
  for (const [i, g] of groups.entries()) {
    const t0 = performance.now();
    const measured = await measureGroup(g, { n });
    for (const r of measured.rows) {
      r.full = fullParams(byName[r.workload], r.params);
      // A copy's unit is a cell of the grid it copies once.
      Object.assign(r, r.variant === 'copy' ? { units: r.full.width * r.full.height, unit: 'cell' } : units(r.workload, r.full, r.checksum));
    }
    rows.push(...measured.rows);
    skipped.push(...measured.skipped);
    const what = g.measures.map((m) => `${sideName(m)} ${m.variant}${m.lanes ? ` ×${m.lanes}` : ''} ${m.threads}t`).join(' | ');
    log(`${i + 1}/${groups.length} ${g.workload} · ${g.case} · ${g.kind}: ${what} — ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
  }
  rows.push(...peakRateRows(rows, machine));
  const checks = checksums(rows, (r) => JSON.stringify(sortedObject(r.full)));
  const report = {
    version: 1, created: new Date().toISOString(), quick, n, command: `cargo xtask bench${quick ? ' --quick' : ''}`,
    seconds: (performance.now() - started) / 1e3,
    machine, rows: rows.map(({ kind: _k, checksum_policy: _p, full: _f, ...r }) => r),
    ratios: ratios(rows, { goals: !quick, widest: info.lanes }),
    checksums: { compared: checks.compared, equal: checks.mismatches.length === 0, mismatches: checks.mismatches.map(describeMismatch),
      differing: checks.differing.map(describeMismatch) },
    skipped,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(join(outDir, 'report.md'), markdown({ ...report, rows, checks }));
  const met = report.ratios.filter((r) => r.met !== null);
  log(`${rows.length} rows, ${report.ratios.length} ratios${met.length ? ` (${met.filter((r) => r.met).length} of ${met.length} goals met)` : ''}, ${checks.compared} checksums compared, ${checks.mismatches.length} differ; ${skipped.length} skipped — ${report.seconds.toFixed(0)} s`);
  log(`wrote ${join(outDir, 'report.md')} and report.json`);
  if (checks.mismatches.length) {
    failed = true;
    for (const m of report.checksums.mismatches) console.error(`[bench] checksum differs: ${m}`);
  }
} catch (e) {
  failed = true;
  console.error(`[bench] failed: ${e.stack ?? e}`);
} finally {
  for (const tab of Object.values(tabs)) await tab.close().catch((e) => console.error(`[bench] closing ${tab.engine}: ${e.message}`));
  await server.stop();
  await native.stop();
}
process.exit(failed ? 1 : 0);

function sortedObject(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

function describeMismatch({ row, expected }) {
  return `${sideName(row)} ${row.variant} ${row.threads} thr. ${row.workload} ${JSON.stringify(row.params)}: ${row.checksum}, native ${expected}`;
}

/** Julia's bound from the peak floating-point rate: each step is 3 multiplies and 5 adds (plus
 *  a compare) on vectors of the native width; Zen cores have 2 multiply (FMA) pipes and 2 add
 *  pipes, so the adds bound it at 2.5 cycles a vector-step. Assumed, not checked: the pipes are
 *  as wide as the vectors (Zen 5 server parts; Zen 4 splits 512-bit operations in two, which
 *  doubles the bound), each thread has a core of its own (not two SMT siblings), and the clock
 *  is /proc/cpuinfo's nominal one. A computed row, not a measure. */
function peakRateRows(rows, machine) {
  const out = [];
  for (const probe of rows.filter((r) => r.variant === 'avx2-probe' && r.threads === Math.max(...rows.map((x) => x.threads)))) {
    if (!machine.mhz) continue;
    const steps = Number(probe.checksum);
    const cycles = steps * Math.max(3 / 2, 5 / 2) / machine.lanes / probe.threads;
    const ms = cycles / (machine.mhz * 1e3);
    out.push({ ...probe, variant: 'peak-fp-rate', lanes: machine.lanes, median_ms: ms, min_ms: ms, max_ms: ms, n: 0, cold_ms: null,
      checksum: null, checksum_policy: 'own' });
  }
  return out;
}
