// A race's verdict as a link (`#verdict=<base64url JSON>`): the numbers travel, the words are
// made again by the page that opens it (www/race/words.js), so both say the same. A link is
// user input from anyone: its size is bounded, every field is checked, the verdicts are
// recomputed from the intervals, the split must multiply out, and no free text travels — the
// workloads' names and phrases are the opening page's own (`known`), the conditions a fixed set
// of keys with short plain values. A bad link is refused in words and changes nothing.
import { overallText, rowText } from './words.js';
import { verdict as settle } from '../compare/stats.js';

export const VERDICT_PARAM = 'verdict';
/** The longest fragment value read: a four-workload verdict is ≈ 2 KB. */
export const MAX_LINK_CHARS = 16_384;
const MAX_ROWS = 16;
/** The conditions a verdict names (www/compare/session.js raceConditions). */
const CONDITION_KEYS = ['engine', 'engine_version', 'engine_label', 'build', 'isolation', 'browser_threads',
  'hardware_concurrency', 'server_cpu', 'server_simd', 'server_lanes', 'server_threads'];
/** A condition's text: a CPU's or browser's name, a build, a version. */
const PLAIN = /^[A-Za-z0-9 .,()+\-/:@_]{0,120}$/;

/** The verdict's numbers (four significant digits already: www/race/plan.js verdictOf) and conditions,
 *  without words or names → the fragment's value. */
export function encodeVerdict(v) {
  const data = {
    version: v.version, quick: v.quick, created: v.created, elapsed_ms: v.elapsed_ms, horizon: v.horizon, hidden_runs: v.hidden_runs, conditions: v.conditions,
    rows: v.rows.map((r) => ({
      workload: r.workload, params: r.params, ratio: r.ratio, split: r.split, lanes: r.lanes, threads: r.threads,
      checksum: r.checksum, same_checksum: r.same_checksum,
    })),
    overall: { ratio: v.overall.ratio, split: v.overall.split, same_checksum: v.overall.same_checksum },
  };
  const bytes = new TextEncoder().encode(JSON.stringify(data));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The link on this page's address to a verdict `encoded` by encodeVerdict. */
export function verdictHref(encoded, base = `${location.origin}${location.pathname}${location.search}`) {
  return `${base}#${VERDICT_PARAM}=${encoded}`;
}

/** The fragment's verdict parameter, if any (a string; not checked yet). */
export function verdictParam(hash) {
  return new URLSearchParams(hash.replace(/^#/, '')).get(VERDICT_PARAM);
}

/**
 * Reads a fragment value back into a verdict with its words, or throws { field, message }.
 * `known`: { [workload]: { title, what, same } } — the workloads this page describes, with the
 * words its page modules give them; a row of any other workload is refused.
 */
export function decodeVerdict(text, known) {
  const bad = (why) => { throw { field: VERDICT_PARAM, message: `this link's verdict cannot be read: ${why}` }; };
  if (typeof text !== 'string' || !text) bad('it is empty');
  if (text.length > MAX_LINK_CHARS) bad(`it is ${text.length} characters long; at most ${MAX_LINK_CHARS} are read`);
  if (!/^[A-Za-z0-9_-]+$/.test(text)) bad('it is not base64url');
  let data;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch (e) {
    bad(`it is not base64url JSON (${e.message})`);
  }
  const check = (ok, what) => { if (!ok) bad(what); };
  const obj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
  const int = (x) => Number.isInteger(x) && x >= 0 && x <= 1e6;
  const interval = (r, what) => {
    check(obj(r) && ['estimate', 'low', 'high'].every((k) => typeof r[k] === 'number' && r[k] >= 1e-6 && r[k] <= 1e6)
      && r.low <= r.estimate && r.estimate <= r.high, `${what} is not an estimate in [1e-6, 1e6] inside its interval`);
    return { estimate: r.estimate, low: r.low, high: r.high };
  };
  const factors = (s, ratio, what) => {
    check(obj(s), `${what} has no split`);
    const out = { wasm: interval(s.wasm, `${what}'s wasm factor`), width: interval(s.width, `${what}'s width factor`), rest: interval(s.rest, `${what}'s rest factor`) };
    const product = out.wasm.estimate * out.width.estimate * out.rest.estimate;
    check(Math.abs(product / ratio.estimate - 1) < 0.01, `${what}'s split does not multiply out to its ratio`);
    return out;
  };
  check(obj(data), 'it is not an object');
  check(data.version === 1, `its version is ${JSON.stringify(data.version)}; this page reads version 1`);
  check(Array.isArray(data.rows) && data.rows.length >= 1 && data.rows.length <= MAX_ROWS, `it needs 1 to ${MAX_ROWS} rows`);
  check(typeof data.horizon === 'number' && data.horizon >= 0.001 && data.horizon <= 0.5, 'its horizon is not in [0.001, 0.5]');
  check(obj(data.conditions), 'it has no conditions');
  const conditions = {};
  for (const k of CONDITION_KEYS) {
    const x = data.conditions[k] ?? null;
    check(x === null || int(x) || (typeof x === 'string' && PLAIN.test(x)), `its condition ${k} is not a count or a short plain text`);
    conditions[k] = x;
  }
  const horizon = data.horizon;
  const rows = data.rows.map((r, i) => {
    const what = `row ${i + 1}`;
    check(obj(r), `${what} is not an object`);
    check(typeof r.workload === 'string' && Object.hasOwn(known, r.workload), `${what}'s workload is not one this page describes (${Object.keys(known).join(', ')})`);
    check(typeof r.checksum === 'string' && /^\d{1,40}$/.test(r.checksum), `${what}'s checksum is not a decimal number`);
    check(obj(r.lanes) && int(r.lanes.browser) && int(r.lanes.server), `${what}'s lanes are not counts`);
    check(obj(r.threads) && int(r.threads.browser) && int(r.threads.server), `${what}'s threads are not counts`);
    check(obj(r.params) && Object.values(r.params).every((x) => (typeof x === 'string' && /^[\w.+-]{0,40}$/.test(x)) || Number.isFinite(x)), `${what}'s params are not short values`);
    const ratio = interval(r.ratio, `${what}'s ratio`);
    const verdict = settle(ratio, horizon);
    const words = known[r.workload];
    const row = {
      workload: r.workload, title: words.title, params: r.params, what: words.what ?? words.title, same_what: words.same ?? 'result', ratio,
      verdict, resolved: verdict !== null, split: factors(r.split, ratio, what),
      lanes: { browser: r.lanes.browser, server: r.lanes.server }, threads: { browser: r.threads.browser, server: r.threads.server },
      checksum: r.checksum, same_checksum: r.same_checksum === true, quick: data.quick === true,
    };
    return { ...row, text: rowText(row, horizon) };
  });
  const o = data.overall;
  check(obj(o), 'its overall line is missing');
  const ratio = interval(o.ratio, 'the overall ratio');
  const verdict = settle(ratio, horizon);
  const v = {
    version: 1, kind: 'verdict', quick: data.quick === true,
    created: typeof data.created === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(data.created) ? data.created : '',
    elapsed_ms: int(data.elapsed_ms) ? data.elapsed_ms : null, horizon, hidden_runs: int(data.hidden_runs) ? data.hidden_runs : 0, conditions, rows,
    overall: { ratio, verdict, resolved: verdict !== null, split: factors(o.split, ratio, 'the overall line'), same_checksum: o.same_checksum === true },
  };
  v.overall.text = overallText(v);
  return v;
}

/** "measured on Chromium 156, Intel Xeon, 2026-12-07": where and when a verdict was measured. */
export function measuredOn(v) {
  const c = v.conditions ?? {};
  return `measured on ${c.engine_label || 'an unknown browser'}, ${shortCpu(c.server_cpu) || 'an unknown server'}, ${(v.created || '').slice(0, 10) || 'an unknown date'}`;
}

/** A CPU's marketing name without its trademarks and clock: "Intel(R) Xeon(R) Processor @ 2.4GHz"
 *  → "Intel Xeon". */
export function shortCpu(cpu) {
  if (typeof cpu !== 'string') return '';
  return cpu.replace(/\((R|TM|tm|r)\)/g, '').replace(/@.*$/, '').replace(/\b(Processor|CPU)\b/g, '')
    .replace(/\b\d+-Core\b/gi, '').replace(/\s+/g, ' ').trim();
}
