// The sides `cargo xtask bench` measures, each a function spec → Promise<{ ms, checksum, … }>
// where `ms` is the kernel's time per repetition as that side measures it:
// - native: the kernels in-process (crates/bench: `parallax-bench`, one JSON line per run),
// - server: the release server over HTTP (its `kernel_ms`; the round trip and queue kept too),
// - browser: the wasm module in one browser engine's tab through `window.parallax.run` (a side
//   per engine: tests/engines/drivers.mjs),
// - cpython / numpy: the repository's book Python (www/python/<workload>.py) on CPython,
// - primesieve: the Debian package's command, its own printed time,
// - limit: the references in parallax-bench (a grid copy, the explicit-AVX2 Julia probe).
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../e2e/harness.mjs';

const run = promisify(execFile);

/** The longest any one call of a side may take: far over the slowest (the book's Julia on
 *  CPython, ≈ 3 s), so only a hang reaches it. */
const CALL_TIMEOUT_MS = 300_000;

/** `promise`, or a failure naming `what` after `ms`. */
function bounded(promise, what, ms = CALL_TIMEOUT_MS) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** An error that is the kernels refusing the request (a task a variant does not take): the
 *  harness skips that measure; any other error fails the run. */
function refusal(message, field) {
  return Object.assign(new Error(message), { refusal: true, field });
}

/** Starts `parallax-bench`; resolves to { ask(request) → answer, stop() }. */
export function startNative(bin = join(ROOT, 'target', 'release', 'parallax-bench')) {
  const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  let gone = null;
  const failAll = (e) => { gone ??= e; for (const w of waiting.splice(0)) w.reject(e); };
  createInterface({ input: child.stdout }).on('line', (line) => {
    const w = waiting.shift();
    try {
      w?.resolve(JSON.parse(line));
    } catch {
      w?.reject(new Error(`parallax-bench printed ${JSON.stringify(line.slice(0, 200))}`));
    }
  });
  const exited = new Promise((done) => child.once('exit', (code) => {
    failAll(new Error(`parallax-bench exited with ${code}`));
    done(code);
  }));
  child.on('error', failAll);
  child.stdin.on('error', failAll);
  const ask = (request) => {
    if (gone) return Promise.reject(gone);
    const answer = new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });
    return bounded(answer, `parallax-bench ${request.op} ${request.workload ?? ''}`).then((a) => {
      if (a.error) throw a.refusal ? refusal(a.error, a.field) : new Error(a.error);
      return a;
    });
  };
  return { ask, stop: () => { child.stdin.end(); return exited; } };
}

/** The request body both native fronts take: the params plus the exec fields. */
function body(spec) {
  const { variant, threads, lanes, repeat } = spec;
  return { ...spec.params, variant, threads, ...(lanes ? { lanes } : {}), repeat: repeat ?? 1 };
}

export function nativeSide(native) {
  return async (spec) => {
    const a = await native.ask({ op: 'run', workload: spec.workload, request: body(spec) });
    return { ms: a.kernel_ms, checksum: a.checksum, lanes: a.lanes };
  };
}

export function serverSide(url) {
  return async (spec) => {
    const started = performance.now();
    const res = await fetch(`${url}/api/${spec.workload}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(spec)),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const a = await res.json().catch(() => ({}));
    const round = performance.now() - started;
    if (!res.ok) {
      const message = a.error?.message ?? `HTTP ${res.status}`;
      // 400 and 422 are the kernels' refusals (docs/api.md); 503, 504 and the rest are failures.
      throw [400, 422].includes(res.status) ? refusal(message, a.error?.field) : new Error(`server: ${message}`);
    }
    // What a call costs beyond its kernel: queue, encoding, the network, fetch itself.
    const overhead = round - a.kernel_ms * (spec.repeat ?? 1);
    return { ms: a.kernel_ms, checksum: a.checksum, lanes: a.lanes, round_trip_ms: round, overhead_ms: overhead, queue_ms: a.queue_ms };
  };
}

/** The kernels' refusals in the browser (the module's `{ kind }`); `cancelled` and `error` fail. */
const REFUSED = new Set(['malformed', 'shape', 'range']);

/** `tab`: a page in one engine (tests/engines/drivers.mjs's Tab). */
export function browserSide(tab) {
  return async (spec) => {
    const a = await bounded(tab.evaluate(async (s) => {
      try {
        return await window.parallax.run(s);
      } catch (e) {
        return { error: e?.message ?? String(e), kind: e?.kind ?? null, field: e?.field ?? null };
      }
    }, { side: 'browser', workload: spec.workload, params: spec.params, variant: spec.variant,
      threads: spec.threads, lanes: spec.lanes, repeat: spec.repeat ?? 1 }), `browser ${tab.engine} ${spec.workload}`);
    if (a.error) throw REFUSED.has(a.kind) ? refusal(a.error, a.field) : new Error(`browser ${tab.engine}: ${a.error}`);
    return { ms: a.kernel_ms, checksum: a.checksum, lanes: a.lanes };
  };
}

/** The book's Python for `spec.workload` on `python`, given every field (`defaults`: each
 *  workload's, from its description); `numpy`: its numpy version. */
export function pythonSide(python, defaults, { numpy = false } = {}) {
  return async (spec) => {
    const file = join(ROOT, 'www', 'python', `${spec.workload}.py`);
    const args = [file, ...(numpy ? ['--numpy'] : []), JSON.stringify({ ...defaults[spec.workload], ...spec.params })];
    const { stdout } = await run(python, args, { maxBuffer: 1 << 20, timeout: CALL_TIMEOUT_MS });
    const a = JSON.parse(stdout.trim().split('\n').pop());
    return { ms: a.kernel_ms, checksum: a.checksum };
  };
}

/** π(limit) by `primesieve` on `spec.threads` threads; its time is the one it prints (1 ms
 *  resolution), which leaves out process start-up, like ours. */
export function primesieveSide(defaults) {
  return async (spec) => {
    const limit = spec.params.limit ?? defaults.primes.limit;
    const { stdout } = await run('primesieve', [String(limit), `-t${spec.threads}`, '--time', '-q'],
      { timeout: CALL_TIMEOUT_MS });
    const seconds = Number(stdout.match(/Seconds:\s*([\d.]+)/)?.[1]);
    const count = stdout.trim().split('\n').pop().trim();
    if (!Number.isFinite(seconds) || !/^\d+$/.test(count)) throw new Error(`primesieve printed ${JSON.stringify(stdout)}`);
    return { ms: seconds * 1e3, checksum: count };
  };
}

/** One copy of the diffusion grid (`spec.params`' width × height cells) on `spec.threads`. */
export function copySide(native, defaults) {
  return async (spec) => {
    const { width, height } = { ...defaults.diffusion, ...spec.params };
    const a = await native.ask({ op: 'copy', cells: width * height, threads: spec.threads });
    return { ms: a.kernel_ms, checksum: null };
  };
}

/** The explicit-AVX2 Julia probe on `spec.threads`. */
export function juliaProbeSide(native, defaults) {
  return async (spec) => {
    const a = await native.ask({ op: 'julia_avx2', params: { ...defaults.julia, ...spec.params }, threads: spec.threads });
    return { ms: a.kernel_ms, checksum: a.checksum };
  };
}

/** The first line a command prints (its version), or null when it does not run. */
export async function versionOf(command, args) {
  try {
    const { stdout, stderr } = await run(command, args, { timeout: 20_000 });
    return (stdout || stderr).trim().split('\n')[0];
  } catch {
    return null;
  }
}
