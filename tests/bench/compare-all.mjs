// A full Compare all (not quick) on the release server and the built page, in headless
// Chromium: every described case, both sides, until each ratio's interval settles (or the
// limits: 30 runs / 20 s a side). Writes the export to target/bench/compare-all.json and prints
// the ratio table, the equal-width splits and both sides' scaling.
// `node bench/compare-all.mjs` after `cargo xtask build` (≈ 10 min on 2 cores).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, openPage } from '../e2e/harness.mjs';
import { split, scaling } from '../../www/compare/stats.js';
import { caseLabel } from '../../www/compare/figures.js';

const server = await startServer();
const browser = await launchBrowser();
try {
  const { page } = await openPage(browser.context, server.url);
  page.on('console', (m) => { if (m.type() === 'log') console.error(m.text()); });
  const started = Date.now();
  const exported = await page.evaluate(async () => {
    await window.parallax.compareAll({ quick: false, onProgress: (p) => p.spec && console.log(`case ${p.done + 1} of ${p.total}`) });
    return window.parallax.exportResults();
  });
  const dir = join(ROOT, 'target', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compare-all.json'), JSON.stringify(exported, null, 1));
  const rows = exported.rows.filter((r) => r.kind === 'compare');
  const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  console.log(`Compare all: ${rows.length} rows in ${((Date.now() - started) / 1000).toFixed(0)} s; ${exported.environment.server.cpu}, ${exported.environment.browser}`);
  console.log('| case | browser median ms | server median ms | ratio [95 %] | n | verdict | repeat | checksums |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${caseLabel(r)} | ${f(r.browser.median_ms)} | ${f(r.server.median_ms)} | ${f(r.ratio.estimate)} [${f(r.ratio.low)}, ${f(r.ratio.high)}] | ${r.ratio.n} | ${r.verdict ?? 'not resolved'} | ${r.repeat} | ${r.same_checksum ? 'same' : 'DIFFER'} |`);
  }
  const same = (a, b) => a.workload === b.workload && a.variant === b.variant && JSON.stringify(a.params) === JSON.stringify(b.params);
  console.log('\nEqual-width split (1 thread): width = server 2 lanes / widest; wasm = browser / server at 2 lanes');
  for (const two of rows.filter((r) => r.lanes === 2)) {
    const wide = rows.find((r) => same(r, two) && r.threads === 1 && r.lanes === null);
    if (!wide) continue;
    const s = split(two.browser.runs, two.server.runs, wide.server.runs);
    const t = (x) => `${f(x.estimate)}× [${f(x.low)}, ${f(x.high)}]`;
    console.log(`${caseLabel(two)}: width ${t(s.width)}, wasm ${t(s.wasm)}, total ${t(s.total)}`);
  }
  console.log('\nScaling 1 → all threads (speed-up [95 %], efficiency)');
  for (const one of rows.filter((r) => r.threads === 1 && r.lanes === null)) {
    const all = rows.find((r) => same(r, one) && r.threads === null);
    if (!all) continue;
    const parts = ['browser', 'server'].map((side) => {
      const s = scaling(one[side].runs, all[side].runs, all[side].threads);
      return `${side} ${f(s.speedup.estimate)}× [${f(s.speedup.low)}, ${f(s.speedup.high)}] (${Math.round(100 * s.efficiency.estimate)} %)`;
    });
    console.log(`${caseLabel(one)}: ${parts.join('; ')}`);
  }
} finally {
  await browser.close();
  await server.stop();
}
