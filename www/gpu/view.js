// One panel's GPU part (docs/gpu.md): the panel's case run by this browser's GPU through WebGPU,
// and compared with the server, for the workloads with a shader (π, the Julia set in f32). Where
// the browser gives no adapter it says why, once, and every other side works as before.
import { el } from '../dom.js';
import { fmt } from '../compare/charts.js';
import { SHADERS } from './engine.js';
import { adapterLabel } from './device.js';

export class GpuView {
  /** `panel`: www/panel/panel.js's; `ctx`: { gpu (GpuEngine), status, runGpu, lock, comparison }. */
  constructor(panel, ctx) {
    if (!SHADERS[panel.workload]) return;
    this.panel = panel;
    this.ctx = ctx;
    this.node = this.render(ctx.status);
    panel.node.append(this.node);
  }

  render(status) {
    const w = this.panel.workload;
    const summary = el('summary', {}, 'This browser\'s GPU (WebGPU)');
    if (!status.available) {
      return el('details', { className: 'gpu', 'data-testid': `gpu-${w}` }, summary,
        el('p', { className: 'chart-note', 'data-testid': `gpu-why-${w}` }, `No GPU side here: ${status.why}.`));
    }
    const f32 = w === 'julia' ? ' The GPU computes in f32 (WebGPU has no f64): the panel\'s case runs with precision f32 on every side compared.' : '';
    this.runButton = el('button', { type: 'button', 'data-testid': `gpu-run-${w}` }, 'Run on the GPU');
    this.runButton.addEventListener('click', () => this.run(false));
    this.compareButton = el('button', { type: 'button', 'data-testid': `gpu-compare-${w}` }, 'GPU vs server');
    this.compareButton.addEventListener('click', () => this.run(true));
    this.cancelButton = el('button', { type: 'button', className: 'cancel', disabled: true, 'data-testid': `gpu-cancel-${w}` }, 'Cancel');
    this.cancelButton.addEventListener('click', () => this.abort?.abort());
    this.status = el('span', { 'aria-live': 'polite', 'data-testid': `gpu-status-${w}` }, '');
    this.result = el('div', { 'data-testid': `gpu-result-${w}` });
    this.canvas = el('canvas', { className: 'gpu-picture', hidden: true, 'aria-label': 'The picture drawn from the GPU\'s counts', 'data-testid': `gpu-picture-${w}` });
    const software = status.adapter.fallback ? ' A software adapter: its results are checked, its times are a CPU\'s emulating a GPU.' : '';
    return el('details', { className: 'gpu', 'data-testid': `gpu-${w}` }, summary,
      el('p', { className: 'blurb' }, `The same case on ${adapterLabel(status.adapter)}, from the WGSL shader beside the kernels.${f32}${software}`),
      el('div', { className: 'actions' }, this.runButton, this.compareButton, this.cancelButton),
      el('p', { className: 'status' }, this.status), this.result, this.canvas);
  }

  /** The panel's case, without its exec fields; Julia in f32. */
  params() {
    const { variant: _v, threads: _t, lanes: _l, repeat: _r, ...params } = JSON.parse(this.panel.form.request());
    return this.panel.workload === 'julia' ? { ...params, precision: 'f32' } : params;
  }

  async run(compare) {
    if (this.abort) return;
    let params;
    try {
      params = this.params();
    } catch (e) {
      this.status.textContent = `The fields do not make a case yet (${e.message}).`;
      return;
    }
    this.abort = new AbortController();
    this.setBusy(true);
    const workload = this.panel.workload;
    try {
      if (compare) {
        this.status.textContent = 'Comparing the GPU with the server…';
        const row = await this.ctx.comparison.compare({ workload, params, against: 'gpu' }, { signal: this.abort.signal });
        this.showCompare(row);
      } else {
        const release = await this.ctx.lock.whenFree(`gpu-${workload}`, this.abort.signal);
        try {
          this.status.textContent = 'Running on the GPU…';
          const out = await this.ctx.runGpu({ workload, params, signal: this.abort.signal, picture: workload === 'julia', map: 'fire' });
          this.showRun(out);
        } finally {
          release();
        }
      }
      this.status.textContent = 'Done.';
    } catch (e) {
      this.status.textContent = e?.kind === 'cancelled' ? 'Cancelled.' : `Failed: ${e?.message ?? e}`;
    } finally {
      this.abort = null;
      this.setBusy(false);
    }
  }

  setBusy(busy) {
    this.runButton.disabled = busy;
    this.compareButton.disabled = busy;
    this.cancelButton.disabled = !busy;
  }

  showRun(out) {
    const rows = [
      ['GPU time', `${fmt(out.kernel_ms)} ms`, adapterLabel(out.adapter)],
      ['Checksum', out.checksum, this.panel.workload === 'pi' ? `${out.inside} darts inside: the kernels' count to the dart` : ''],
    ];
    if (out.agreement) rows.push(['Agreement', agreementText(out.agreement), `the f32 kernels in wasm: checksum ${out.agreement.kernels_checksum}`]);
    this.result.replaceChildren(table(rows));
    if (out.picture) {
      this.canvas.width = out.picture.width;
      this.canvas.height = out.picture.height;
      this.canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(out.picture.rgba), out.picture.width, out.picture.height), 0, 0);
      this.canvas.hidden = false;
    }
  }

  showCompare(row) {
    const r = row.ratio;
    const faster = r.estimate >= 1 ? `the server ${fmt(r.estimate)}× faster` : `the GPU ${fmt(1 / r.estimate)}× faster`;
    const rows = [
      ['GPU', `${fmt(row.browser.median_ms)} ms (median of ${row.browser.runs.length})`, adapterLabel(row.browser.adapter)],
      ['Server', `${fmt(row.server.median_ms)} ms (median of ${row.server.runs.length})`, `simd, ${row.server.threads} threads, ${row.server.lanes} lanes`],
      ['Ratio', `${faster}`, `GPU/server time ${fmt(r.estimate)} [${fmt(r.low)}, ${fmt(r.high)}]${row.resolved ? '' : ', not resolved'}`],
      ['Result', row.same_checksum ? `the same checksum, ${row.server.checksum}` : `checksums ${row.browser.checksum} (GPU) and ${row.server.checksum} (server)`,
        row.browser.agreement ? agreementText(row.browser.agreement) : ''],
    ];
    this.result.replaceChildren(table(rows));
  }
}

/** "99.98 % of pixels (999,812 of 1,000,000), the others off by at most 3 steps". */
export function agreementText(a) {
  const share = (100 * a.equal_pixels) / a.total_pixels;
  const others = a.equal_pixels === a.total_pixels ? 'every pixel the same'
    : `the others off by at most ${a.max_difference} step${a.max_difference === 1 ? '' : 's'} (WGSL lets the GPU fuse a·b + c and reorder; Rust does neither)`;
  return `${share.toFixed(share === 100 ? 0 : 3)} % of pixels equal (${a.equal_pixels.toLocaleString('en')} of ${a.total_pixels.toLocaleString('en')}), ${others}`;
}

function table(rows) {
  return el('table', { className: 'python-table' },
    el('tbody', {}, ...rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, r[0]), ...r.slice(1).map((c) => el('td', {}, c))))));
}
