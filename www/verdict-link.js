// A race's verdict as a link (`#verdict=<base64url JSON>`): the numbers travel, the words are
// made again by the page that opens it (www/verdict-words.js), so both say the same. A link is
// user input: its size is bounded and every field checked before anything is shown; a bad one
// is refused in words and changes nothing.
import { overallText, rowText } from './verdict-words.js';

export const VERDICT_PARAM = 'verdict';
/** The longest fragment value read: a four-workload verdict is ≈ 2 KB. */
export const MAX_LINK_CHARS = 16_384;
const MAX_ROWS = 16;
const VERDICTS = ['server faster', 'browser faster', 'equal', null];

/** Four significant digits: enough for "3.42× [3.21, 3.66]", and a shorter link. */
const round = (x) => Number(x.toPrecision(4));
const span = (r) => ({ estimate: round(r.estimate), low: round(r.low), high: round(r.high) });
const split = (s) => ({ wasm: span(s.wasm), width: span(s.width), rest: span(s.rest) });

/** The verdict without its words, numbers rounded → the fragment's value. */
export function encodeVerdict(v) {
  const data = {
    version: v.version, quick: v.quick, created: v.created, elapsed_ms: v.elapsed_ms, horizon: v.horizon, hidden_runs: v.hidden_runs, conditions: v.conditions,
    rows: v.rows.map((r) => ({
      workload: r.workload, title: r.title, params: r.params, what: r.what, same_what: r.same_what, ratio: span(r.ratio),
      verdict: r.verdict, resolved: r.resolved, split: split(r.split), lanes: r.lanes, threads: r.threads, checksum: r.checksum,
      same_checksum: r.same_checksum,
    })),
    overall: { ratio: span(v.overall.ratio), verdict: v.overall.verdict, resolved: v.overall.resolved, split: split(v.overall.split), same_checksum: v.overall.same_checksum },
  };
  const bytes = new TextEncoder().encode(JSON.stringify(data));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The link to `v` on this page's address. */
export function verdictHref(v, base = `${location.origin}${location.pathname}${location.search}`) {
  return `${base}#${VERDICT_PARAM}=${encodeVerdict(v)}`;
}

/** The fragment's verdict parameter, if any (a string; not checked yet). */
export function verdictParam(hash) {
  return new URLSearchParams(hash.replace(/^#/, '')).get(VERDICT_PARAM);
}

/** Reads a fragment value back into a verdict with its words, or throws { message }. */
export function decodeVerdict(text) {
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
  const str = (x, max = 200) => typeof x === 'string' && x.length <= max;
  const int = (x) => Number.isInteger(x) && x >= 0 && x <= 1e6;
  const interval = (r, what) => {
    check(obj(r) && ['estimate', 'low', 'high'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]) && r[k] > 0)
      && r.low <= r.estimate && r.estimate <= r.high, `${what} is not a positive estimate inside its interval`);
    return { estimate: r.estimate, low: r.low, high: r.high };
  };
  const factors = (s, what) => {
    check(obj(s), `${what} has no split`);
    return { wasm: interval(s.wasm, `${what}'s wasm factor`), width: interval(s.width, `${what}'s width factor`), rest: interval(s.rest, `${what}'s rest factor`) };
  };
  check(obj(data), 'it is not an object');
  check(data.version === 1, `its version is ${JSON.stringify(data.version)}; this page reads version 1`);
  check(Array.isArray(data.rows) && data.rows.length >= 1 && data.rows.length <= MAX_ROWS, `it needs 1 to ${MAX_ROWS} rows`);
  check(typeof data.horizon === 'number' && data.horizon > 0 && data.horizon < 1, 'its horizon is not in (0, 1)');
  check(obj(data.conditions), 'it has no conditions');
  const conditions = {};
  for (const [k, x] of Object.entries(data.conditions)) {
    check(/^[a-z_]{1,40}$/.test(k) && (x === null || str(x) || int(x)), `its condition ${JSON.stringify(k).slice(0, 42)} is not a short text or count`);
    conditions[k] = x;
  }
  const rows = data.rows.map((r, i) => {
    const what = `row ${i + 1}`;
    check(obj(r), `${what} is not an object`);
    for (const k of ['workload', 'title', 'what', 'same_what', 'checksum']) check(str(r[k]), `${what}'s ${k} is not a short text`);
    check(VERDICTS.includes(r.verdict ?? null), `${what}'s verdict is not one of ${VERDICTS.join(', ')}`);
    check(obj(r.lanes) && int(r.lanes.browser) && int(r.lanes.server), `${what}'s lanes are not counts`);
    check(obj(r.threads) && int(r.threads.browser) && int(r.threads.server), `${what}'s threads are not counts`);
    check(obj(r.params) && Object.values(r.params).every((x) => str(x, 40) || Number.isFinite(x)), `${what}'s params are not short values`);
    const row = {
      workload: r.workload, title: r.title, params: r.params, what: r.what, same_what: r.same_what, ratio: interval(r.ratio, `${what}'s ratio`),
      verdict: r.verdict ?? null, resolved: r.resolved === true, split: factors(r.split, what),
      lanes: { browser: r.lanes.browser, server: r.lanes.server }, threads: { browser: r.threads.browser, server: r.threads.server },
      checksum: r.checksum, same_checksum: r.same_checksum === true, quick: data.quick === true,
    };
    return { ...row, text: rowText(row, data.horizon) };
  });
  const o = data.overall;
  check(obj(o) && VERDICTS.includes(o.verdict ?? null), 'its overall verdict is missing');
  const verdict = {
    version: 1, kind: 'verdict', quick: data.quick === true, created: str(data.created, 40) ? data.created : '',
    elapsed_ms: int(data.elapsed_ms) ? data.elapsed_ms : null, horizon: data.horizon, hidden_runs: int(data.hidden_runs) ? data.hidden_runs : 0, conditions, rows,
    overall: { ratio: interval(o.ratio, 'the overall ratio'), verdict: o.verdict ?? null, resolved: o.resolved === true, split: factors(o.split, 'the overall line'), same_checksum: o.same_checksum === true },
  };
  verdict.overall.text = overallText(verdict);
  return verdict;
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
