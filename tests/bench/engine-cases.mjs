// The minimal engine cases of bench/engine-cases/ in every installed engine (docs/engines.md):
// each case is a plain script, loaded into a blank page and run there, so what it measures is
// the engine's WebAssembly and nothing of Parallax. Prints one table per case and writes
// target/bench/engine-cases.json. Hand-run: `node bench/engine-cases.mjs [ENGINES]` (e.g.
// "chromium,webkit"; default every installed one). No build needed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/harness.mjs';
import { enginesFrom, installed, launch } from '../engines/drivers.mjs';

/** Each case: its script and the global function it defines, called with `arg`. */
const CASES = [{ file: 'simd-ops.js', fn: 'simdOpCases', arg: 2e7 }];

const engines = enginesFrom(process.argv[2], 'ENGINES').filter((e) => installed(e) || (console.log(`${e}: not installed, skipped`), false));
const out = { created: new Date().toISOString(), cases: {} };
for (const c of CASES) {
  const source = readFileSync(join(ROOT, 'tests', 'bench', 'engine-cases', c.file), 'utf8');
  out.cases[c.file] = {};
  for (const engine of engines) {
    const tab = await launch(engine);
    try {
      await tab.goto('about:blank');
      const result = await tab.evaluate(({ source, fn, arg }) => {
        (0, eval)(source);
        return { agent: navigator.userAgent, rows: globalThis[fn](arg) };
      }, { source, fn: c.fn, arg: c.arg });
      out.cases[c.file][engine] = result;
    } finally {
      await tab.close();
    }
  }
  console.log(`\n${c.file}: ns per operation (median of 5), and over f64x2.mul in the same engine`);
  const ops = Object.values(out.cases[c.file])[0]?.rows.map((r) => r.op) ?? [];
  console.log(`| op | ${engines.join(' | ')} |\n|---|${engines.map(() => '---|').join('')}`);
  for (const op of ops) {
    const cells = engines.map((e) => {
      const r = out.cases[c.file][e].rows.find((x) => x.op === op);
      return `${r.ns_per_op.toFixed(3)} (${r.vs_f64x2_mul.toFixed(2)}×)`;
    });
    console.log(`| ${op} | ${cells.join(' | ')} |`);
  }
  const lanes = new Set(engines.flatMap((e) => out.cases[c.file][e].rows.map((r) => `${r.op}=${r.lane0}`)));
  if (lanes.size !== ops.length) throw new Error(`${c.file}: the engines computed different values: ${[...lanes].join(', ')}`);
}
const dir = join(ROOT, 'target', 'bench');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'engine-cases.json'), JSON.stringify(out, null, 1));
