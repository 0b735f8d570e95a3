// What `cargo xtask bench` measures, from the kernels' descriptions: every workload × case ×
// variant (reference, simd at 2 lanes, simd at the native widest) × threads (1, 2) × side, and
// for each case its peers and limit references. Cases: each task's book case (full) or each
// task's quick preset (`--quick`), plus, in a full run, the cases the performance goals name
// (diffusion 2048², π(10¹⁰); π's 10⁷ darts are its peers' scaled copy). A plan is a list of groups; the sides of one
// group are measured interleaved (tests/bench/measure.mjs).

import { fullParams } from '../../www/panel/fields.js';

/** The case with every default filled in: the page's own definition. */
export { fullParams };

/** A case's label: the preset of the same case (every field compared, defaults filled in),
 *  else its own fields. */
export function caseLabel(description, params) {
  const full = (p) => JSON.stringify(sorted(fullParams(description, p)));
  const preset = description.presets.find((p) => full(p.values) === full(params));
  if (preset) return preset.label;
  const bits = Object.entries(params).map(([k, v]) => `${k} ${v}`);
  return bits.length ? bits.join(', ') : 'the book\'s case';
}

function sorted(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** Units of work (per-unit times compare runs of different sizes): the page's own definition. */
export { workUnits as units } from '../../www/python/engine.js';

/** The cases of one workload: `[{ params, label, extra }]`; `extra` cases are the goals' own,
 *  measured only natively and against their peers and limits. */
export function casesOf(description, quick) {
  const task = description.fields.find((f) => f.name === 'task' && f.type === 'choice');
  const own = quick
    ? description.presets.filter((p) => p.quick).map((p) => p.values)
    : (task ? task.options.map((o) => ({ task: o.value })) : [{}]);
  const extras = quick ? [] : ({
    diffusion: [{ width: 2048, height: 2048, steps: 100 }],
    primes: [{ task: 'count', limit: '10000000000' }],
    pi: [],
  })[description.name] ?? [];
  return [...own.map((params) => ({ params, extra: false })), ...extras.map((params) => ({ params, extra: true }))]
    .map((c) => ({ ...c, label: caseLabel(description, c.params) }));
}

/** Scaled copies of a case for the slow peers, so a full run fits in minutes: at most
 *  `budget` units of work (diffusion: fewer steps; π: fewer darts; a range: its first numbers). */
function scaled(workload, full, budget) {
  if (workload === 'diffusion') {
    const steps = Math.max(1, Math.min(full.steps, Math.round(budget / (full.width * full.height))));
    return { width: full.width, height: full.height, steps };
  }
  if (workload === 'pi') return { samples: String(Math.min(Number(full.samples), budget)), seed: full.seed };
  if (workload === 'primes' && full.task === 'range') {
    return { task: 'range', start: full.start, end: String(Math.min(Number(full.end), Number(full.start) + budget)) };
  }
  return null;
}

/**
 * The plan: groups of measures `{ workload, case, kind: 'ours' | 'peers' | 'limits', calibrate,
 * measures: [{ side, engine?, variant, lanes, threads, params, run, checksum: 'same' | 'warn' | 'own' }] }`.
 * `sides`: the side functions present (native, server, cpython, numpy, primesieve, copy, probe:
 * absent ones are left out) and `browsers`, one function per engine (`{ chromium, firefox,
 * webkit }`: each a browser measure of its own, interleaved with the rest); `lanes`: the native
 * widest; `threads`: [1, 2] or [1].
 */
export function plan(descriptions, { quick, sides, lanes, threads }) {
  const groups = [];
  const best = Math.max(...threads);
  const browsers = Object.entries(sides.browsers ?? {}).filter(([, run]) => run);
  for (const d of descriptions) {
    for (const c of casesOf(d, quick)) {
      const full = fullParams(d, c.params);
      const group = (kind, measures) => {
        const present = measures.filter((m) => m.run);
        if (present.some((m) => m.side !== 'native')) {
          groups.push({ workload: d.name, case: c.label, params: c.params, kind, calibrate: true, measures: present });
        }
      };
      const m = (side, variant, lanesOf, t, params = c.params, checksum = 'same') =>
        ({ side, variant, lanes: lanesOf, threads: t, params, run: sides[side], checksum });
      const widest = lanes > 2 ? [{ variant: 'simd', lanes: undefined }] : [];
      if (!c.extra) {
        for (const config of [{ variant: 'reference' }, { variant: 'simd', lanes: 2 }, ...widest]) {
          for (const t of threads) {
            group('ours', [
              m('native', config.variant, config.lanes, t),
              m('server', config.variant, config.lanes, t),
              // The browser's widest is 2 lanes (simd128): its rows are the 2-lane ones.
              ...(config.variant === 'simd' && config.lanes === undefined ? []
                : browsers.map(([engine, run]) => ({ ...m('browser', config.variant, config.lanes, t), engine, run }))),
            ]);
          }
        }
      }
      // Peers and limits, each beside the native default (simd, widest, all threads) on the
      // same params, in the same group.
      const nativeBest = (params, t = best) => m('native', 'simd', undefined, t, params);
      if (d.name === 'julia') {
        group('peers', [nativeBest(c.params), m('cpython', 'book', null, 1, c.params, 'warn')]);
        // With 8 lanes, 4 lanes beside them at 1 thread: what the wider vector buys (issue 32:
        // ≥ 1.4×, lanes idle beside escaped pixels being what holds it back).
        group('limits', [...threads.flatMap((t) => [nativeBest(c.params, t), m('probe', 'avx2-probe', 4, t)]),
          ...(lanes >= 8 ? [m('native', 'simd', 4, 1)] : [])]);
      } else if (d.name === 'diffusion') {
        const py = scaled('diffusion', full, quick ? 3e5 : 2e6);
        // numpy takes seconds on the book's case, so a full run measures it there: both sides
        // then time the same steps, and ours includes its fixed cost per run (allocation and
        // the initial grid; the checksum is made after the clock stops) over 500 steps, not 95.
        const np = quick ? scaled('diffusion', full, 2e7) : c.params;
        if (!c.extra) {
          group('peers', [nativeBest(py), m('cpython', 'book', null, 1, py),
            ...(np.steps === py.steps ? [] : [nativeBest(np)]), m('numpy', 'numpy', null, 1, np, 'own')]);
        }
        group('limits', threads.flatMap((t) => [nativeBest(c.params, t), m('copy', 'copy', null, t, c.params, 'own')]));
      } else if (d.name === 'primes' && full.task === 'check') {
        group('peers', [nativeBest(c.params), m('cpython', 'book', null, 1)]);
      } else if (d.name === 'primes' && full.task === 'range') {
        const py = scaled('primes', full, 1e5);
        group('peers', [nativeBest(py), m('cpython', 'book', null, 1, py)]);
      } else if (d.name === 'primes' && full.task === 'count') {
        group('peers', threads.flatMap((t) => [nativeBest(c.params, t), m('primesieve', 'primesieve', null, t)]));
      } else if (d.name === 'pi') {
        const py = scaled('pi', full, quick ? 1e5 : 1e7);
        group('peers', [nativeBest(py), m('cpython', 'book', null, 1, py, 'own'), m('numpy', 'numpy', null, 1, py, 'own')]);
      }
    }
  }
  return groups;
}
