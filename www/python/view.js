// One panel's "book's Python, live" part: the book's own pure-Python code for the workload
// (www/python/<file>) run on Pyodide in this browser beside the same case in Rust → wasm, both
// timed here and now, with the checksums compared the kernels' way. Pyodide is loaded only when
// the visitor asks for a Python run (www/python/engine.js), with a progress bar; its load time
// is shown apart from the run time. The source is behind a "See the Python" toggle.
import { el } from '../dom.js';
import { fmt } from '../compare/charts.js';
import { workUnits } from './engine.js';
import { fullParams } from '../panel/fields.js';

export class PythonView {
  /** `panel`: www/panel/panel.js's; `ctx`: { python (PythonEngine), runPython, runBrowser, lock }. */
  constructor(panel, ctx) {
    this.panel = panel;
    this.ctx = ctx;
    this.side = panel.description.python;
    this.node = this.render();
    panel.node.append(this.node);
    ctx.python.subscribe((e) => {
      if (e.type === 'progress' && this.running) this.showLoad(e);
    });
  }

  render() {
    const w = this.panel.workload;
    this.runButton = el('button', { type: 'button', 'data-testid': `python-run-${w}` }, 'Run the book\'s Python');
    this.runButton.addEventListener('click', () => this.run());
    this.cancelButton = el('button', { type: 'button', className: 'cancel', disabled: true, 'data-testid': `python-cancel-${w}` }, 'Cancel');
    this.cancelButton.addEventListener('click', () => this.ctx.python.cancel());
    this.status = el('span', { 'aria-live': 'polite', 'data-testid': `python-status-${w}` }, 'Pyodide loads (≈ 12 MB, once) when you press Run.');
    this.bar = el('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Pyodide downloaded', 'data-testid': `python-progress-${w}` });
    this.problem = el('p', { className: 'problem', role: 'alert', hidden: true, 'data-testid': `python-error-${w}` });
    this.scaledButton = el('button', { type: 'button', hidden: true, 'data-testid': `python-scaled-${w}` }, 'Use the scaled-down case');
    this.scaledButton.addEventListener('click', () => this.useScaled());
    this.result = el('div', { 'data-testid': `python-result-${w}` });
    this.code = el('code', {}, '');
    const source = el('details', { className: 'python-source', 'data-testid': `python-source-${w}` },
      el('summary', {}, `See the Python (${this.side.file})`), el('pre', {}, this.code));
    source.addEventListener('toggle', () => { if (source.open) this.loadSource(); });
    const tasks = this.side.tasks ? ` (tasks: ${this.side.tasks.join(', ')})` : '';
    return el('details', { className: 'python', 'data-testid': `python-${w}` },
      el('summary', {}, 'The book\'s own Python, live in this browser'),
      el('p', { className: 'blurb' },
        `The book's pure-Python code${tasks}, unchanged but for the kernels' coordinates and checksum, on Pyodide — CPython compiled to WebAssembly — in a worker of its own, then the same case in Rust → wasm: both measured here, now. At most about a minute of Python: ${this.side.work} ≤ ${Number(this.side.max_work).toLocaleString('en')} ${this.side.unit}s.`),
      el('div', { className: 'actions' }, this.runButton, this.cancelButton),
      el('p', { className: 'status' }, this.status, this.bar),
      this.problem, this.scaledButton, this.result, source);
  }

  /** The panel's case without its exec fields: all the Python side takes. */
  params() {
    const { variant: _v, threads: _t, lanes: _l, repeat: _r, ...params } = JSON.parse(this.panel.form.request());
    return params;
  }

  async loadSource() {
    if (this.code.textContent) return;
    try {
      const res = await fetch(new URL(`./${this.side.file}`, import.meta.url));
      this.code.textContent = res.ok ? await res.text() : `HTTP ${res.status}`;
    } catch (e) {
      this.code.textContent = `could not load ${this.side.file}: ${e.message}`;
    }
  }

  showLoad({ loaded, total }) {
    this.bar.hidden = false;
    this.bar.max = Math.max(1, total);
    this.bar.value = loaded;
    this.status.textContent = `Loading Pyodide: ${(loaded / 1e6).toFixed(1)} of ${total ? (total / 1e6).toFixed(1) : '≈ 12'} MB…`;
  }

  showProblem(error) {
    this.problem.hidden = !error;
    this.problem.textContent = error ? `The book's Python: ${error.message}` : '';
    this.scaledButton.hidden = !error || !/scaled-down case/.test(error.message ?? '');
  }

  useScaled() {
    const scaled = Object.fromEntries(Object.entries(this.side.scaled).map(([k, v]) => [k, String(v)]));
    this.panel.form.setValues(scaled);
    this.showProblem(null);
    this.status.textContent = `Scaled down: ${Object.entries(scaled).map(([k, v]) => `${k} ${v}`).join(', ')}. Press Run.`;
  }

  async run() {
    if (this.running) return;
    this.showProblem(null);
    let params;
    try {
      params = this.params();
    } catch (e) {
      this.showProblem({ message: `the fields do not make a case yet (${e.message})` });
      return;
    }
    this.running = true;
    this.runButton.disabled = true;
    this.cancelButton.disabled = false;
    this.result.replaceChildren();
    const release = await this.ctx.lock.whenFree(`python-${this.panel.workload}`);
    try {
      this.status.textContent = this.ctx.python.loadMs ? 'Running the book\'s Python…' : 'Loading Pyodide…';
      const py = await this.ctx.runPython({ workload: this.panel.workload, params });
      this.bar.hidden = true;
      this.status.textContent = 'Running the same case in Rust → wasm…';
      const rust = await this.ctx.runBrowser({ workload: this.panel.workload, params, variant: 'simd' });
      this.panel.hooks.record?.({ workload: this.panel.workload, request: JSON.stringify(params), label: 'the book\'s Python (Pyodide)', python: py, browser: rust });
      this.showResult(params, py, rust);
      this.status.textContent = 'Done.';
    } catch (e) {
      this.bar.hidden = true;
      if (e?.kind === 'cancelled') this.status.textContent = 'Cancelled: the Python worker was stopped; the next run starts a new one.';
      else {
        this.status.textContent = 'Failed.';
        this.showProblem(e);
      }
    } finally {
      release();
      this.running = false;
      this.runButton.disabled = false;
      this.cancelButton.disabled = true;
    }
  }

  showResult(params, py, rust) {
    const w = this.panel.workload;
    const full = fullParams(this.panel.description, params);
    const { units, unit } = workUnits(w, full, rust.checksum);
    const per = (ms) => (units > 1 ? ` · ${fmt((ms * 1e6) / units)} ns per ${unit}` : '');
    const same = py.checksum === rust.checksum;
    let check;
    if (w === 'pi') check = `estimate ${fmt(py.estimate)} from Python's own random darts, not the kernels' Philox ones (${rust.checksum} inside there, ${py.checksum} here): compared by time per dart`;
    else if (same) check = `checksum ${py.checksum} — the kernels' too: the same work`;
    else if (w === 'julia') check = `checksum ${py.checksum}, the kernels' ${rust.checksum}: the book tests abs(z) < 2, the kernels re² + im² < 4, which can differ in the last bit on the boundary`;
    else check = `checksum ${py.checksum} differs from the kernels' ${rust.checksum}`;
    const rows = [
      ['The book\'s Python', `${fmt(py.kernel_ms)} ms${per(py.kernel_ms)}`, `${py.python} (CPython in wasm), 1 thread${py.loaded_now ? ` · Pyodide loaded first in ${fmt(py.load_ms)} ms, not counted` : ''}`],
      ['Rust → wasm', `${fmt(rust.kernel_ms)} ms${per(rust.kernel_ms)}`, `simd, ${rust.threads} thread${rust.threads === 1 ? '' : 's'}`],
      ['Speed-up', `${fmt(py.kernel_ms / rust.kernel_ms)}×`, 'Rust → wasm over the book\'s Python, this browser'],
    ];
    this.result.replaceChildren(
      el('table', { className: 'python-table' },
        el('tbody', {}, ...rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, r[0]), ...r.slice(1).map((c) => el('td', {}, c)))))),
      el('p', { className: same || w === 'pi' ? 'chart-note' : 'problem', 'data-testid': `python-check-${w}` }, check));
  }
}
