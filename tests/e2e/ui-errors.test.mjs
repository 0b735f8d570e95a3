// Server errors in the panels: a run stopped at the server's time limit (504), a full queue
// (503), a server that went away. Each is shown in the panel in words, and the page goes on:
// browser runs are unaffected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage } from './harness.mjs';
import { fill, runAndRead } from './ui.mjs';

let server, browser, page, errors;

before(async () => {
  // A 1 s time limit and room for one waiting run: a heavy run times out; with one running and
  // one waiting, a third is turned away.
  server = await startServer(['--timeout', '1', '--queue', '1']);
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser.context, server.url));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Polls the server's /api/info from here (not from the page) until `ok(queue)`, 5 s at most. */
async function waitForQueue(ok) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const info = await (await fetch(`${server.url}/api/info`)).json();
    if (ok(info.queue)) return;
    assert.ok(Date.now() < deadline, `queue never reached the state: ${JSON.stringify(info.queue)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Presses a run button and waits for the panel's error line to say something. */
async function runExpectingError(side, pattern) {
  await page.getByTestId(`run-${side}-julia`).click();
  const problem = page.getByTestId('error-julia');
  await problem.filter({ hasText: pattern }).waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="run-both-julia"]').disabled, null, { timeout: 5_000 });
  return problem.textContent();
}

test('a run past the server\'s time limit is shown in words, and the browser still runs', async () => {
  await fill(page, 'julia', 'width', 4096);
  await fill(page, 'julia', 'height', 4096);
  await fill(page, 'julia', 'max_iter', 1000);
  await page.getByTestId('variant-julia').selectOption('reference');
  const text = await runExpectingError('server', /time limit/);
  assert.match(text, /^On the server: the server stopped the run at its time limit/);

  await page.getByTestId('preset-julia').selectOption({ label: 'Quick look: 400 × 400' });
  const row = await runAndRead(page, 'julia', 'browser');
  assert.match(row['browser-checksum'], /^\d+$/);
  assert.equal(row['server-checksum'], '—');
});

test('a busy server (503) is shown with its retry hint', async () => {
  // Fill the server's slot and its waiting room from outside the page, then ask from the panel.
  const heavy = () => page.evaluate(() => fetch('/api/julia', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ width: 4096, height: 4096, max_iter: 1000, variant: 'reference' }),
  }).then((r) => r.status));
  // The run stopped at the time limit in the test before holds its slot until its kernel has
  // seen the cancel (tens of ms, more on a loaded machine): start from an idle server.
  await waitForQueue((q) => q.running === 0 && q.waiting === 0);
  const busy = [heavy(), heavy()];
  await waitForQueue((q) => q.running === 1 && q.waiting === 1);
  const text = await runExpectingError('server', /busy/);
  assert.match(text, /the server is busy .*try again in \d+ s/);
  assert.deepEqual(await Promise.all(busy), [504, 504]);
});

test('an unreachable server is shown in words; browser runs go on', async () => {
  await server.stop();
  const text = await runExpectingError('server', /unreachable/);
  assert.match(text, /the server is unreachable/);
  const row = await runAndRead(page, 'julia', 'browser');
  assert.match(row['browser-checksum'], /^\d+$/);
  assert.deepEqual(errors.filter((e) => !/ERR_CONNECTION_REFUSED/.test(e)), [], errors.join('\n'));
});
