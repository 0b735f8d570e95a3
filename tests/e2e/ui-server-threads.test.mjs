// A server with fewer threads than the visitor's browser: "Run both" caps the server's share at
// its pool (the server would refuse more), says so in the row's label, and both sides still agree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage } from './harness.mjs';
import { runAndRead, assertBothRow } from './ui.mjs';

let server, browser, page, errors;

before(async () => {
  server = await startServer(['--threads', '1']);
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser.context, server.url));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('"Run both" on a one-thread server caps the server\'s threads and still matches', async () => {
  const threads = Number(await page.getByTestId('threads-julia').inputValue());
  const row = await runAndRead(page, 'julia', 'both');
  assertBothRow(row, 'julia on a one-thread server');
  assert.equal(row['browser-checksum'], '33219980');
  const expected = threads > 1 ? `${threads} thr. (server 1)` : '1 thr.';
  assert.ok(row.what.endsWith(expected), `label "${row.what}" ends with "${expected}"`);
  assert.deepEqual(errors, []);
});
