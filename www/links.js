// The page's state in the URL fragment, so the address bar is always a link that re-opens the
// same case: the open panel and, per panel, every field and exec choice that differs from the
// book's case — `#open=julia&julia.width=640&julia.max_iter=500&julia.variant=reference`.
// Opening such a link puts the values into the fields as typed; the kernels' validation then
// judges them like typed input (an out-of-range value shows the field's message), and nothing
// runs by itself. Speedometer 3 keeps its settings in the URL the same way.

/** The fragment for the panels' current state; `open`: the workload last worked on. */
export function fragment(panels, open) {
  const q = new URLSearchParams();
  if (open) q.set('open', open);
  for (const [name, panel] of Object.entries(panels)) {
    const form = panel.form;
    const values = form.values();
    for (const f of panel.description.fields) {
      if (values[f.name] !== form.defaults[f.name]) q.set(`${name}.${f.name}`, values[f.name]);
    }
    for (const [key, input] of Object.entries(execInputs(form))) {
      if (input && input.value !== input.dataset.default) q.set(`${name}.${key}`, input.value);
    }
  }
  return q.toString();
}

/** The exec choices a link carries (the colour map too: it changes the picture). */
function execInputs(form) {
  return { variant: form.inputs.variant, lanes: form.inputs.lanes, threads: form.inputs.threads, map: form.inputs.map };
}

/** Remembers each exec input's default (its value when the page was built). */
export function rememberDefaults(panels) {
  for (const panel of Object.values(panels)) {
    for (const input of Object.values(execInputs(panel.form))) if (input) input.dataset.default = input.value;
  }
}

/**
 * Puts a fragment's values into the panels → { open, restored: [workloads whose fields came
 * from the link] }. A value a choice does not offer is added as an option marked "(from the
 * link)", so the request carries it and the kernels refuse it in their own words.
 */
export function restore(panels, hash) {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const restored = new Set();
  for (const [name, panel] of Object.entries(panels)) {
    const values = {};
    const exec = {};
    for (const [key, value] of q) {
      const [workload, field] = splitKey(key);
      if (workload !== name) continue;
      if (panel.description.fields.some((f) => f.name === field)) values[field] = value;
      else if (Object.hasOwn(execInputs(panel.form), field)) exec[field] = value;
    }
    if (!Object.keys(values).length && !Object.keys(exec).length) continue;
    restored.add(name);
    // Exec choices the link leaves out go back to their defaults too.
    for (const [field, input] of Object.entries(execInputs(panel.form))) {
      if (input && !Object.hasOwn(exec, field) && input.value !== input.dataset.default) {
        input.value = input.dataset.default;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
    for (const [field, value] of Object.entries(exec)) {
      const input = execInputs(panel.form)[field];
      if (!input) continue;
      if (![...input.options].some((o) => o.value === value)) {
        input.append(Object.assign(document.createElement('option'), { value, textContent: `${value} (from the link)` }));
      }
      input.value = value;
      input.disabled = false;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
    // Every other field goes back to the book's value: the link is the whole case.
    panel.form.setValues(values, true);
    if (Object.keys(values).length) panel.form.presets.value = '';
  }
  const open = q.get('open');
  return { open: open && Object.hasOwn(panels, open) ? open : null, restored: [...restored] };
}

function splitKey(key) {
  const dot = key.indexOf('.');
  return dot < 0 ? [null, key] : [key.slice(0, dot), key.slice(dot + 1)];
}

/** Keeps the address bar's fragment equal to the page's state (no history entry per keystroke). */
export class LinkState {
  constructor(panels) {
    this.panels = panels;
    this.open = null;
    rememberDefaults(panels);
  }

  /** Applies the page's own fragment (on load, and when the visitor edits it). */
  apply(hash = location.hash) {
    // Restoring fires the panels' change hooks: no visitor's edit, so `touched` ignores them and
    // the link's own `open` decides.
    this.restoring = true;
    let out;
    try {
      out = restore(this.panels, hash);
    } finally {
      this.restoring = false;
    }
    this.open = out.open ?? this.open;
    this.write();
    return out;
  }

  /** The panel `name` was worked on: it becomes the open one; the fragment follows. */
  touched(name) {
    if (this.restoring) return;
    if (name) this.open = name;
    this.write();
  }

  write() {
    // A shared race verdict (www/race/link.js) rides in the fragment too: kept as it is.
    const shared = new URLSearchParams(location.hash.replace(/^#/, '')).get('verdict');
    const q = new URLSearchParams(fragment(this.panels, this.open));
    if (shared) q.set('verdict', shared);
    const text = q.toString();
    const url = `${location.pathname}${location.search}${text ? `#${text}` : ''}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
  }

  /** The link to this state, whole. */
  href() {
    this.write();
    return location.href;
  }
}
