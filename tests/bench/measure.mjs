// How one group of the plan is measured: every side once cold (kept apart; the first side's
// cold run also sets the repeat, so kernels shorter than `targetMs` are repeated inside each
// timed call), then `n` rounds of A B C A B C …, so every side sees the same machine state.
// In a peer group our sides are warmed before each timed call (`warmMs`): a peer runs for
// seconds on one core, and a machine of this kind then needs ≈ 50–100 ms of work before a
// 2-thread kernel of a few ms runs at its own speed again (docs/bench.md, "Warming up").
import { median } from '../../www/compare/stats.js';
// The page's comparison picks its repeat the same way.
import { repeatFor } from '../../www/compare/protocol.js';

const REPEATS = new Set(['native', 'server', 'browser']);
/** The report's side of each measured side: the references are all `limit`. */
const ROW_SIDE = { copy: 'limit', probe: 'limit' };

/**
 * Measures `group` → { rows, skipped }. A side the kernels refuse on its cold run (a task a
 * variant does not take: an error marked `refusal` by tests/bench/sides.mjs) is skipped with
 * the kernels' words; any other failure, cold or not, or a side whose checksum changes between
 * its runs, throws.
 */
export async function measureGroup(group, { n, targetMs = 20, warmMs = 100, onRun = () => {} }) {
  const states = group.measures.map((m) => ({ m, cold: null, answers: [] }));
  const skipped = [];
  let repeat = 1;
  for (const [i, s] of states.entries()) {
    const spec = specOf(group, s.m, REPEATS.has(s.m.side) ? repeat : 1);
    try {
      s.cold = await s.m.run(spec);
    } catch (e) {
      if (!e?.refusal) throw new Error(`${group.workload} ${group.case} ${sideName(s.m)} ${s.m.variant} ${s.m.threads} thr.: ${e?.message ?? e}`, { cause: e });
      skipped.push({ workload: group.workload, case: group.case, side: s.m.side, ...(s.m.engine ? { engine: s.m.engine } : {}),
        variant: s.m.variant, threads: s.m.threads, why: e.message });
      continue;
    }
    if (i === 0 && group.calibrate) repeat = repeatFor(s.cold.ms, targetMs);
    s.repeat = spec.repeat;
  }
  const live = states.filter((s) => s.cold);
  // The first side ran cold at repeat 1 to set the repeat: its samples use the repeat too.
  for (const s of live) if (REPEATS.has(s.m.side)) s.repeat = repeat;
  for (let round = 0; round < n; round++) {
    for (const s of live) {
      if (group.kind === 'peers' && REPEATS.has(s.m.side)) await warm(group, s, warmMs);
      const a = await s.m.run(specOf(group, s.m, s.repeat));
      if (a.checksum !== s.cold.checksum) {
        throw new Error(`${group.workload} ${group.case} ${sideName(s.m)}: checksum ${a.checksum} after ${s.cold.checksum}`);
      }
      s.answers.push(a);
      onRun();
    }
  }
  const rows = live.map((s) => row(group, s));
  return { rows, skipped };
}

/** Untimed calls of a side until `ms` have passed (at least one), their answers dropped. */
async function warm(group, s, ms) {
  const until = performance.now() + ms;
  do await s.m.run(specOf(group, s.m, 1));
  while (performance.now() < until);
}

/** A measure's side as logs name it: "browser firefox" for a browser engine's. */
export function sideName(m) {
  return m.engine ? `${m.side} ${m.engine}` : m.side;
}

function specOf(group, m, repeat) {
  return { workload: group.workload, params: m.params, variant: m.variant, threads: m.threads, lanes: m.lanes, repeat };
}

function row(group, { m, cold, answers, repeat }) {
  const ms = answers.map((a) => a.ms);
  const out = {
    workload: group.workload, case: group.case, kind: group.kind, params: m.params,
    variant: m.variant, lanes: answers[0]?.lanes ?? m.lanes ?? null, threads: m.threads, side: ROW_SIDE[m.side] ?? m.side,
    ...(m.engine ? { engine: m.engine } : {}),
    median_ms: median(ms), min_ms: Math.min(...ms), max_ms: Math.max(...ms), n: ms.length,
    checksum: cold.checksum, checksum_policy: m.checksum, cold_ms: cold.ms, repeat: REPEATS.has(m.side) ? repeat : 1,
  };
  if (m.side === 'server') {
    out.round_trip_ms = median(answers.map((a) => a.round_trip_ms));
    out.overhead_ms = median(answers.map((a) => a.overhead_ms));
    out.queue_ms = median(answers.map((a) => a.queue_ms));
  }
  return out;
}
