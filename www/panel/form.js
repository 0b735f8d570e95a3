// A panel's inputs: the workload's fields as its description lists them (www/panel/fields.js), the
// run's variant, lanes and threads, the colour map, and the presets. Every input has a label and
// a message slot tied to it with aria-describedby; the message is whatever the kernels'
// validation said about that field.
import { el, reducedMotion } from '../dom.js';
import { allowedText, defaultValues, fieldText, requestJson, taskField, visibleFields } from './fields.js';

export class PanelForm {
  /** `description`: the workload's, from the kernels; `threads`: the browser's pool size (the
   *  threads choice goes 1..threads); `laneChoices`: the widths a simd run may be forced to (the
   *  module's build facts); `animate`: offer "Draw as it steps"; `onChange()` runs after any edit. */
  constructor(description, { threads, laneChoices, animate = false, onChange }) {
    const workload = description.name;
    this.workload = workload;
    this.description = description;
    this.defaults = defaultValues(description);
    this.task = taskField(description);
    this.inputs = {};
    this.messages = {};
    this.onChange = onChange;
    const id = (name) => `${workload}-${name}`;

    this.node = el('form', { className: 'form', noValidate: true, 'data-testid': `form-${workload}` });
    this.node.addEventListener('submit', (e) => e.preventDefault());

    const presets = el('select', { id: id('preset'), 'data-testid': `preset-${workload}` },
      el('option', { value: '' }, 'Choose a case…'),
      ...description.presets.map((p, i) => el('option', { value: String(i) }, p.label)));
    presets.addEventListener('change', () => {
      if (presets.value === '') return;
      const values = description.presets[Number(presets.value)].values;
      this.setValues(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fieldText(v)])), true);
    });
    // The chosen case stays shown until a field is edited by hand; then it no longer describes them.
    // (Variant, threads and colours are not part of a case and leave it shown.)
    this.presets = presets;
    this.node.addEventListener('input', (e) => { if (this.isParameter(e.target)) presets.value = ''; });
    this.node.append(el('div', { className: 'presets' }, el('label', { htmlFor: id('preset') }, 'Preset'), presets));

    const grid = el('div', { className: 'fields' });
    for (const f of description.fields) {
      const testid = `field-${workload}-${f.name}`;
      let input;
      if (f.type === 'choice') {
        input = el('select', { id: id(f.name), name: f.name, 'data-testid': testid },
          ...f.options.map((o) => el('option', { value: o.value }, o.label)));
        input.value = this.defaults[f.name];
        input.addEventListener('change', () => this.showTaskFields());
      } else {
        input = el('input', {
          id: id(f.name), name: f.name, type: 'text', value: this.defaults[f.name], spellcheck: false, autocomplete: 'off',
          inputMode: f.type === 'f64' ? 'decimal' : 'numeric', 'data-testid': testid,
        });
      }
      const allowed = allowedText(f);
      if (allowed) input.title = allowed;
      this.inputs[f.name] = input;
      const label = f.unit ? `${f.label} (${f.unit})` : f.label;
      grid.append(this.field(f.name, label, input, f.type === 'u64' || f.type === 'choice' ? 'wide' : ''));
    }
    this.node.append(grid);

    const exec = el('div', { className: 'fields exec' });
    const variant = el('select', { id: id('variant'), 'data-testid': `variant-${workload}` },
      el('option', { value: 'simd' }, 'SIMD'), el('option', { value: 'reference' }, 'Reference'));
    const lanes = el('select', { id: id('lanes'), 'data-testid': `lanes-${workload}` },
      el('option', { value: '' }, 'widest (auto)'),
      ...laneChoices.map((n) => el('option', { value: String(n) }, `${n} × f64`)));
    const threadChoice = el('select', { id: id('threads'), 'data-testid': `threads-${workload}`, disabled: threads === 1 },
      ...Array.from({ length: threads }, (_, i) => el('option', { value: String(i + 1) }, String(i + 1))));
    threadChoice.value = String(threads);
    variant.addEventListener('change', () => { lanes.disabled = variant.value !== 'simd'; });
    Object.assign(this.inputs, { variant, lanes, threads: threadChoice });
    exec.append(this.field('variant', 'Variant', variant), this.field('lanes', 'Lanes', lanes),
      this.field('threads', threads === 1 ? 'Threads (this build has one)' : 'Threads', threadChoice));
    if (description.formats.png?.maps) {
      const map = el('select', { id: id('map'), 'data-testid': `map-${workload}` },
        el('option', { value: 'fire' }, 'False colour'), el('option', { value: 'grey' }, 'Grey'));
      this.inputs.map = map;
      exec.append(this.field('map', 'Colours', map));
    }
    if (animate) {
      const animate = el('input', { id: id('animate'), type: 'checkbox', checked: !reducedMotion(), 'data-testid': `animate-${workload}` });
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
    if (!this.task) return;
    const shown = new Set(visibleFields(this.description, this.inputs.task.value).map((f) => f.name));
    for (const f of this.description.fields) {
      this.node.querySelector(`[data-field="${f.name}"]`).hidden = !shown.has(f.name);
    }
  }

  /** The raw texts of the fields (the task's value among them). */
  values() {
    return Object.fromEntries(this.description.fields.map((f) => [f.name, this.inputs[f.name].value]));
  }

  /** Whether `input` is one of the case's parameters (not variant, threads or colours). */
  isParameter(input) {
    return input.name !== '' && this.description.fields.some((f) => f.name === input.name);
  }

  /** Sets fields from `values` (texts); with `defaults`, every other field goes back to the book's. */
  setValues(values, defaults = false) {
    if (defaults) {
      for (const f of this.description.fields) this.inputs[f.name].value = this.defaults[f.name];
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
    return requestJson(this.description, this.values(), this.exec());
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
