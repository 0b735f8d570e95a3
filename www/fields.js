// What each workload's panel asks for: its fields (with the book's defaults), which tasks show
// which fields, and the presets of the book's cases (../shared/workloads.md). The limits are
// not here: the kernels' own validation (through the wasm module) is the one judge, so the page
// and the server refuse the same input in the same words.

/** `kind`: 'int' (sent as a JSON integer), 'u64' (decimal digits, sent as a string: JavaScript
 *  numbers lose u64 precision), 'float'. `tasks`: shown only for these primes tasks. */
export const WORKLOADS = {
  julia: {
    title: 'Julia set',
    blurb: 'z ← z² + c until |z| ≥ 2, per pixel: the book\'s chapter 2. Click the picture to zoom in '
      + '(Shift+click or right-click to zoom out), drag it to pan; arrow keys and +/− when it has focus; '
      + 'or use the Zoom buttons.',
    fields: [
      { name: 'width', label: 'Width', kind: 'int', value: '1000', unit: 'px' },
      { name: 'height', label: 'Height', kind: 'int', value: '1000', unit: 'px' },
      { name: 'max_iter', label: 'Max iterations', kind: 'int', value: '300' },
      { name: 'c_re', label: 'c (real)', kind: 'float', value: '-0.62772' },
      { name: 'c_im', label: 'c (imaginary)', kind: 'float', value: '-0.42193' },
      { name: 'x_min', label: 'x min', kind: 'float', value: '-1.8' },
      { name: 'x_max', label: 'x max', kind: 'float', value: '1.8' },
      { name: 'y_min', label: 'y min', kind: 'float', value: '-1.8' },
      { name: 'y_max', label: 'y max', kind: 'float', value: '1.8' },
    ],
    maps: true,
    presets: [
      { label: 'Book: 1000 × 1000, 300 iterations', values: {} },
      { label: '640 × 480, 500 iterations', values: { width: '640', height: '480', max_iter: '500' } },
      { label: 'Quick look: 400 × 400', values: { width: '400', height: '400' } },
      { label: 'Heavy: 2048 × 2048, 1000 iterations', values: { width: '2048', height: '2048', max_iter: '1000' } },
      { label: 'Dendrite: c = i', values: { c_re: '0', c_im: '1', max_iter: '500' } },
    ],
  },
  diffusion: {
    title: 'Diffusion',
    blurb: 'The 2D heat equation on a periodic grid, a hot square in the middle: the book\'s chapter 6. '
      + 'The browser draws the grid as it steps.',
    fields: [
      { name: 'width', label: 'Width', kind: 'int', value: '1024', unit: 'cells' },
      { name: 'height', label: 'Height', kind: 'int', value: '1024', unit: 'rows' },
      { name: 'steps', label: 'Steps', kind: 'int', value: '500' },
      { name: 'dt', label: 'dt', kind: 'float', value: '0.1' },
      { name: 'd', label: 'D', kind: 'float', value: '1.0' },
    ],
    maps: true,
    animate: true,
    presets: [
      { label: 'Book: 1024², 500 steps', values: {} },
      { label: '300 × 200, 100 steps', values: { width: '300', height: '200', steps: '100' } },
      { label: '256², 500 steps', values: { width: '256', height: '256' } },
      { label: '512², 500 steps', values: { width: '512', height: '512' } },
      { label: 'Heavy: 2048², 500 steps', values: { width: '2048', height: '2048' } },
    ],
  },
  primes: {
    title: 'Primes',
    blurb: 'The book\'s trial division (chapter 1), Miller–Rabin, every prime of a range, or π(limit) '
      + 'by a segmented sieve.',
    task: {
      name: 'task', label: 'Task', value: 'check',
      options: [
        ['check', 'Is n prime? (trial division)'],
        ['miller_rabin', 'Is n prime? (Miller–Rabin)'],
        ['range', 'Primes in [start, end)'],
        ['count', 'Count primes ≤ limit'],
      ],
    },
    fields: [
      { name: 'n', label: 'n', kind: 'u64', value: '100109100129100151', tasks: ['check', 'miller_rabin'] },
      { name: 'start', label: 'Start', kind: 'u64', value: '100000000', tasks: ['range'] },
      { name: 'end', label: 'End (excluded)', kind: 'u64', value: '101000000', tasks: ['range'] },
      { name: 'limit', label: 'Limit', kind: 'u64', value: '1000000000', tasks: ['count'] },
    ],
    presets: [
      { label: 'Book: is 100109100129100151 prime?', values: { task: 'check' } },
      { label: 'Book: 100109100129100369 (composite)', values: { task: 'check', n: '100109100129100369' } },
      { label: 'Range [10⁸, 10⁸ + 10⁶)', values: { task: 'range' } },
      { label: 'Range of 100,000 numbers from 10⁸', values: { task: 'range', end: '100100000' } },
      { label: 'Ulam-friendly: [1, 40,001)', values: { task: 'range', start: '1', end: '40001' } },
      { label: 'π(10⁹)', values: { task: 'count' } },
      { label: 'Miller–Rabin on 2⁶⁴ − 59', values: { task: 'miller_rabin', n: '18446744073709551557' } },
    ],
  },
};

/**
 * The JSON body of a request from the panel's raw texts. Each value goes in as typed when it is
 * a JSON number (so `1e3` reaches the kernels' parser, which refuses it with its own words),
 * else as a JSON string (so "abc" is refused as a string, naming its field).
 */
export function requestJson(workload, values, exec) {
  const spec = WORKLOADS[workload];
  const parts = [];
  const add = (name, text) => parts.push(`${JSON.stringify(name)}:${text}`);
  if (spec.task) add('task', JSON.stringify(values.task));
  for (const f of visibleFields(workload, values.task)) {
    const raw = (values[f.name] ?? '').trim();
    if (f.kind === 'u64' && /^\d+$/.test(raw)) add(f.name, JSON.stringify(raw));
    else add(f.name, isJsonNumber(raw) ? raw : JSON.stringify(raw));
  }
  add('variant', JSON.stringify(exec.variant));
  add('threads', String(exec.threads));
  if (exec.variant === 'simd' && exec.lanes) add('lanes', String(exec.lanes));
  return `{${parts.join(',')}}`;
}

/** The fields shown for a primes task (all fields for the other workloads). */
export function visibleFields(workload, task) {
  return WORKLOADS[workload].fields.filter((f) => !f.tasks || f.tasks.includes(task));
}

function isJsonNumber(text) {
  return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text);
}
