// The first screen's full race (not quick), `RUNS` times (default 3) in one headless Chromium
// on the release server and the built page: prints each verdict's words, the time each race
// took, the per-leg runs and the median race time; writes the verdicts to
// target/bench/race.json. `node bench/race.mjs [RUNS]` after `cargo xtask build`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, openPage } from '../e2e/harness.mjs';
import { median } from '../../www/compare/stats.js';

const runs = Number(process.argv[2] ?? 3);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error(`RUNS = ${process.argv[2]}: allowed an integer in [1, 20]`);
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page } = await openPage(browser.context, server.url);
  await page.waitForFunction(() => document.body.dataset.firstPictures === 'true', null, { timeout: 60_000 });
  const verdicts = [];
  for (let i = 0; i < runs; i++) {
    const { v, legs } = await page.evaluate(async () => {
      const v = await window.parallax.race();
      const rows = window.parallax.exportResults().rows.filter((r) => r.race_leg).slice(-12);
      return { v, legs: rows.map((r) => `${r.workload} ${r.race_leg}: n ${r.ratio.n}, repeat ${r.repeat}, ${r.resolved ? r.verdict : 'unresolved'}`) };
    });
    verdicts.push(v);
    console.log(`\nRace ${i + 1} of ${runs}: ${(v.elapsed_ms / 1000).toFixed(1)} s; ${v.conditions.engine_label}, server ${v.conditions.server_cpu} (${v.conditions.server_simd}, ${v.conditions.server_lanes} lanes, ${v.conditions.server_threads} threads)`);
    console.log(v.overall.text);
    for (const r of v.rows) console.log(`- ${r.text}`);
    console.log(`  legs: ${legs.join('; ')}`);
  }
  console.log(`\nMedian race time over ${runs}: ${(median(verdicts.map((v) => v.elapsed_ms)) / 1000).toFixed(1)} s`);
  const dir = join(ROOT, 'target', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'race.json'), JSON.stringify(verdicts, null, 1));
} finally {
  await browser.close();
  await server.stop();
}
