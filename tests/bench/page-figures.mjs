// Figures of the page itself (not of the kernels): time to ready, the latency of checking a
// field as it is typed, what drawing diffusion as it steps costs against one call, and each
// book case run "both" through the panels (what a visitor's table shows: cold run, then the
// median of 5 warm runs).
// `node bench/page-figures.mjs` after `cargo xtask build`; medians of several runs.
import { startServer, launchBrowser, openPage } from '../e2e/harness.mjs';
import { preset, runAndRead } from '../e2e/ui.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = await startServer();
const browser = await launchBrowser();
try {
  const loads = [];
  let page;
  for (let i = 0; i < 5; i++) {
    if (page) await page.close();
    const opened = await openPage(browser.context, server.url);
    page = opened.page;
    loads.push(opened.readyMs);
  }
  console.log(`loads: ${loads.join(", ")}`);
  console.log(`page load → parallax.ready: first ${loads[0]} ms, median of the next 4 ${median(loads.slice(1))} ms`);

  const check = await page.evaluate(async () => {
    const v = window.parallax.panels.julia.ctx.validator;
    const times = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await v.check('julia', `{"width":${i},"height":480,"max_iter":500}`, 2);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { p50: times[100], p99: times[198] };
  });
  console.log(`field check round trip (validator worker): p50 ${check.p50.toFixed(3)} ms, p99 ${check.p99.toFixed(3)} ms`);

  for (const size of [256, 1024]) {
    const out = await page.evaluate(async (n) => {
      const engine = window.parallax.panels.diffusion.ctx.engine;
      const request = JSON.stringify({ width: n, height: n, steps: 500 });
      const one = [], anim = [], walls = [];
      let frames = 0, chunks = 0;
      for (let i = 0; i < 5; i++) {
        const a = await engine.run({ type: 'run', workload: 'diffusion', request, map: null });
        one.push(a.kernel_ms);
        frames = 0;
        const t = performance.now();
        const b = await engine.run({ type: 'animate', request, map: 'fire' }, () => frames++);
        walls.push(performance.now() - t);
        anim.push(b.kernel_ms);
        chunks = b.chunks;
        if (a.checksum !== b.checksum) throw new Error('animated run differs');
      }
      const m = (xs) => [...xs].sort((x, y) => x - y)[2];
      return { one: m(one), anim: m(anim), wall: m(walls), frames, chunks };
    }, size);
    console.log(`diffusion ${size}²×500: one call ${out.one.toFixed(1)} ms, animated kernel ${out.anim.toFixed(1)} ms `
      + `(${(out.anim / out.one).toFixed(2)}×, ${out.chunks} chunks, ${out.frames} frames), animated wall ${out.wall.toFixed(1)} ms`);
  }

  const book = {
    julia: 'Book: 1000 × 1000, 300 iterations',
    diffusion: 'Book: 1024², 500 steps',
    primes: 'Book: is 100109100129100151 prime?',
  };
  await page.uncheck('[data-testid="animate-diffusion"]'); // one kernel call, like the server
  for (const [workload, label] of Object.entries(book)) {
    await preset(page, workload, label);
    const rows = [];
    for (let i = 0; i < 6; i++) rows.push(await runAndRead(page, workload, 'both'));
    const num = (r, c) => Number.parseFloat(r[c]);
    const warm = rows.filter((r) => !r.cold);
    const m = (c) => median(warm.map((r) => num(r, c)));
    const cold = rows.find((r) => r.cold);
    console.log(`UI "Run both" ${workload} (${label}): warm medians browser ${m('browser-ms')} ms, server ${m('server-ms')} ms, `
      + `round trip ${m('round-trip-ms')} ms, browser/server ${median(warm.map((r) => num(r, 'browser-ms') / num(r, 'server-ms'))).toFixed(2)}×`
      + (cold ? `; cold run browser ${cold['browser-ms']}, server ${cold['server-ms']}` : '')
      + `; checksums ${warm.every((r) => r.match === '✓ match') ? 'all match' : 'MISMATCH'}`);
  }
} finally {
  await browser.close();
  await server.stop();
}
