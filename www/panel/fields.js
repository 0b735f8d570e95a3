// A workload's fields as the page shows and sends them, built from the kernels' description
// (`describe()` of the wasm module, the same JSON as the server's GET /api/workloads): names,
// types, labels, units, the book's defaults, which task shows which field, the presets. No
// workload is named here, and no limit: the kernels' own validation (through the wasm module)
// is the one judge, so the page and the server refuse the same input in the same words.

/** A field's JSON value (a default, a preset's value) as the text of its input. */
export function fieldText(value) {
  return value === null || value === undefined ? '' : String(value);
}

/** The fields' texts of the description's defaults. */
export function defaultValues(description) {
  return Object.fromEntries(description.fields.map((f) => [f.name, fieldText(f.default)]));
}

/** A case's params with every other field at the book's default (JSON values, not texts): the
 *  whole case, as the book's Python and the benchmark harness are given it. */
export function fullParams(description, params) {
  return { ...Object.fromEntries(description.fields.map((f) => [f.name, f.default])), ...params };
}

/** What a field allows, in words, from its description: the range, the reference variant's
 *  tighter bound, and what else bounds it (shown as the input's tooltip, so a user sees what is
 *  too big before sending it; the kernels' validation still decides). '' when unbounded. */
export function allowedText(f) {
  const num = (v) => (typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v).toLocaleString('en') : Number(v).toLocaleString('en'));
  const parts = [];
  if (f.min !== undefined && f.max !== undefined) parts.push(`${num(f.min)} … ${num(f.max)}`);
  if (f.reference_max !== undefined) parts.push(`reference variant: at most ${num(f.reference_max)}`);
  if (f.note) parts.push(f.note);
  return parts.length ? `Allowed: ${parts.join('; ')}` : '';
}

/** The choice field that picks which other fields apply (primes' `task`), if there is one. */
export function taskField(description) {
  return description.fields.find((f) => f.type === 'choice' && f.name === 'task') ?? null;
}

/** The fields shown and sent for `task` (every field when the workload has no task). */
export function visibleFields(description, task) {
  return description.fields.filter((f) => !f.tasks || f.tasks.includes(task));
}

/**
 * The JSON body of a request from the panel's raw texts. Each value goes in as typed when it is
 * a JSON number (so `1e3` reaches the kernels' parser, which refuses it with its own words),
 * else as a JSON string (so "abc" is refused as a string, naming its field); a u64 of digits
 * goes as a decimal string (JavaScript numbers lose integers above 2⁵³).
 */
export function requestJson(description, values, exec) {
  const parts = [];
  const add = (name, text) => parts.push(`${JSON.stringify(name)}:${text}`);
  for (const f of visibleFields(description, values.task)) {
    const raw = (values[f.name] ?? '').trim();
    if (f.type === 'choice') add(f.name, JSON.stringify(raw));
    else if (f.type === 'u64' && /^\d+$/.test(raw)) add(f.name, JSON.stringify(raw));
    else add(f.name, isJsonNumber(raw) ? raw : JSON.stringify(raw));
  }
  add('variant', JSON.stringify(exec.variant));
  add('threads', String(exec.threads));
  if (exec.variant === 'simd' && exec.lanes) add('lanes', String(exec.lanes));
  return `{${parts.join(',')}}`;
}

function isJsonNumber(text) {
  return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text);
}
