// Results leaving and re-entering the page (docs/compare.md, "Export and import"): the export
// as JSON (exportResults()'s shape) and as CSV (one line per side of each row: tidy data, one
// observation a line), downloads and the clipboard, and the checks an imported file passes
// before anything of it is shown.
import { medianInterval, tukey } from './stats.js';
import { ENGINE_NAMES, engineLabel, engineOf } from '../kernels/features.js';

export const CSV_COLUMNS = [
  'kind', 'created', 'source_browser', 'engine', 'engine_version', 'server_cpu', 'workload', 'params', 'variant', 'lanes', 'threads', 'repeat',
  'side', 'n', 'median_ms', 'low_ms', 'high_ms', 'cold_ms', 'ratio', 'ratio_low', 'ratio_high', 'resolved', 'verdict',
  'checksum', 'other_checksum', 'same_checksum', 'build', 'isolation', 'timer_resolution_ms', 'hardware_concurrency',
  'pool_threads', 'hidden_runs', 'warnings',
  // A race's verdict (kind "verdict"): one line per workload and one "overall", its split.
  'split_width', 'split_width_low', 'split_width_high', 'split_wasm', 'split_wasm_low', 'split_wasm_high',
  'split_rest', 'split_rest_low', 'split_rest_high', 'text',
];

/** The export as CSV: a header, then for each row one line per side it has (a comparison's
 *  ratio, verdict and checksums repeat on both its lines), then each race verdict's lines.
 *  RFC 4180 quoting. */
export function toCsv(exported) {
  const env = exported.environment ?? {};
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of exported.rows) {
    // A "lanes" row (the race's leg X) is the server against itself: `narrow` and `wide`, each
    // a line of side "server" at its own lanes.
    for (const side of ['browser', 'server', 'python', 'narrow', 'wide']) {
      const s = r[side];
      if (!s) continue;
      // The book's Python is checked against the browser's run of the same case.
      const other = { browser: r.server ?? r.python, server: r.browser, python: r.browser, narrow: r.wide, wide: r.narrow }[side];
      const runs = s.runs ?? (Number.isFinite(s.kernel_ms) ? [s.kernel_ms] : []);
      const m = runs.length ? medianInterval(runs) : {};
      const c = r.conditions ?? {};
      const record = {
        kind: r.kind, created: r.created, source_browser: env.browser, engine: c.engine ?? env.engine, engine_version: c.engine_version ?? env.engine_version,
        server_cpu: env.server?.cpu, workload: r.workload,
        params: JSON.stringify(r.params ?? r.request ?? {}), variant: r.variant, lanes: s.lanes ?? r.lanes, threads: s.threads ?? r.threads,
        repeat: r.repeat ?? 1, side: side === 'narrow' || side === 'wide' ? 'server' : side, n: runs.length, median_ms: m.estimate, low_ms: m.low, high_ms: m.high, cold_ms: s.cold_ms ?? (s.cold ? s.kernel_ms : undefined),
        ratio: r.ratio?.estimate, ratio_low: r.ratio?.low, ratio_high: r.ratio?.high, resolved: r.resolved, verdict: r.verdict,
        checksum: s.checksum, other_checksum: other?.checksum, same_checksum: r.same_checksum ?? (other ? other.checksum === s.checksum : undefined),
        build: c.build, isolation: c.isolation, timer_resolution_ms: c.timer_resolution_ms, hardware_concurrency: c.hardware_concurrency,
        pool_threads: c.pool_threads, hidden_runs: r.hidden_runs, warnings: (r.warnings ?? []).join('; '),
      };
      lines.push(CSV_COLUMNS.map((k) => csvCell(record[k])).join(','));
    }
  }
  for (const v of exported.verdicts ?? []) lines.push(...verdictLines(v, env));
  return `${lines.join('\r\n')}\r\n`;
}

/** A race verdict's CSV lines: one per workload and one `overall`. */
function verdictLines(v, env) {
  const c = v.conditions ?? {};
  return [...v.rows, { ...v.overall, workload: 'overall' }].map((r) => {
    const record = {
      kind: 'verdict', created: v.created, source_browser: env.browser, engine: c.engine, engine_version: c.engine_version, server_cpu: c.server_cpu,
      workload: r.workload, params: r.params ? JSON.stringify(r.params) : undefined, variant: 'simd',
      ratio: r.ratio.estimate, ratio_low: r.ratio.low, ratio_high: r.ratio.high, resolved: r.resolved, verdict: r.verdict,
      checksum: r.checksum, same_checksum: r.same_checksum, build: c.build, isolation: c.isolation,
      hardware_concurrency: c.hardware_concurrency, pool_threads: c.browser_threads, text: r.text,
    };
    for (const k of ['width', 'wasm', 'rest']) {
      record[`split_${k}`] = r.split[k].estimate;
      record[`split_${k}_low`] = r.split[k].low;
      record[`split_${k}_high`] = r.split[k].high;
    }
    return CSV_COLUMNS.map((k) => csvCell(record[k])).join(',');
  });
}

function csvCell(v) {
  if (v === undefined || v === null) return '';
  const text = String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Offers `text` as a file download named `name`. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name for an export made now: parallax-<date>-<time>.<ext>. */
export function exportName(ext) {
  return `parallax-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${ext}`;
}

/** The largest file an import reads: a full Compare all exports ≈ 100 KiB. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

/**
 * Checks an imported file's text: JSON, an object of this page's export shape (version 1, an
 * environment, rows), each comparison row with the fields the charts read. → the export, or
 * throws { message } saying what is wrong (the page then changes nothing).
 */
export function parseImport(text, name = 'the file') {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw { message: `${name} is not JSON (${e.message}): choose a file saved with Download JSON` };
  }
  const foreign = (why) => ({ message: `${name} is not a Parallax export: ${why}` });
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw foreign('it is not a JSON object');
  if (data.version !== 1) throw foreign(`its version is ${JSON.stringify(data.version)}, this page reads version 1`);
  if (!data.environment || typeof data.environment !== 'object') throw foreign('it has no environment');
  if (!Array.isArray(data.rows)) throw foreign('it has no rows array');
  if (data.rows.length > MAX_IMPORT_ROWS) throw foreign(`it has ${data.rows.length} rows; at most ${MAX_IMPORT_ROWS} are read`);
  const compares = data.rows.filter((r) => r?.kind === 'compare');
  if (!compares.length) throw foreign('it holds no comparison rows');
  // Only what the figures read, each checked and rebuilt: nothing else of the file is kept.
  const rows = compares.map((r, i) => {
    const bad = (what) => { throw foreign(`comparison row ${i + 1} ${what}`); };
    if (typeof r.workload !== 'string' || !r.workload) bad('has no workload');
    const side = (name) => {
      const s = r[name];
      const runs = s?.runs;
      if (!Array.isArray(runs) || runs.length < 2 || !runs.every(positive)) bad(`has no ${name} runs (two positive times at least)`);
      const times = [...runs].sort((a, b) => a - b);
      const optional = (xs) => (Array.isArray(xs) && xs.length === runs.length && xs.every(Number.isFinite) ? xs : runs.map(() => 0));
      return {
        runs, cold_ms: positive(s.cold_ms) ? s.cold_ms : times[0], median_ms: medianInterval(runs).estimate,
        min_ms: times[0], max_ms: times[times.length - 1], checksum: String(s.checksum ?? ''),
        threads: Number.isInteger(s.threads) ? s.threads : null, lanes: Number.isInteger(s.lanes) ? s.lanes : null,
        outliers: tukey(runs).outliers, round_trip_ms: optional(s.round_trip_ms), queue_ms: optional(s.queue_ms),
      };
    };
    const browser = side('browser'), server = side('server');
    const ratio = r.ratio ?? {};
    if (!['estimate', 'low', 'high'].every((k) => positive(ratio[k])) || !(ratio.low <= ratio.estimate && ratio.estimate <= ratio.high)) {
      bad('has no ratio with its interval');
    }
    const params = r.params && typeof r.params === 'object' && !Array.isArray(r.params) ? r.params : {};
    return {
      kind: 'compare', workload: r.workload, variant: String(r.variant ?? 'simd'), params,
      threads: Number.isInteger(r.threads) ? r.threads : null, lanes: Number.isInteger(r.lanes) ? r.lanes : null,
      repeat: Number.isInteger(r.repeat) && r.repeat > 0 ? r.repeat : 1, repeated: r.repeat > 1,
      browser, server, ratio: { estimate: ratio.estimate, low: ratio.low, high: ratio.high, confidence: 0.95, n: Math.min(browser.runs.length, server.runs.length) },
      horizon: positive(r.horizon) && r.horizon < 1 ? r.horizon : 0.05, resolved: r.resolved === true,
      verdict: typeof r.verdict === 'string' ? r.verdict : null,
      same_checksum: browser.checksum !== '' && browser.checksum === server.checksum,
      warnings: Array.isArray(r.warnings) ? r.warnings.filter((w) => typeof w === 'string') : [],
      hidden_runs: Number.isInteger(r.hidden_runs) ? r.hidden_runs : 0, conditions: r.conditions ?? {}, created: String(r.created ?? ''),
    };
  });
  return { version: 1, created: String(data.created ?? ''), environment: data.environment, rows };
}

/** The most rows an import reads (a full Compare all has ≈ 40). */
export const MAX_IMPORT_ROWS = 10_000;

function positive(x) {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

/** A short label of an export's environment: its engine and version, server CPU, date. An
 *  export from before engines were recorded is labelled from its user agent. */
export function sourceLabel(exported) {
  const env = exported.environment ?? {};
  const { name, version } = ENGINE_NAMES[env.engine] ? { name: env.engine, version: env.engine_version } : engineOf(env.browser);
  const engine = ENGINE_NAMES[name] ? engineLabel(name, version) : (env.browser || 'unknown browser');
  return `${engine} · ${env.server?.cpu ?? 'no server'} · ${(exported.created ?? '').slice(0, 10)}`;
}
