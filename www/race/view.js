// The first screen (docs/race.md): the four workloads' first pictures, the race button with its
// progress and Cancel, and the verdict — one sentence per workload, one overall, a small figure,
// a link and a PNG to share it. A verdict opened from a link is shown the same way, labelled
// with where it was measured, with the race button to measure it here.
import { el, reducedMotion, Status } from '../dom.js';
import { bars, figure, table } from '../compare/charts.js';
import { download } from '../compare/export.js';
import { drawVerdictCard } from './card.js';
import { decodeVerdict, encodeVerdict, measuredOn, verdictHref, verdictParam, VERDICT_PARAM } from './link.js';
import { times } from './words.js';

const LEG_WORDS = {
  T: 'both sides at their defaults (every thread, the server at its widest vectors)',
  W: 'one thread, 2 vector lanes on both sides (WebAssembly against native code)',
  X: 'one thread, the server alone: 2 lanes against its widest vectors',
};

export class RaceView {
  /** `node`: the race's section; `comparison`: www/compare/session.js; `panels`: the page's panels. */
  constructor(node, comparison, panels) {
    this.node = node;
    this.comparison = comparison;
    this.panels = panels;
    this.thumbs = {};
    const thumbs = el('div', { className: 'thumbs', 'data-testid': 'thumbs' });
    for (const [name, panel] of Object.entries(panels)) {
      const canvas = el('canvas', { width: 300, height: 200, role: 'img', 'data-testid': `thumb-${name}`, 'aria-label': `${panel.description.title}: its first picture, drawn in your browser` });
      const link = el('a', { href: `#${name}` }, panel.description.title);
      link.addEventListener('click', (e) => {
        e.preventDefault();
        panel.node.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth' });
        panel.heading.focus({ preventScroll: true });
      });
      this.thumbs[name] = canvas;
      thumbs.append(el('figure', { className: 'thumb' }, canvas, el('figcaption', {}, link)));
    }
    this.button = el('button', { type: 'button', className: 'race-button', 'data-testid': 'race' }, 'Race: browser vs server');
    this.quick = el('input', { type: 'checkbox', id: 'race-quick', 'data-testid': 'race-quick' });
    this.cancelButton = el('button', { type: 'button', className: 'cancel', disabled: true, 'data-testid': 'race-cancel' }, 'Cancel');
    this.button.addEventListener('click', () => this.race());
    this.cancelButton.addEventListener('click', () => this.comparison.cancel());
    this.status = el('span', { 'data-testid': 'race-status' }, 'Each workload\'s book case, in your browser and on the server, three ways: about 30 s.');
    this.progress = el('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Progress of the race' });
    this.problem = el('p', { className: 'problem', role: 'alert', hidden: true, 'data-testid': 'race-error' });
    this.said = new Status(this.status, this.problem);
    this.verdictNode = el('div', { className: 'verdict', hidden: true, 'data-testid': 'verdict' });
    node.replaceChildren(
      el('h2', { id: 'race-title', className: 'visually-hidden' }, 'The race'),
      thumbs,
      el('div', { className: 'race-actions' }, this.button,
        el('span', { className: 'field check' }, this.quick, el('label', { htmlFor: 'race-quick' }, 'Quick (small cases, ≈ 5 s)')),
        this.cancelButton),
      el('p', { className: 'status', 'aria-live': 'polite' }, this.status, this.progress),
      this.problem,
      this.verdictNode);
    comparison.subscribe((e) => this.update(e));
    this.showShared();
  }

  /** Copies a panel's first picture into its thumbnail (scaled down to ≤ 480 px wide). */
  thumb(panel) {
    const src = panel.pictures.canvas, dst = this.thumbs[panel.workload];
    if (!dst || !src.width || !src.height) return;
    const scale = Math.min(1, 480 / src.width);
    dst.width = Math.round(src.width * scale);
    dst.height = Math.round(src.height * scale);
    dst.getContext('2d').drawImage(src, 0, 0, dst.width, dst.height);
    dst.dataset.drawn = 'true';
  }

  /** A verdict from the address's `#verdict=` (a shared link): shown, or refused in words. */
  showShared() {
    const text = verdictParam(location.hash);
    // The same link again, or the link to the verdict shown (its own "Link to this verdict"
    // followed), is not news.
    if (!text || text === this.sharedText || text === this.shownText) return;
    this.sharedText = text;
    const known = Object.fromEntries(Object.entries(this.panels).map(([name, p]) => [name, { title: p.description.title, ...p.parts.race }]));
    try {
      this.show(decodeVerdict(text, known), 'shared');
      this.button.textContent = 'Race here: browser vs server';
    } catch (e) {
      this.fail(e.message);
    }
  }

  async race() {
    if (this.running) return;
    this.running = true;
    this.problem.hidden = true;
    this.button.disabled = true;
    // Cancel works while the race waits for the page (a first picture, a panel's run) too.
    this.cancelButton.disabled = false;
    this.progress.hidden = false;
    this.progress.removeAttribute('value');
    this.setStatus('Waiting for the page to be free…');
    try {
      const verdict = await this.comparison.race({ quick: this.quick.checked });
      this.setStatus(`Done in ${Math.round(verdict.elapsed_ms / 1000)} s.`);
      // A shared verdict in the address gives way to the visitor's own.
      if (verdictParam(location.hash)) {
        const q = new URLSearchParams(location.hash.slice(1));
        q.delete(VERDICT_PARAM);
        const rest = q.toString();
        history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
        this.sharedText = null;
      }
      this.button.textContent = 'Race again';
    } catch (e) {
      if (e?.kind === 'cancelled') this.setStatus('Cancelled: nothing of this race is in the verdict (its finished comparisons are below).');
      else this.fail(e?.message ?? String(e));
    } finally {
      this.running = false;
      this.button.disabled = false;
      this.progress.hidden = true;
      this.cancelButton.disabled = true;
    }
  }

  update(e) {
    // A race started by a script (window.parallax) reports here too, and says when it ended.
    if (e.type === 'busy' && !e.busy && !this.running && this.status.textContent.startsWith('Racing')) {
      this.setStatus('The race stopped before its verdict (cancelled, or failed: see the Browser vs server section).');
    }
    if (e.type === 'race-progress' && e.leg) {
      this.progress.max = e.total;
      this.progress.value = e.done;
      this.setStatus(`Racing ${e.done + 1} of ${e.total}: ${this.panels[e.workload]?.description.title ?? e.workload}, ${LEG_WORDS[e.leg]}…`);
    }
    if (e.type === 'verdict') {
      this.show(e.verdict, 'own');
      if (!this.running) this.setStatus(`Done in ${Math.round(e.verdict.elapsed_ms / 1000)} s.`);
    }
  }

  fail(message) {
    this.said.fail(message);
  }

  setStatus(text) {
    this.said.say(text);
  }

  /** Shows `v`; `whose`: 'own' (raced here) or 'shared' (from a link). */
  show(v, whose) {
    this.verdict = v;
    this.shownText = encodeVerdict(v);
    const source = whose === 'shared'
      ? `A verdict shared with you, ${measuredOn(v)}${v.quick ? ' (quick race: small cases)' : ''}. Race here to measure your own.`
      : `Your race, ${measuredOn(v)}${v.quick ? ' (quick race: small cases)' : ''}; it took ${Math.round((v.elapsed_ms ?? 0) / 1000)} s. Its comparisons join the figures below.`;
    const href = verdictHref(this.shownText);
    const link = el('a', { href, 'data-testid': 'verdict-href' }, 'Link to this verdict');
    const copy = el('button', { type: 'button', className: 'secondary', 'data-testid': 'verdict-copy' }, 'Copy link');
    const png = el('button', { type: 'button', className: 'secondary', 'data-testid': 'verdict-png' }, 'Download PNG');
    const said = el('span', { className: 'why', 'aria-live': 'polite', 'data-testid': 'verdict-share-status' });
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(href);
        said.textContent = 'Copied the link to the clipboard.';
      } catch {
        said.textContent = 'The clipboard is not available here: use the link beside (right-click, Copy link).';
      }
    });
    png.addEventListener('click', () => this.downloadPng(v, said));
    this.verdictNode.replaceChildren(
      el('p', { className: 'verdict-source', 'data-testid': 'verdict-source' }, source),
      el('p', { className: 'verdict-overall', 'data-testid': 'verdict-overall', 'aria-live': 'polite' }, v.overall.text),
      el('ul', { className: 'verdict-rows' }, ...v.rows.flatMap((r) => [
        el('li', { 'data-testid': `verdict-${r.workload}`, className: r.same_checksum ? '' : 'bad' }, r.text),
        // The GPU's line (leg G), where it raced: on this page only, a link carries the CPU verdict.
        ...(r.gpu ? [el('li', { 'data-testid': `verdict-gpu-${r.workload}`, className: 'verdict-gpu' }, r.gpu.text)] : []),
      ])),
      verdictFigure(v),
      el('div', { className: 'io' }, copy, link, png, said));
    this.verdictNode.hidden = false;
    this.verdictNode.dataset.whose = whose;
  }

  async downloadPng(v, said) {
    const canvas = document.createElement('canvas');
    drawVerdictCard(canvas, v, measuredOn(v));
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) {
      said.textContent = 'This browser could not make the PNG.';
      return;
    }
    download(`parallax-verdict-${(v.created || new Date().toISOString()).slice(0, 10)}.png`, blob, 'image/png');
    said.textContent = 'Downloaded the verdict as a PNG.';
  }
}

/** The verdict's split, one stacked bar per workload (1 → width → width · wasm → total), and
 *  its table view. */
function verdictFigure(v) {
  const ends = v.rows.flatMap((r) => [r.split.width.estimate, r.split.width.estimate * r.split.wasm.estimate, r.ratio.estimate]);
  const range = Math.log(Math.max(1, ...ends) / Math.min(1, ...ends)) || 1;
  // A part too short for its words shows none (the legend and the table say it).
  const words = (from, to, text) => (Math.abs(Math.log(to / from)) / range > 0.15 ? text : '');
  const chart = bars({
    rows: v.rows.map((r) => {
      const { width, wasm } = r.split, a = width.estimate, b = a * wasm.estimate;
      return {
        label: `${r.title}: server ${times(r.ratio.estimate)}`,
        parts: [
          { series: 'width', from: 1, to: a, text: words(1, a, `${times(a)} width`) },
          { series: 'wasm', from: a, to: b, text: words(a, b, `${times(wasm.estimate)} wasm`) },
          { series: 'rest', from: b, to: r.ratio.estimate, text: words(b, r.ratio.estimate, `${times(r.split.rest.estimate)} threads`) },
        ],
      };
    }),
    format: (t) => times(t), unit: 'server speed-up', refs: [{ value: 1, label: 'equal' }],
  });
  const f = (x) => `${times(x.estimate)} [${times(x.low).slice(0, -1)}, ${times(x.high).slice(0, -1)}]`;
  const head = ['Workload', 'Server speed-up', 'Vector width', 'WebAssembly itself', 'Threads and the rest', 'Same result'];
  const body = [...v.rows.map((r) => [r.title, f(r.ratio), f(r.split.width), f(r.split.wasm), f(r.split.rest), r.same_checksum ? `yes (${r.checksum})` : 'NO']),
    ['Overall (geometric mean)', f(v.overall.ratio), f(v.overall.split.width), f(v.overall.split.wasm), f(v.overall.split.rest), v.overall.same_checksum ? 'yes' : 'NO']];
  return figure({
    id: 'verdict', title: 'Where the gap comes from', chart, legend: ['width', 'wasm', 'rest'],
    note: 'Each bar, on a log scale from 1: the server\'s wider vectors, then WebAssembly itself, then threads and the rest; together the server\'s speed-up over your browser (a part drawn leftwards, hatched, favours your browser). Intervals: 95 %, in the table.',
    table: table('The verdict\'s numbers: estimate [95 % interval]', head, body, 'table-verdict'),
  });
}
