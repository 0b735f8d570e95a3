// The report's ratios, each with the performance goal it is held to (only in a full run: the
// quick cases are too small for them), and the checksum verdict: which rows ran the same case
// and agree. Pure functions of the rows, tested in tests/unit/bench.test.mjs.
//
// The goals are issue 32's ("close to the machine in every engine") where it sets one — equal
// width in Chromium per workload, every engine within 1.3× of Chromium at 1 thread, the sieve at
// most 0.9× primesieve, Julia 600× CPython and its wasm SIMD 4× the wasm reference — and issue
// 17's elsewhere (2-thread efficiency, numpy, the limit references).

const atLeast = (lo) => ({ text: `≥ ${lo}`, test: (v) => v >= lo });
const atMost = (hi) => ({ text: `≤ ${hi}`, test: (v) => v <= hi });

const key = (r) => JSON.stringify(r.params);

/** Issue 32's equal-width goals: Chromium's wasm over native, SIMD at 2 lanes, 1 and 2 threads,
 *  the most each workload's arithmetic allows in wasm (π and Miller–Rabin multiply 64-bit
 *  lanes, which wasm SIMD lowers to several instructions). */
function equalWidthGoal(workload, params) {
  if (workload === 'primes') {
    const task = params.task ?? 'check';
    return atMost({ check: 1.25, range: 1.25, count: 1.1, miller_rabin: 3 }[task] ?? 1.25);
  }
  return atMost({ julia: 1.1, diffusion: 1.1, pi: 1.5 }[workload] ?? 1.1);
}

/** Issue 32's every-engine goal: another engine's time within 1.3× of Chromium's, at 1 thread. */
const ENGINE_GOAL = atMost(1.3);
const same = (f) => (r) => Object.entries(f).every(([k, v]) => r[k] === v);
const unique = (xs) => [...new Set(xs)];

/** The lanes of a row's exec as the tables name them. */
export function configName(r) {
  return r.variant === 'reference' ? 'reference' : `simd ${r.lanes} lanes`;
}

/**
 * → [{ name, value, goal, met }]: browser/native and browser/server at equal width, simd over
 * reference, 2-thread efficiency, ours over each peer and each limit. `goals`: hold the ratios
 * to the goals (a full run); `widest`: the native widest lanes.
 */
export function ratios(rows, { goals = false, widest = 2 } = {}) {
  const out = [];
  const add = (name, value, goal = null) => {
    if (!Number.isFinite(value)) return;
    const g = goals ? goal : null;
    out.push({ name, value, goal: g?.text ?? null, met: g ? g.test(value) : null });
  };
  const ours = rows.filter((r) => r.kind === 'ours');
  for (const c of unique(ours.map((r) => `${r.workload}\u0000${r.case}`))) {
    const [workload, label] = c.split('\u0000');
    const inCase = ours.filter((r) => r.workload === workload && r.case === label);
    const one = (f) => inCase.find(same(f));
    const where = `${workload} · ${label}`;
    const threads = unique(inCase.map((r) => r.threads)).sort((a, b) => a - b);
    const configs = [{ variant: 'reference', lanes: null }, { variant: 'simd', lanes: 2 },
      ...(widest > 2 ? [{ variant: 'simd', lanes: widest }] : [])];
    // Each browser engine is a side of its own, every ratio named by its engine and held to
    // the same goals.
    const engines = unique(inCase.filter((r) => r.side === 'browser').map((r) => r.engine));
    const measured = [['native', { side: 'native' }], ...engines.map((e) => [`browser ${e}`, { side: 'browser', engine: e }])];
    for (const t of threads) {
      for (const cfg of configs.slice(0, 2)) {
        const n = one({ ...cfg, threads: t, side: 'native' });
        const s = one({ ...cfg, threads: t, side: 'server' });
        for (const e of engines) {
          const b = one({ ...cfg, threads: t, side: 'browser', engine: e });
          const goal = e === 'chromium' && cfg.variant === 'simd' ? equalWidthGoal(workload, n?.full ?? n?.params ?? {}) : null;
          if (n && b) add(`wasm/native · ${e} · ${where} · ${configName(n)} · ${t} thr.`, b.median_ms / n.median_ms, goal);
          if (s && b) add(`browser/server · ${e} · ${where} · ${configName(s)} · ${t} thr.`, b.median_ms / s.median_ms);
        }
        const chromium = one({ ...cfg, threads: t, side: 'browser', engine: 'chromium' });
        for (const e of engines.filter((x) => x !== 'chromium')) {
          const b = one({ ...cfg, threads: t, side: 'browser', engine: e });
          if (chromium && b) add(`engine/chromium (time) · ${e} · ${where} · ${configName(b)} · ${t} thr.`, b.median_ms / chromium.median_ms, t === 1 ? ENGINE_GOAL : null);
        }
      }
      for (const [name, side] of measured) {
        const ref = one({ variant: 'reference', threads: t, ...side });
        for (const cfg of configs.slice(1)) {
          const simd = one({ ...cfg, threads: t, ...side });
          const goal = workload === 'julia' && side.side === 'browser' ? atLeast(4) : null;
          if (ref && simd) add(`reference/simd (speed-up) · ${name} · ${where} · ${configName(simd)} · ${t} thr.`, ref.median_ms / simd.median_ms, goal);
        }
      }
    }
    if (threads.includes(1) && threads.includes(2)) {
      for (const [name, side] of measured) {
        for (const cfg of configs) {
          const t1 = one({ ...cfg, threads: 1, ...side }), t2 = one({ ...cfg, threads: 2, ...side });
          const goal = workload === 'julia' ? atLeast(0.9) : null;
          if (t1 && t2) add(`2-thread efficiency · ${name} · ${where} · ${configName(t1)}`, t1.median_ms / (2 * t2.median_ms), goal);
        }
      }
    }
  }
  peerRatios(rows.filter((r) => r.kind === 'peers'), add);
  limitRatios(rows.filter((r) => r.kind === 'limits'), rows, add);
  return out;
}

/** The native row beside `r` in its group: the same params, `threads` (default: the most). */
function partner(group, r, threads) {
  const natives = group.filter((x) => x.side === 'native' && key(x) === key(r));
  return threads ? natives.find((x) => x.threads === threads) : natives.sort((a, b) => b.threads - a.threads)[0];
}

function peerRatios(peers, add) {
  for (const r of peers.filter((x) => x.side !== 'native')) {
    const group = peers.filter((x) => x.workload === r.workload && x.case === r.case);
    const where = `${r.workload} · ${r.case}`;
    if (r.side === 'primesieve') {
      const n = partner(group, r, r.threads);
      const p = r.full ?? r.params;
      const goalCase = p.task === 'count' && ['1000000000', '10000000000'].includes(String(p.limit));
      if (n) add(`native/primesieve (time) · ${where} · ${r.threads} thr.`, n.median_ms / r.median_ms, goalCase ? atMost(0.9) : null);
      continue;
    }
    const n = partner(group, r);
    if (!n) continue;
    let goal = null;
    if (r.workload === 'julia' && r.side === 'cpython' && r.case.startsWith('Book')) goal = atLeast(600);
    if (r.workload === 'diffusion' && r.side === 'numpy' && r.case.startsWith('Book')) goal = atLeast(15);
    if (r.workload === 'pi' && r.side === 'numpy' && String((r.full ?? r.params).samples) === '10000000') goal = atLeast(20);
    const what = r.side === 'numpy' ? 'numpy (the book\'s best)' : 'CPython (the book\'s code)';
    add(`${what}/native best (speed-up) · ${where} · at ${describeParams(r.params)}`, r.median_ms / n.median_ms, goal);
  }
}

function limitRatios(limits, rows, add) {
  // Julia at 4 lanes and at the widest (8), 1 thread, natively: the wider vector's speed-up.
  for (const c of unique(limits.filter((x) => x.workload === 'julia').map((x) => x.case))) {
    const native = limits.filter((x) => x.workload === 'julia' && x.case === c && x.side === 'native' && x.variant === 'simd' && x.threads === 1);
    const four = native.find((x) => x.lanes === 4), widest = native.filter((x) => x.lanes > 4).sort((a, b) => b.lanes - a.lanes)[0];
    if (four && widest) add(`simd 4 lanes/simd ${widest.lanes} lanes (speed-up) · native · julia · ${c} · 1 thr.`, four.median_ms / widest.median_ms, atLeast(1.4));
  }
  for (const r of limits.filter((x) => x.side === 'limit')) {
    const group = limits.filter((x) => x.workload === r.workload && x.case === r.case);
    const where = `${r.workload} · ${r.case}`;
    if (r.variant === 'avx2-probe') {
      const n = group.find((x) => x.side === 'native' && x.threads === r.threads);
      if (n) add(`native widest/explicit-AVX2 probe (time) · ${where} · ${r.threads} thr.`, n.median_ms / r.median_ms, atMost(1));
    } else if (r.variant === 'copy') {
      const n = group.find((x) => x.side === 'native' && x.threads === r.threads);
      const p = n?.full ?? n?.params ?? {};
      const steps = p.steps ?? 500;
      const goal = p.width === 2048 ? atMost(0.6) : null;
      if (n) add(`native step/one copy of the grid (time) · ${where} · ${r.threads} thr.`, n.median_ms / steps / r.median_ms, goal);
    } else if (r.variant === 'peak-fp-rate') {
      const n = rows.filter((x) => x.kind === 'limits' && x.workload === r.workload && x.case === r.case && x.side === 'native')
        .sort((a, b) => a.median_ms - b.median_ms)[0];
      if (n) add(`native best/peak floating-point rate bound (time) · ${where}`, n.median_ms / r.median_ms);
    }
  }
}

/** `{ width: 1024, steps: 2 }` → "width 1024, steps 2". */
export function describeParams(params) {
  const bits = Object.entries(params).map(([k, v]) => `${k} ${v}`);
  return bits.length ? bits.join(', ') : 'the book\'s case';
}

/**
 * Which rows ran the same case (`fullKey(row)`: the params with every default filled in) and
 * whether their checksums agree: → { compared, mismatches, differing, own } where a mismatch
 * is a row whose policy is `same` (ours on every side, the probe, the book's diffusion and
 * primes, primesieve) and `differing` one whose policy is `warn` (the book's Julia tests
 * abs(z) < 2). `own` rows (numpy's order of operations, Python's random darts) are not compared.
 */
export function checksums(rows, fullKey) {
  const out = { compared: 0, mismatches: [], differing: [], own: [] };
  const byCase = new Map();
  for (const r of rows) {
    const k = `${r.workload}\u0000${fullKey(r)}`;
    if (!byCase.has(k)) byCase.set(k, []);
    byCase.get(k).push(r);
  }
  for (const group of byCase.values()) {
    const anchor = group.find((r) => r.side === 'native') ?? group.find((r) => r.checksum_policy === 'same');
    for (const r of group) {
      if (r.checksum_policy === 'own' || r.checksum === null) {
        if (r.checksum !== null) out.own.push(r);
        continue;
      }
      if (!anchor || r === anchor) continue;
      out.compared += 1;
      if (r.checksum !== anchor.checksum) (r.checksum_policy === 'warn' ? out.differing : out.mismatches).push({ row: r, expected: anchor.checksum });
    }
  }
  return out;
}
