// The race's verdict as a picture (the "Download PNG" of the first screen): 1200 × 630, the size
// link previews use, drawn on a canvas from the verdict's numbers — the overall line large, one
// line per workload with its split as a stacked bar, where and when it was measured at the foot.
import { SERIES } from '../compare/charts.js';
import { times } from './words.js';

export const CARD = { width: 1200, height: 630 };
const INK = '#e8e8e8', MUTED = '#a9aeb8', ACCENT = '#f5a623', BAD = '#ff6b6b';

/** Draws `v` on `canvas` (resized to the card); `source`: "measured on …". */
export function drawVerdictCard(canvas, v, source) {
  canvas.width = CARD.width;
  canvas.height = CARD.height;
  const ctx = canvas.getContext('2d');
  const pad = 48, w = CARD.width - 2 * pad;
  ctx.fillStyle = '#14161b';
  ctx.fillRect(0, 0, CARD.width, CARD.height);
  ctx.textBaseline = 'alphabetic';
  text(ctx, 'Parallax · your browser vs the server', pad, 70, w, 'bold 34px system-ui, sans-serif', ACCENT);
  text(ctx, headline(v.overall), pad, 130, w, 'bold 44px system-ui, sans-serif', INK);
  const s = v.overall.split;
  text(ctx, `${times(s.width.estimate)} vector width · ${times(s.wasm.estimate)} WebAssembly itself · ${times(s.rest.estimate)} threads and the rest (geometric mean of ${v.rows.length})`,
    pad, 172, w, '24px system-ui, sans-serif', MUTED);
  // One line per workload: name, speed-up [interval], the split's bar on a shared log axis.
  const top = 215, line = Math.min(80, (CARD.height - top - 90) / Math.max(1, v.rows.length));
  const values = v.rows.flatMap((r) => [1, r.ratio.estimate, r.split.width.estimate, r.split.width.estimate * r.split.wasm.estimate]);
  const lo = Math.log(Math.min(...values) / 1.2), hi = Math.log(Math.max(...values) * 1.2);
  const barX = pad + 560, barW = w - 560;
  const at = (x) => barX + ((Math.log(x) - lo) / (hi - lo)) * barW;
  v.rows.forEach((r, i) => {
    const y = top + i * line;
    text(ctx, r.title, pad, y + 30, 250, 'bold 28px system-ui, sans-serif', INK);
    const ratio = `${times(r.ratio.estimate)} [${times(r.ratio.low).slice(0, -1)}, ${times(r.ratio.high).slice(0, -1)}]`;
    text(ctx, `${ratio}${r.same_checksum ? ' ✓ same' : ' ✗ DIFFER'}`, pad + 260, y + 30, 290, '26px system-ui, sans-serif', r.same_checksum ? INK : BAD);
    const a = r.split.width.estimate, b = a * r.split.wasm.estimate;
    // Forward parts solid; a part that favours the browser (drawn leftwards) hatched on top,
    // so the bar's end is where the speed-up is (marked by the white tick).
    const parts = [['width', 1, a], ['wasm', a, b], ['rest', b, r.ratio.estimate]];
    for (const backwards of [false, true]) {
      for (const [series, from, to] of parts.filter(([, f, t]) => (t < f) === backwards)) {
        const x0 = at(Math.min(from, to)), x1 = at(Math.max(from, to));
        ctx.fillStyle = backwards ? hatch(ctx, SERIES[series].colour) : SERIES[series].colour;
        ctx.fillRect(x0, y + 8, Math.max(2, x1 - x0), 28);
      }
    }
    ctx.fillStyle = INK;
    ctx.fillRect(at(1) - 1, y + 2, 2, 40);
    ctx.fillRect(at(r.ratio.estimate) - 2, y + 2, 4, 40);
  });
  // The legend and the source.
  let x = pad;
  const foot = CARD.height - 62;
  for (const series of ['width', 'wasm', 'rest']) {
    ctx.fillStyle = SERIES[series].colour;
    ctx.fillRect(x, foot - 16, 18, 18);
    x += 26;
    x += text(ctx, SERIES[series].label, x, foot, 300, '20px system-ui, sans-serif', MUTED) + 28;
  }
  text(ctx, 'hatched: in your browser\'s favour · tick: the speed-up', x, foot, CARD.width - pad - x, '20px system-ui, sans-serif', MUTED);
  text(ctx, `${source}${v.quick ? ' · quick race' : ''}`, pad, CARD.height - 24, w, '20px system-ui, sans-serif', MUTED);
}

/** The overall line, short. */
function headline(o) {
  const r = o.ratio, range = `[${times(r.low).slice(0, -1)}, ${times(r.high).slice(0, -1)}]`;
  if (o.verdict === 'server faster') return `The server was ${times(r.estimate)} faster ${range}`;
  if (o.verdict === 'browser faster') return `Your browser was ${times(1 / r.estimate)} faster ${range}`;
  if (o.verdict === 'equal') return `Equally fast (server ${times(r.estimate)} ${range})`;
  return `Not resolved (server ${times(r.estimate)} ${range})`;
}

/** Diagonal stripes of `colour` on the card's background, as a fill. */
function hatch(ctx, colour) {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 10;
  const t = tile.getContext('2d');
  t.fillStyle = '#14161b';
  t.fillRect(0, 0, 10, 10);
  t.strokeStyle = colour;
  t.lineWidth = 3;
  t.beginPath();
  t.moveTo(-2, 12);
  t.lineTo(12, -2);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}

/** Draws a line of text no wider than `max`; → its width. */
function text(ctx, words, x, y, max, font, colour) {
  ctx.font = font;
  ctx.fillStyle = colour;
  ctx.textAlign = 'left';
  ctx.fillText(words, x, y, max);
  return Math.min(max, ctx.measureText(words).width);
}
