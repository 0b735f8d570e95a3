// The table of a panel's runs, newest first: browser kernel time, server kernel time, the
// server's round trip and what of it was neither kernel nor queue (network, encoding, HTTP),
// queue time, both checksums with a match mark, and browser/server. A run of one side only is
// compared with the latest run of the other side for the very same request, marked "earlier".
// The first run of each side after the page loaded is cold (module compilation, first touch of
// memory, the server's caches) and is marked so, apart from the warm runs after it.

import { el } from '../dom.js';

const MAX_ROWS = 50;

const COLUMNS = [
  ['what', 'Run'],
  ['browser-ms', 'Browser kernel'],
  ['server-ms', 'Server kernel'],
  ['round-trip-ms', 'Server round trip'],
  ['transfer-ms', 'Network + encoding'],
  ['queue-ms', 'Queue'],
  ['browser-checksum', 'Browser checksum'],
  ['server-checksum', 'Server checksum'],
  ['match', 'Same?'],
  ['ratio', 'Browser / server'],
];

/** Column headings by cell, repeated on each cell for the phone layout's cards. */
const HEADINGS = Object.fromEntries(COLUMNS);

export class Results {
  constructor(workload, title) {
    this.rows = [];
    this.table = el('table', { className: 'results', 'data-testid': `results-${workload}` });
    this.table.append(el('caption', {}, 'Runs, newest first; times in milliseconds'));
    const head = el('tr');
    for (const [, title] of COLUMNS) head.append(el('th', { scope: 'col' }, title));
    this.table.append(el('thead', {}, head));
    this.body = el('tbody', { 'data-testid': `results-${workload}-rows` });
    this.table.append(this.body);
    this.wrap = el('div', { className: 'results-wrap', tabIndex: 0, role: 'region', 'aria-label': `Runs of ${title}` }, this.table);
  }

  /** Adds a run: { label, key, browser?: {checksum, kernel_ms, cold, chunks}, server?: {checksum,
   *  kernel_ms, queue_ms, round_trip_ms, cold} }. */
  add(run) {
    const other = (side) => this.rows.find((r) => r.key === run.key && r[side])?.[side];
    const b = run.browser ?? other('browser');
    const s = run.server ?? other('server');
    this.rows.unshift(run);
    this.rows.length = Math.min(this.rows.length, MAX_ROWS);

    const tr = el('tr', { className: (run.browser?.cold || run.server?.cold) ? 'cold' : '' });
    const cell = (id, text, title) => tr.append(el('td', { 'data-testid': id, 'data-label': HEADINGS[id], title: title ?? '' }, text));
    cell('what', run.label);
    // Where the browser's time was taken: its wasm build and what isolated the page.
    const c = run.browser?.conditions;
    const where = c ? `${c.build} build; cross-origin isolation: ${c.isolation}` : '';
    cell('browser-ms', ms(run.browser?.kernel_ms, run.browser?.cold, run.browser?.chunks), [where, run.browser?.chunks
      ? `Drawn as it steps: the run was split into ${run.browser.chunks} calls of the kernel, which costs some time; untick "Draw as it steps" to time one call`
      : ''].filter(Boolean).join('. '));
    cell('server-ms', `${ms(run.server?.kernel_ms, run.server?.cold)}${run.server?.instance ? ` (${run.server.instance})` : ''}`,
      run.server?.instance ? `answered by the replica "${run.server.instance}"` : undefined);
    cell('round-trip-ms', ms(run.server?.round_trip_ms));
    const transfer = run.server ? run.server.round_trip_ms - run.server.kernel_ms - run.server.queue_ms : undefined;
    cell('transfer-ms', ms(transfer));
    cell('queue-ms', ms(run.server?.queue_ms));
    cell('browser-checksum', checksum(b, !run.browser));
    cell('server-checksum', checksum(s, !run.server));
    const same = b && s ? b.checksum === s.checksum : null;
    const mark = same === null ? '—' : same ? '✓ match' : '✗ MISMATCH';
    tr.append(el('td', { 'data-testid': 'match', 'data-label': HEADINGS.match, className: same === null ? '' : same ? 'ok' : 'bad' }, mark));
    const ratio = b && s && s.kernel_ms > 0 ? b.kernel_ms / s.kernel_ms : null;
    const drawn = run.browser?.chunks ? ' (drawn)' : '';
    cell('ratio', ratio === null ? '—' : `${ratio.toFixed(2)}×${drawn}`,
      ratio === null ? '' : ratio >= 1 ? `the browser took ${ratio.toFixed(2)} times as long` : `the browser was ${(1 / ratio).toFixed(2)} times as fast`);
    this.body.prepend(tr);
    while (this.body.rows.length > MAX_ROWS) this.body.lastElementChild.remove();
  }
}

function ms(v, cold = false, chunks = 0) {
  if (v === undefined || v === null || Number.isNaN(v)) return '—';
  const text = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toFixed(3);
  const notes = [cold && 'cold', chunks && `${chunks} chunks`].filter(Boolean);
  return notes.length ? `${text} (${notes.join(', ')})` : text;
}

function checksum(side, earlier) {
  if (!side) return '—';
  return earlier ? `${side.checksum} (earlier)` : side.checksum;
}
