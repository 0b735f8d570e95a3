// The comparison's charts, drawn as positioned HTML (no chart library: docs/compare.md,
// "Charts"): each chart row is a label and a strip on which marks and whiskers sit at
// percentages of a (log or linear) axis, so text stays text at every width — a phone stacks
// the label above its strip — and nothing is stretched. Colours are Okabe and Ito's
// colour-blind-safe set, and every series also has its own shape; each chart comes with a
// table view of the same numbers (a <details>, for screen readers and for copying).
import { el } from '../dom.js';

/** The series: colour and shape (a shape too, so colour is never the only cue). */
export const SERIES = {
  browser: { label: 'Browser', colour: '#E69F00', shape: 'circle' },
  server: { label: 'Server', colour: '#56B4E9', shape: 'square' },
  ratio: { label: 'Browser / server', colour: '#F0E442', shape: 'diamond' },
  width: { label: 'Vector width', colour: '#009E73', shape: 'bar' },
  wasm: { label: 'WebAssembly itself', colour: '#CC79A7', shape: 'bar' },
  rest: { label: 'Threads and the rest', colour: '#56B4E9', shape: 'bar' },
  ideal: { label: 'Ideal', colour: '#e8e8e8', shape: 'line' },
  book: { label: 'The book (2014)', colour: '#BBBBBB', shape: 'ring' },
  python: { label: 'The book\'s Python, live', colour: '#D55E00', shape: 'triangle' },
};

/** A figure: title, chart, legend, a note, and its table view. */
export function figure({ id, title, chart, legend = [], note, table }) {
  const legendNode = el('ul', { className: 'legend' },
    ...legend.map((k) => el('li', {}, el('span', { className: `key ${SERIES[k].shape}`, style: `--c:${SERIES[k].colour}` }), SERIES[k].label)));
  return el('figure', { className: 'chart-figure', 'data-testid': `chart-${id}` },
    el('h3', {}, title),
    chart, legendNode,
    note ? el('p', { className: 'chart-note' }, note) : null,
    el('details', { className: 'table-view' }, el('summary', {}, 'Table view'), table));
}

/** A table: `head` the column names, `rows` arrays of cell texts. */
export function table(caption, head, rows, testid) {
  return el('table', { className: 'results', 'data-testid': testid },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c, i) => el('td', { 'data-label': head[i] }, c))))));
}

/**
 * A forest chart: one row per item, each with marks { series, value, low?, high? } on a shared
 * axis (`log`: a log axis, for times and ratios). `refs`: vertical lines { value, label };
 * `band`: [lo, hi] shaded (the horizon around 1). `format(v)` labels the ticks.
 */
export function forest({ rows, log = true, refs = [], band = null, format = (v) => fmt(v), unit = '' }) {
  const values = rows.flatMap((r) => r.marks.flatMap((m) => [m.value, m.low, m.high])).concat(refs.map((r) => r.value), band ?? [])
    .filter((v) => Number.isFinite(v) && (!log || v > 0));
  const axis = scale(values, log);
  const strip = (children) => el('div', { className: 'strip' }, ...children);
  const bandNode = band ? el('span', { className: 'band', style: `left:${axis.at(band[0])}%;width:${axis.at(band[1]) - axis.at(band[0])}%` }) : null;
  const refNodes = () => refs.map((r) => el('span', { className: 'ref', style: `left:${axis.at(r.value)}%`, title: r.label }));
  const body = rows.map((r) => el('div', { className: 'chart-row' },
    el('span', { className: 'chart-label' }, r.label),
    strip([bandNode?.cloneNode(), ...refNodes(), ...r.marks.flatMap((m) => mark(axis, m))])));
  const ticks = axis.ticks.map((t) => el('span', { className: 'tick', style: `left:${axis.at(t)}%` }, format(t)));
  const refLabels = refs.map((r) => el('span', { className: 'tick ref-label', style: `left:${axis.at(r.value)}%` }, r.label));
  return el('div', { className: 'chart' }, ...body,
    el('div', { className: 'chart-row axis' }, el('span', { className: 'chart-label' }, unit), strip([...ticks, ...refLabels])));
}

/**
 * Stacked bars from one origin: each row's `parts` [{ series, from, to, text }] on a shared log
 * axis (the equal-width split: 1 → a → a·b), or a linear one (where the time goes).
 */
export function bars({ rows, log = true, format = (v) => fmt(v), unit = '', refs = [] }) {
  const values = rows.flatMap((r) => r.parts.flatMap((p) => [p.from, p.to])).concat(refs.map((r) => r.value))
    .filter((v) => Number.isFinite(v) && (!log || v > 0));
  const axis = scale(values, log, !log);
  const body = rows.map((r) => el('div', { className: 'chart-row' },
    el('span', { className: 'chart-label' }, r.label),
    el('div', { className: 'strip' },
      ...refs.map((x) => el('span', { className: 'ref', style: `left:${axis.at(x.value)}%`, title: x.label })),
      ...r.parts.map((p) => {
        const a = axis.at(Math.min(p.from, p.to)), b = axis.at(Math.max(p.from, p.to));
        return el('span', {
          className: `bar${p.to < p.from ? ' backwards' : ''}`, style: `left:${a}%;width:${Math.max(0.4, b - a)}%;--c:${SERIES[p.series].colour}`,
          title: p.text,
        }, el('span', { className: 'bar-text' }, p.text));
      }))));
  const ticks = axis.ticks.map((t) => el('span', { className: 'tick', style: `left:${axis.at(t)}%` }, format(t)));
  return el('div', { className: 'chart' }, ...body,
    el('div', { className: 'chart-row axis' }, el('span', { className: 'chart-label' }, unit), el('div', { className: 'strip' }, ...ticks)));
}

function mark(axis, m) {
  const s = SERIES[m.series];
  const nodes = [];
  if (Number.isFinite(m.low) && Number.isFinite(m.high)) {
    const a = axis.at(m.low), b = axis.at(m.high);
    nodes.push(el('span', { className: 'whisker', style: `left:${a}%;width:${Math.max(0, b - a)}%;--c:${s.colour}` }));
  }
  nodes.push(el('span', {
    className: `mark ${s.shape}`, style: `left:${axis.at(m.value)}%;--c:${s.colour}`,
    title: `${s.label}: ${fmt(m.value)}${Number.isFinite(m.low) ? ` [${fmt(m.low)}, ${fmt(m.high)}]` : ''}`,
  }));
  return nodes;
}

/** An axis over `values` → { at(v) in %, ticks }; `zero`: a linear axis starting at 0. */
function scale(values, log, zero = false) {
  let lo = Math.min(...values), hi = Math.max(...values);
  if (!Number.isFinite(lo)) [lo, hi] = log ? [0.5, 2] : [0, 1];
  if (zero) lo = 0;
  if (log) {
    let a = Math.log10(lo), b = Math.log10(hi);
    if (b - a < 0.3) { const mid = (a + b) / 2; a = mid - 0.15; b = mid + 0.15; }
    const pad = (b - a) * 0.06;
    a -= pad; b += pad;
    const ticks = [];
    for (let e = Math.floor(a); e <= Math.ceil(b); e++) {
      for (const m of [1, 2, 5]) {
        const t = m * 10 ** e;
        if (Math.log10(t) >= a && Math.log10(t) <= b) ticks.push(t);
      }
    }
    return { at: (v) => clamp(((Math.log10(v) - a) / (b - a)) * 100), ticks };
  }
  if (hi === lo) hi = lo + 1;
  const span = hi - lo, step = niceStep(span / 5);
  hi += zero ? span * 0.04 : 0;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(Number(t.toPrecision(12)));
  return { at: (v) => clamp(((v - lo) / (hi - lo)) * 100), ticks };
}

function niceStep(x) {
  const e = 10 ** Math.floor(Math.log10(x)), m = x / e;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * e;
}

function clamp(p) {
  return Math.min(100, Math.max(0, p));
}

/** A number in three significant digits (no exponent for the sizes seen here). */
export function fmt(v) {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}
