// Imports are checked and rebuilt before anything of them is shown: a file that would break a
// figure (missing arrays, Infinity, strings for numbers) is refused or mended, never drawn raw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImport, sourceLabel, toCsv } from '../../www/compare/export.js';

const row = {
  kind: 'compare', workload: 'pi', variant: 'simd', params: { samples: '1000' }, threads: 1, lanes: null, repeat: 10,
  browser: { runs: [2, 2.1, 2.2], cold_ms: 5, checksum: '779' }, server: { runs: [1, 1.1, 1.05], checksum: '779' },
  ratio: { estimate: 1.9, low: 1.7, high: 2.1 }, resolved: true, verdict: 'server faster',
};
const file = (rows) => JSON.stringify({ version: 1, created: '2026-12-01T00:00:00Z', environment: { browser: 'Chrome/156' }, rows });

test('a good export is rebuilt with what the figures read', () => {
  const out = parseImport(file([row]));
  const r = out.rows[0];
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.browser.outliers, []);
  assert.equal(r.browser.median_ms, 2.1);
  assert.deepEqual(r.server.queue_ms, [0, 0, 0]);
  assert.equal(r.same_checksum, true);
  assert.equal(toCsv(out).trimEnd().split('\r\n').length, 3);
});

test('what would break a figure is refused, naming the row', () => {
  const cases = [
    [{ ...row, browser: { runs: [1, -2] } }, /row 1 has no browser runs/],
    [{ ...row, ratio: { estimate: 1, low: 2, high: 3 } }, /row 1 has no ratio/],
    [{ ...row, workload: 7 }, /row 1 has no workload/],
  ];
  for (const [bad, why] of cases) {
    assert.throws(() => parseImport(file([row, bad])), (e) => why.test(e.message.replace('row 2', 'row 1')), String(why));
  }
  // Infinity cannot come from JSON.stringify, but a hand-edited file can hold 1e999.
  const infinite = file([row]).replace('"runs":[2,2.1,2.2]', '"runs":[2,1e999]');
  assert.throws(() => parseImport(infinite), (e) => /row 1 has no browser runs/.test(e.message));
  assert.throws(() => parseImport('[]'), (e) => /not a JSON object/.test(e.message));
});

test('an import is labelled by the engine it was measured in, an older export by its user agent', () => {
  const at = (environment) => sourceLabel({ created: '2026-12-07T10:00:00Z', environment: { server: { cpu: 'AMD EPYC' }, ...environment } });
  assert.equal(at({ engine: 'webkit', engine_version: '60.5', browser: 'whatever' }), 'WebKit 60.5 · AMD EPYC · 2026-12-07');
  assert.equal(at({ engine: 'firefox', engine_version: null }), 'Firefox · AMD EPYC · 2026-12-07');
  assert.equal(at({ browser: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/155.0.0.0 Safari/537.36' }),
    'Chromium 155 · AMD EPYC · 2026-12-07');
  assert.equal(at({ browser: 'curl/8' }), 'curl/8 · AMD EPYC · 2026-12-07');
  const csv = toCsv({ environment: { browser: 'UA', engine: 'firefox', engine_version: '153.0' }, rows: [{ kind: 'run', workload: 'pi', browser: { kernel_ms: 1, checksum: '1' } }] });
  const [header, line] = csv.trimEnd().split('\r\n');
  assert.match(header, /,source_browser,engine,engine_version,/);
  assert.match(line, /,UA,firefox,153.0,/);
});
