// Hand-run: how often an engine's kernel pool fails to start on a fresh page (docs/engines.md,
// "Firefox 153: a pool that now and then never starts"). Each round leaves the page while its
// pool is busy (a long browser run, not awaited) — every other round by way of about:blank —
// opens it afresh and reads how long it took and the engine's `startup.attempts` (2: the first
// worker never started its pool and was replaced). After `cargo xtask build`:
//   node engines/restarts.mjs [ENGINE firefox] [LOADS 60]
import { startServer } from '../e2e/harness.mjs';
import { enginesFrom, launch } from './drivers.mjs';

const [engine] = enginesFrom(process.argv[2] || 'firefox', 'engine');
const loads = Number(process.argv[3] || 60);
if (!Number.isInteger(loads) || loads < 1 || loads > 1000) throw new Error(`LOADS: a whole number in [1, 1000], not ${process.argv[3]}`);

const server = await startServer();
const tab = await launch(engine);
const ready = () => tab.waitFor(() => document.body?.dataset.ready === 'true'
  && window.parallax.exportResults().environment?.startup, null, { timeout: 90_000 });
const rounds = [];
try {
  await tab.goto(server.url);
  await ready();
  for (let i = 0; i < loads; i++) {
    const started = Date.now();
    await tab.evaluate(() => {
      window.parallax.run({ side: 'browser', workload: 'pi', params: { samples: 300000000 } }).catch(() => {});
      return null;
    });
    await new Promise((r) => setTimeout(r, 200));
    if (i % 2) await tab.goto('about:blank');
    await tab.goto(`${server.url}/?load=${i}`);
    const startup = await ready();
    rounds.push({ load: i, ms: Date.now() - started, attempts: startup.attempts ?? 1, pool_ms: Math.round(startup.pool_ms) });
  }
} finally {
  await tab.close();
  await server.stop();
}
const replaced = rounds.filter((r) => r.attempts > 1);
const ms = rounds.map((r) => r.ms).sort((a, b) => a - b);
console.log(`${engine}: ${rounds.length} loads, median ${ms[Math.floor(ms.length / 2)]} ms, slowest ${ms.at(-1)} ms; `
  + `${replaced.length} started on a second worker${replaced.length ? `: ${JSON.stringify(replaced)}` : ''}`);
