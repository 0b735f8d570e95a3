// The race's verdict in plain words (www/race/plan.js): one sentence per workload and one overall.
// The sentences are made from the verdict's numbers only, so a shared link (www/race/link.js)
// carries numbers and the page that opens it says the same words.
import { adapterName } from '../gpu/device.js';

/** A factor in three significant digits, with its × (1.2×, 12.3×, 123×). */
export function times(v) {
  if (!Number.isFinite(v)) return '–';
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2).replace(/0$/, '')}×`;
}

const bracket = (lo, hi) => `[${times(lo).slice(0, -1)}, ${times(hi).slice(0, -1)}]`;

/** A factor against the horizon (the compare engine's): 'up' or 'down' when its interval lies
 *  outside 1 ± h, 'equal' when inside it (a 0.4 % effect, however sure, is no difference worth
 *  a word), 'unresolved' when it straddles an edge (more runs could tell). */
function side(f, h) {
  if (f.low > 1 + h) return 'up';
  if (f.high < 1 - h) return 'down';
  return f.low >= 1 - h && f.high <= 1 + h ? 'equal' : 'unresolved';
}

/**
 * The three factors in words, each measured from the server's side: > 1 helps the server, < 1
 * helps the browser; equal within the horizon, or not resolved, said as such. `server`: whether
 * the sentence is about the server ("… faster: 2.9× from its wider vectors"); else each factor
 * names its side.
 */
export function factorWords(split, { lanes, threads }, server = true, horizon = 0.05) {
  const { wasm, width, rest } = split;
  const h = `±${Math.round(horizon * 100)} %`;
  const open = (f) => `${times(f.estimate)} ${bracket(f.low, f.high)}`;
  const wider = `${server ? 'its' : 'the server\'s'} wider vectors (2 → ${lanes.server} lanes)`;
  const who = threads ? ` (browser ${threads.browser}, server ${threads.server} thread${threads.server === 1 ? '' : 's'})` : '';
  const words = {
    width: lanes.server <= lanes.browser ? { equal: 'the same vector width on both sides' } : {
      up: server ? `${times(width.estimate)} from ${wider}` : `${wider} gave it ${times(width.estimate)}`,
      down: `${wider} cost it ${times(1 / width.estimate)}`,
      equal: `no gain from ${wider}, within ${h}`,
      unresolved: `${wider} not resolved (${open(width)})`,
    },
    wasm: {
      up: server ? `${times(wasm.estimate)} from WebAssembly itself (native code is faster at equal width)`
        : `WebAssembly itself ${times(wasm.estimate)} slower than native code at equal width`,
      down: `WebAssembly itself ${times(1 / wasm.estimate)} faster than native code at equal width`,
      equal: `WebAssembly itself as fast as native code, within ${h}`,
      unresolved: `WebAssembly itself against native code not resolved (${open(wasm)})`,
    },
    rest: {
      up: server ? `${times(rest.estimate)} from threads and the rest${who}` : `threads and the rest${who} ${times(rest.estimate)} in the server's favour`,
      down: `threads and the rest${who} ${times(1 / rest.estimate)} in your browser's favour`,
      equal: `nothing from threads and the rest${who}, within ${h}`,
      unresolved: `threads and the rest${who} not resolved (${open(rest)})`,
    },
  };
  return ['width', 'wasm', 'rest'].map((k) => words[k][side(split[k], horizon)] ?? words[k].equal);
}

/** Who was faster, by how much, with the interval, as the first half of a sentence. */
function head(what, r, verdict, horizon) {
  const h = `${Math.round(horizon * 100)} %`;
  if (verdict === 'server faster') return `The server computed ${what} ${times(r.estimate)} faster ${bracket(r.low, r.high)}`;
  if (verdict === 'browser faster') return `Your browser computed ${what} ${times(1 / r.estimate)} faster than the server ${bracket(1 / r.high, 1 / r.low)}`;
  if (verdict === 'equal') return `Your browser and the server computed ${what} equally fast, within ±${h} (server ${times(r.estimate)} ${bracket(r.low, r.high)})`;
  return `Not resolved: the race could not tell which side computed ${what} faster (server ${times(r.estimate)} ${bracket(r.low, r.high)}, straddling ±${h}; a longer race could tell)`;
}

/** One workload's sentence. `row`: a verdict row (www/race/plan.js verdictOf). */
export function rowText(row, horizon = 0.05) {
  const same = row.same_checksum
    ? `the same ${row.same_what} on both sides (checksum ${row.checksum})`
    : `but the two sides' results DIFFER (checksums) — please report this`;
  return `${head(row.what, row.ratio, row.verdict, horizon)}: ${factorWords(row.split, row, row.verdict === 'server faster', horizon).join(', ')}; ${same}.`;
}

/** The overall sentence: the geometric mean over the workloads, its split, the checksums. */
export function overallText(v) {
  const o = v.overall, n = v.rows.length;
  const lanes = { browser: 2, server: Math.max(...v.rows.map((r) => r.lanes.server)) };
  const across = `across ${n === 1 ? 'one workload' : `${n} workloads`} (geometric mean)`;
  const r = o.ratio, h = `${Math.round((v.horizon ?? 0.05) * 100)} %`;
  const first = {
    'server faster': `Overall, the server was ${times(r.estimate)} faster ${bracket(r.low, r.high)} ${across}`,
    'browser faster': `Overall, your browser was ${times(1 / r.estimate)} faster than the server ${bracket(1 / r.high, 1 / r.low)} ${across}`,
    equal: `Overall, your browser and the server were equally fast within ±${h} ${across}`,
  }[o.verdict] ?? `Overall, the race could not tell the sides apart ${across}: server ${times(r.estimate)} ${bracket(r.low, r.high)}`;
  const same = o.same_checksum ? 'every result the same on both sides' : 'some results DIFFER between the sides';
  const hidden = v.hidden_runs > 0
    ? ` The tab was hidden during ${v.hidden_runs} run${v.hidden_runs === 1 ? '' : 's'} of this race: hidden tabs are throttled, so your browser may read slower than it is.` : '';
  return `${first}: ${factorWords(o.split, { lanes }, o.verdict === 'server faster', v.horizon ?? 0.05).join(', ')}; ${same}.${hidden}`;
}

/** The GPU leg's sentence (www/race/plan.js leg G): this browser's GPU against the server, and
 *  whether it computed the same — π to the dart, Julia (f32) by agreement with the f32 kernels. */
export function gpuText(what, gpu, horizon = 0.05) {
  const r = gpu.ratio;
  const name = gpu.adapter ? `${adapterName(gpu.adapter) || 'unnamed'}${gpu.adapter.fallback ? ', a software adapter' : ''}` : 'unnamed';
  const subject = `This browser's GPU (${name})`;
  const f32 = gpu.precision === 'f32' ? ' in f32' : '';
  const head = {
    'browser faster': `${subject} computed ${what}${f32} ${times(1 / r.estimate)} faster than the server ${bracket(1 / r.high, 1 / r.low)}`,
    'server faster': `${subject} computed ${what}${f32} ${times(r.estimate)} slower than the server ${bracket(r.low, r.high)}`,
    equal: `${subject} computed ${what}${f32} as fast as the server, within ±${Math.round(horizon * 100)} %`,
  }[gpu.verdict] ?? `Not resolved: the race could not tell whether ${subject.replace('This', 'this')} or the server computed ${what}${f32} faster (server ${times(r.estimate)} ${bracket(r.low, r.high)})`;
  let same;
  if (gpu.agreement) {
    const a = gpu.agreement;
    const share = (100 * a.equal_pixels) / a.total_pixels;
    same = `${share === 100 ? '100' : share.toFixed(2)} % of its pixels the same as the f32 kernels'${a.max_difference ? ` (the rest off by ≤ ${a.max_difference} steps: WGSL may fuse and reorder)` : ''}`;
  } else {
    same = gpu.same_checksum ? `the same result as the server (checksum ${gpu.checksum})` : 'but its result DIFFERS from the server\'s — please report this';
  }
  return `${head}; ${same}.`;
}
