// The "Browser vs server" section at the top of the page: Compare (one panel's current case),
// Compare all (every described case), Quick, Cancel, the progress, the conditions of the runs
// and the figures (www/compare/figures.js), redrawn as rows arrive.
import { el, Status } from '../dom.js';
import { caseLabel, ratioFigure, scalingFigure, splitFigure, timeFigure, timesFigure } from './figures.js';
import { scaling } from './stats.js';
import { fmt } from './charts.js';
import { ShareView } from './share.js';
import { ladderFigure, measureRungs } from './ladder.js';
import { fullParams } from '../panel/fields.js';
import { engineLabel } from '../kernels/features.js';

export class CompareView {
  /** `node`: the section; `comparison`: www/compare/session.js; `page`: { panels, envNode (where
   *  "Where it runs" lists its facts), links (www/links.js) }. */
  constructor(node, comparison, page) {
    this.node = node;
    this.comparison = comparison;
    this.page = page;
    this.render();
    comparison.subscribe((e) => this.update(e));
  }

  render() {
    const names = Object.keys(this.page.panels);
    this.caseSelect = el('select', { id: 'compare-case', 'data-testid': 'compare-case' },
      ...names.map((n) => el('option', { value: n }, this.page.panels[n].description.title)));
    this.quick = el('input', { type: 'checkbox', id: 'compare-quick', 'data-testid': 'compare-quick' });
    this.withPython = el('input', { type: 'checkbox', id: 'compare-python', 'data-testid': 'compare-python' });
    this.compareButton = el('button', { type: 'button', 'data-testid': 'compare-one' }, 'Compare');
    this.allButton = el('button', { type: 'button', 'data-testid': 'compare-all' }, 'Compare all');
    this.cancelButton = el('button', { type: 'button', className: 'cancel', disabled: true, 'data-testid': 'compare-cancel' }, 'Cancel');
    this.compareButton.addEventListener('click', () => this.compareOne());
    this.allButton.addEventListener('click', () => this.compareAll());
    this.cancelButton.addEventListener('click', () => this.comparison.cancel());
    this.status = el('span', { 'data-testid': 'compare-status', 'aria-live': 'polite' }, 'No comparison yet.');
    this.progress = el('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Progress of Compare all' });
    this.problem = el('p', { className: 'problem', role: 'alert', hidden: true, 'data-testid': 'compare-error' });
    this.said = new Status(this.status, this.problem);
    this.conditionsNode = el('dl', { className: 'facts', 'data-testid': 'compare-conditions' });
    this.figures = el('div', { className: 'figures', 'data-testid': 'compare-figures' });
    this.node.replaceChildren(
      el('h2', { id: 'compare-title' }, 'Browser vs server'),
      el('p', { className: 'blurb' }, 'Runs the same case on both sides in turn — one cold run each, kept apart, then browser, server, browser, … — until the 95 % interval of the browser/server time ratio says which is faster or that they are equal within 5 % (at most 30 runs or 20 s a side; Quick: exactly 3). Kernels shorter than 20 ms are repeated inside each timed call. Checksums prove both sides did the same work.'),
      el('div', { className: 'actions' },
        el('label', { htmlFor: 'compare-case' }, 'Case: the current fields of '), this.caseSelect,
        this.compareButton, this.allButton,
        el('span', { className: 'field check' }, this.quick, el('label', { htmlFor: 'compare-quick' }, 'Quick (small cases, 3 runs)')),
        el('span', { className: 'field check' }, this.withPython, el('label', { htmlFor: 'compare-python' }, 'Compare all: with the book\'s Python, live (Pyodide: slow)')),
        this.cancelButton),
      new ShareView(this.node, this.comparison, this.page.links).node,
      el('p', { className: 'status' }, this.status, this.progress),
      this.problem,
      this.figures,
      this.renderLadders());
    // The conditions join "Where it runs" (the environment's facts), updated as rows arrive.
    this.page.envNode.append(el('h3', { className: 'env-sub' }, 'Conditions of the comparisons'), this.conditionsNode);
    this.renderConditions();
    this.comparison.ctx.lock.subscribe(() => this.refreshButtons());
    this.refreshButtons();
  }

  /** The book's road, one figure per workload whose page module has the book's timings. */
  renderLadders() {
    this.ladders = {};
    const node = el('div', { className: 'ladders', 'data-testid': 'ladders' }, el('h3', {}, "Where Parallax stands on the book's road"));
    for (const [name, panel] of Object.entries(this.page.panels)) {
      const book = panel.parts.book;
      if (!book) continue;
      const button = el('button', { type: 'button', className: 'secondary', 'data-testid': `measure-ladder-${name}` }, 'Measure our rungs');
      const status = el('span', { className: 'why', 'aria-live': 'polite', 'data-testid': `ladder-status-${name}` });
      const holder = el('div', {}, ladderFigure(panel.description, book));
      button.addEventListener('click', () => this.measureLadder(name));
      const python = el('input', { type: 'checkbox', 'data-testid': `ladder-python-${name}` });
      const withPython = panel.description.python
        ? el('label', {}, python, ' with the book\'s Python, live (Pyodide: slow)') : null;
      this.ladders[name] = { book, panel, button, status, holder, python, ours: [] };
      node.append(el('div', { className: 'ladder' }, holder, el('div', { className: 'actions' }, button, withPython, status)));
    }
    return node;
  }

  async measureLadder(name) {
    const l = this.ladders[name];
    const ctx = this.comparison.ctx;
    l.status.textContent = `Measuring the book's case (${l.book.case}) in the browser and on the server…`;
    try {
      const d = l.panel.description;
      const python = l.python.checked && d.python ? {
        run: ctx.runPython, scaled: d.python.scaled,
        full: fullParams(d, l.book.params),
      } : null;
      l.ours = await this.comparison.exclusive((signal) => measureRungs(name, l.book,
        (spec) => (spec.side === 'server' ? ctx.runServer({ ...spec, signal }) : ctx.runBrowser(spec)), signal, python));
      l.holder.replaceChildren(ladderFigure(l.panel.description, l.book, l.ours));
      l.status.textContent = 'Measured now.';
    } catch (e) {
      l.status.textContent = e?.kind === 'cancelled' ? 'Cancelled.' : `Failed: ${e?.message ?? e}`;
    } finally {
      this.refreshButtons();
    }
  }

  refreshButtons() {
    const busy = this.comparison.ctx.lock.busy || Boolean(this.running);
    this.compareButton.disabled = busy;
    this.allButton.disabled = busy;
    for (const l of Object.values(this.ladders ?? {})) l.button.disabled = busy;
    this.cancelButton.disabled = !this.comparison.current;
  }

  /** The chosen panel's current fields, as a compare spec (its own check first). */
  async compareOne() {
    if (this.running) return; // a second click while the first is checked or waiting
    this.running = true;
    this.refreshButtons();
    const panel = this.page.panels[this.caseSelect.value];
    const error = await panel.check();
    if (error) {
      this.running = false;
      this.refreshButtons();
      return this.fail(`The ${panel.description.title} panel's fields are not valid: ${error.message}`);
    }
    const { variant, threads, lanes, repeat: _r, ...params } = JSON.parse(panel.form.request());
    // The server caps its threads at its pool (as a panel's server run does).
    const serverThreads = this.comparison.ctx.serverInfo()?.pool_threads;
    const spec = { workload: panel.workload, params, variant, threads: serverThreads ? Math.min(threads, serverThreads) : threads, lanes };
    await this.run(() => this.comparison.compare(spec, { quick: this.quick.checked }), `Comparing ${panel.description.title}…`);
  }

  async compareAll() {
    if (this.running) return;
    await this.run(() => this.comparison.compareAll({ quick: this.quick.checked, python: this.withPython.checked }), 'Compare all: listing the cases…');
  }

  async run(fn, words) {
    this.running = true;
    this.problem.hidden = true;
    this.setStatus(words);
    this.progress.hidden = false;
    this.progress.removeAttribute('value');
    try {
      const out = await fn();
      const all = Array.isArray(out) ? out : [out];
      // Compare all with the book's Python also returns its Python runs (kind "run").
      const rows = all.filter((r) => r.kind === 'compare');
      const python = all.length - rows.length;
      const unresolved = rows.filter((r) => !r.resolved).length;
      this.setStatus(`Done: ${rows.length} case${rows.length === 1 ? '' : 's'} compared${unresolved ? `; ${unresolved} not resolved (their intervals straddle the horizon: more runs could tell)` : ', every one resolved'}${python ? `; the book's Python ran ${python} case${python === 1 ? '' : 's'}` : ''}.`);
    } catch (e) {
      if (e?.kind === 'cancelled') this.setStatus('Cancelled: the cases measured by then are shown.');
      else this.fail(e?.message ?? String(e));
    } finally {
      this.running = false;
      this.progress.hidden = true;
      this.refreshButtons();
    }
  }

  fail(message) {
    this.said.fail(message);
  }

  setStatus(text) {
    this.said.say(text);
  }

  update(e) {
    if (e.type === 'busy') this.refreshButtons();
    if (e.type === 'start') {
      this.total = e.total;
      if (e.skipped.length) this.skipped = e.skipped;
    }
    if (e.type === 'progress') {
      this.progress.max = e.total;
      this.progress.value = e.done;
      this.setStatus(`Compare all: case ${e.done + 1} of ${e.total} — ${e.spec.workload} ${e.spec.variant}${e.spec.lanes ? ` ×${e.spec.lanes}` : ''}, ${e.spec.threads ?? 'all'} thr.…`);
    }
    if (e.type === 'python') {
      this.setStatus(`The book's Python, ${e.row.workload}: ${fmt(e.row.python.kernel_ms)} ms on Pyodide, ${fmt(e.row.browser.kernel_ms)} ms in Rust → wasm.`);
    }
    if (e.type === 'row') {
      this.draw();
      // A comparison started by a script (window.parallax) reports here too.
      if (e.row?.kind === 'compare' && !this.running) this.setStatus(`Compared ${caseLabel(e.row)}: ratio ${fmt(e.row.ratio.estimate)}× [${fmt(e.row.ratio.low)}, ${fmt(e.row.ratio.high)}], ${e.row.resolved ? e.row.verdict : 'not resolved'}.`);
    }
  }

  /** Redraws every figure from the comparison rows measured so far. */
  draw() {
    const live = this.comparison.rows.filter((r) => r.kind === 'compare');
    // Imports sit beside the live rows, each row labelled by its export's environment.
    const imported = this.comparison.imports.flatMap((i) => i.exported.rows.filter((r) => r.kind === 'compare').map((r) => ({ ...r, source: i.label })));
    const rows = [...live, ...imported];
    if (!rows.length) return;
    const cores = navigator.hardwareConcurrency || 1;
    const last = live[live.length - 1];
    const lanes = this.comparison.rows.filter((r) => r.kind === 'lanes');
    const figs = [ratioFigure(rows), timesFigure(rows), splitFigure(rows, lanes), scalingFigure(rows, cores),
      last ? timeFigure(last, this.comparison.ctx.engine.facts?.startup) : null].filter(Boolean);
    if (this.skipped?.length) {
      figs.push(el('p', { className: 'chart-note', 'data-testid': 'compare-skipped' },
        `Not compared: ${this.skipped.map((s) => `${s.workload} ${s.params.task ?? ''} (${s.why})`).join('; ')}.`));
    }
    this.figures.replaceChildren(...figs);
    this.renderConditions(live);
  }

  /** Timer, isolation, cores vs pool vs measured scaling, hidden runs: what the numbers rest on. */
  renderConditions(rows = []) {
    const c = this.comparison.conditions();
    const best = bestBrowserScaling(rows);
    const scalingText = best
      ? `${fmt(best.speedup.estimate)}× on ${best.threads} threads (${caseLabel(best.row)})`
      : 'not measured yet (Compare all measures 1 and all threads)';
    const disagree = best && best.speedup.high < 0.6 * best.threads
      ? ` — the pool has ${c.pool_threads} workers for ${c.hardware_concurrency} reported cores, but runs scale like ${fmt(best.speedup.estimate)}: fewer cores than reported are free (a busy machine, a browser that reports a fixed count for privacy, or a throttled tab)`
      : '';
    const hidden = rows.reduce((n, r) => n + (r.hidden_runs ?? 0), 0);
    const facts = [
      ['timer', 'Timer resolution', `${(c.timer_resolution_ms * 1000).toFixed(1)} µs (measured: the smallest step of performance.now()); samples last ≥ ${fmt(Math.max(20, 1000 * c.timer_resolution_ms))} ms`],
      ['engine', 'Browser engine', engineLabel(c.engine, c.engine_version)],
      ['isolation', 'Isolation', `${c.isolation}${c.isolated ? ' (cross-origin isolated)' : ' (not isolated: no threads, coarse timer)'}; build ${c.build}`],
      ['cores', 'Cores and pool', `navigator.hardwareConcurrency ${c.hardware_concurrency}; browser pool ${c.pool_threads}; server pool ${c.server_threads ?? '?'} (${c.server_cpu ?? 'server unreachable'})`],
      ['scaling', 'Measured scaling', scalingText + disagree],
      ['hidden', 'Hidden tab', hidden ? `hidden during ${hidden} run${hidden === 1 ? '' : 's'}: those rows are marked (a hidden tab is throttled)` : 'visible during every run'],
    ];
    this.conditionsNode.replaceChildren(...facts.map(([id, term, text]) => el('div', { 'data-testid': `cond-${id}` }, el('dt', {}, term), el('dd', {}, text))));
  }
}

/** The browser's best measured speed-up from 1 thread to its pool, if any row pair has it. */
function bestBrowserScaling(rows) {
  let best = null;
  for (const one of rows.filter((r) => r.threads === 1 && r.lanes === null)) {
    for (const m of rows.filter((r) => r.threads !== 1 && r.lanes === null && r.workload === one.workload
      && r.variant === one.variant && JSON.stringify(r.params) === JSON.stringify(one.params))) {
      const s = scaling(one.browser.runs, m.browser.runs, m.browser.threads);
      if (!best || s.speedup.estimate > best.speedup.estimate) best = { ...s, row: m };
    }
  }
  return best;
}
