// One description per workload: the wasm module's describe() is the server's GET /api/workloads,
// and the page's panels are built from it — every field with its label and the book's default,
// the presets, the task's options — read from the page itself, not from a copy of the values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage } from './harness.mjs';

let server, browser, page;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ page } = await openPage(browser.context, server.url));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the module\'s describe() equals the server\'s GET /api/workloads, and /api/info lists them', async () => {
  const wasm = await page.evaluate(() => window.parallax.describe());
  const served = await (await fetch(`${server.url}/api/workloads`)).json();
  assert.deepEqual(wasm, served);
  const names = wasm.map((d) => d.name);
  assert.deepEqual(names, ['julia', 'diffusion', 'primes', 'pi']);
  const info = await (await fetch(`${server.url}/api/info`)).json();
  assert.deepEqual(info.workloads, names);
  for (const d of wasm) assert.deepEqual(info.limits[d.name], d.limits, d.name);
});

test('every panel shows the described fields with their labels and defaults, presets and options', async () => {
  const descriptions = await page.evaluate(() => window.parallax.describe());
  const panels = await page.evaluate(() => [...document.querySelectorAll('[data-testid^="panel-"]')].map((p) => p.id));
  assert.deepEqual(panels, descriptions.map((d) => d.name));
  for (const d of descriptions) {
    const shown = await page.evaluate((name) => {
      const form = document.querySelector(`[data-testid="form-${name}"]`);
      const fields = {};
      for (const box of form.querySelectorAll('.fields:not(.exec) [data-field]')) {
        const input = box.querySelector('input, select');
        fields[box.dataset.field] = {
          value: input.value,
          label: box.querySelector('label').textContent,
          title: input.title,
          options: input.tagName === 'SELECT' ? [...input.options].map((o) => [o.value, o.textContent]) : null,
        };
      }
      const presets = [...document.querySelector(`[data-testid="preset-${name}"]`).options].slice(1).map((o) => o.textContent);
      return { fields, presets, title: document.getElementById(`${name}-title`).textContent };
    }, d.name);
    assert.equal(shown.title, d.title);
    assert.deepEqual(Object.keys(shown.fields), d.fields.map((f) => f.name), d.name);
    for (const f of d.fields) {
      const got = shown.fields[f.name];
      assert.equal(got.value, String(f.default), `${d.name}.${f.name}: the book's default`);
      assert.equal(got.label, f.unit ? `${f.label} (${f.unit})` : f.label, `${d.name}.${f.name}`);
      if (f.type === 'choice') assert.deepEqual(got.options, f.options.map((o) => [o.value, o.label]));
      // The allowed range is told before anything is sent (u64 maxima as digits grouped by 3).
      if (f.max !== undefined) {
        const max = typeof f.max === 'string' ? BigInt(f.max).toLocaleString('en') : f.max.toLocaleString('en');
        assert.ok(got.title.includes(max), `${d.name}.${f.name}: ${JSON.stringify(got.title)} names ${max}`);
      }
    }
    assert.deepEqual(shown.presets, d.presets.map((p) => p.label), d.name);
  }
});

test('choosing a preset sets exactly its described values, the rest back to the defaults', async () => {
  const d = (await page.evaluate(() => window.parallax.describe())).find((x) => x.name === 'primes');
  for (const p of d.presets) {
    await page.getByTestId('preset-primes').selectOption({ label: p.label });
    for (const f of d.fields) {
      const want = String(p.values[f.name] ?? f.default);
      assert.equal(await page.getByTestId(`field-primes-${f.name}`).inputValue(), want, `${p.label}: ${f.name}`);
    }
  }
});
