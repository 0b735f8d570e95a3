// A panel's inputs: the workload's fields (www/fields.js), the run's variant, lanes and threads,
// the colour map, and the presets. Every input has a label and a message slot tied to it with
// aria-describedby; the message is whatever the kernels' validation said about that field.
import { el } from './dom.js';
import { WORKLOADS, requestJson, visibleFields } from './fields.js';

export class PanelForm {
  /** `threads`: the browser's pool size (the threads choice goes 1..threads); `onChange()` runs
   *  after any edit. */
  constructor(workload, { threads, onChange }) {
    this.workload = workload;
    this.spec = WORKLOADS[workload];
    this.inputs = {};
    this.messages = {};
    this.onChange = onChange;
    const id = (name) => `${workload}-${name}`;

    this.node = el('form', { className: 'form', noValidate: true, 'data-testid': `form-${workload}` });
    this.node.addEventListener('submit', (e) => e.preventDefault());

    const presets = el('select', { id: id('preset'), 'data-testid': `preset-${workload}` },
      el('option', { value: '' }, 'Choose a case…'),
      ...this.spec.presets.map((p, i) => el('option', { value: String(i) }, p.label)));
    presets.addEventListener('change', () => {
      if (presets.value === '') return;
      this.setValues(this.spec.presets[Number(presets.value)].values, true);
    });
    // The chosen case stays shown until a field is edited by hand; then it no longer describes them.
    // (Variant, threads and colours are not part of a case and leave it shown.)
    this.presets = presets;
    this.node.addEventListener('input', (e) => { if (this.isParameter(e.target)) presets.value = ''; });
    this.node.append(el('div', { className: 'presets' }, el('label', { htmlFor: id('preset') }, 'Preset'), presets));

    const grid = el('div', { className: 'fields' });
    if (this.spec.task) {
      const t = this.spec.task;
      const select = el('select', { id: id(t.name), name: t.name, 'data-testid': `field-${workload}-${t.name}` },
        ...t.options.map(([value, label]) => el('option', { value }, label)));
      select.value = t.value;
      select.addEventListener('change', () => this.showTaskFields());
      this.inputs[t.name] = select;
      grid.append(this.field(t.name, t.label, select, 'wide'));
    }
    for (const f of this.spec.fields) {
      const input = el('input', {
        id: id(f.name), name: f.name, type: 'text', value: f.value, spellcheck: false, autocomplete: 'off',
        inputMode: f.kind === 'float' ? 'decimal' : 'numeric', 'data-testid': `field-${workload}-${f.name}`,
      });
      this.inputs[f.name] = input;
      grid.append(this.field(f.name, f.unit ? `${f.label} (${f.unit})` : f.label, input, f.kind === 'u64' ? 'wide' : ''));
    }
    this.node.append(grid);

    const exec = el('div', { className: 'fields exec' });
    const variant = el('select', { id: id('variant'), 'data-testid': `variant-${workload}` },
      el('option', { value: 'simd' }, 'SIMD'), el('option', { value: 'reference' }, 'Reference'));
    const lanes = el('select', { id: id('lanes'), 'data-testid': `lanes-${workload}` },
      el('option', { value: '' }, 'widest (auto)'),
      ...[2, 4, 8].map((n) => el('option', { value: String(n) }, `${n} × f64`)));
    const threadChoice = el('select', { id: id('threads'), 'data-testid': `threads-${workload}`, disabled: threads === 1 },
      ...Array.from({ length: threads }, (_, i) => el('option', { value: String(i + 1) }, String(i + 1))));
    threadChoice.value = String(threads);
    variant.addEventListener('change', () => { lanes.disabled = variant.value !== 'simd'; });
    Object.assign(this.inputs, { variant, lanes, threads: threadChoice });
    exec.append(this.field('variant', 'Variant', variant), this.field('lanes', 'Lanes', lanes),
      this.field('threads', threads === 1 ? 'Threads (this build has one)' : 'Threads', threadChoice));
    if (this.spec.maps) {
      const map = el('select', { id: id('map'), 'data-testid': `map-${workload}` },
        el('option', { value: 'fire' }, 'False colour'), el('option', { value: 'grey' }, 'Grey'));
      this.inputs.map = map;
      exec.append(this.field('map', 'Colours', map));
    }
    if (this.spec.animate) {
      const animate = el('input', { id: id('animate'), type: 'checkbox', checked: true, 'data-testid': `animate-${workload}` });
      this.inputs.animate = animate;
      exec.append(el('div', { className: 'field check' }, animate,
        el('label', { htmlFor: id('animate') }, 'Draw as it steps')));
    }
    this.node.append(exec);
    this.general = el('p', { className: 'message', id: id('message'), role: 'alert', 'data-testid': `message-${workload}` });
    this.node.append(this.general);

    this.node.addEventListener('input', () => this.onChange());
    this.node.addEventListener('change', () => this.onChange());
    this.showTaskFields();
  }

  /** A labelled input with its message slot. */
  field(name, label, input, extra = '') {
    const msgId = `${this.workload}-${name}-message`;
    const message = el('span', { className: 'message', id: msgId, 'aria-live': 'polite', 'data-testid': `message-${this.workload}-${name}` });
    input.setAttribute('aria-describedby', msgId);
    this.messages[name] = message;
    return el('div', { className: `field ${extra}`.trim(), 'data-field': name },
      el('label', { htmlFor: input.id }, label), input, message);
  }

  showTaskFields() {
    if (!this.spec.task) return;
    const shown = new Set(visibleFields(this.workload, this.inputs.task.value).map((f) => f.name));
    for (const f of this.spec.fields) {
      this.node.querySelector(`[data-field="${f.name}"]`).hidden = !shown.has(f.name);
    }
  }

  /** The raw texts of the fields (and the task). */
  values() {
    const out = {};
    if (this.spec.task) out.task = this.inputs.task.value;
    for (const f of this.spec.fields) out[f.name] = this.inputs[f.name].value;
    return out;
  }

  /** Whether `input` is one of the case's parameters (not variant, threads or colours). */
  isParameter(input) {
    return input.name !== '' && (input.name === this.spec.task?.name || this.spec.fields.some((f) => f.name === input.name));
  }

  /** Sets fields from `values`; with `defaults`, every other field goes back to the book's. */
  setValues(values, defaults = false) {
    if (defaults) {
      if (this.spec.task) this.inputs.task.value = this.spec.task.value;
      for (const f of this.spec.fields) this.inputs[f.name].value = f.value;
    }
    for (const [k, v] of Object.entries(values)) if (this.inputs[k]) this.inputs[k].value = v;
    if (!defaults) this.presets.value = ''; // e.g. a zoom: the values are no longer the case's
    this.showTaskFields();
    this.onChange();
  }

  exec() {
    return {
      variant: this.inputs.variant.value,
      lanes: this.inputs.lanes.value ? Number(this.inputs.lanes.value) : null,
      threads: Number(this.inputs.threads.value),
    };
  }

  get map() { return this.inputs.map?.value ?? 'fire'; }
  get animate() { return this.inputs.animate?.checked ?? false; }

  /** The request's JSON text for the current inputs. */
  request() {
    return requestJson(this.workload, this.values(), this.exec());
  }

  /** Shows `error` ({ field, message } or null) next to its field, or under the form. */
  showError(error) {
    for (const [name, m] of Object.entries(this.messages)) {
      m.textContent = error?.field === name ? error.message : '';
      this.inputs[name]?.setAttribute('aria-invalid', String(error?.field === name));
    }
    const placed = error?.field && this.messages[error.field];
    this.general.textContent = error && !placed ? error.message : '';
  }
}
