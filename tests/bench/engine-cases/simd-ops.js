// A minimal case for engine authors (issue 32, "every engine"): how much a 64-bit lane multiply
// of WebAssembly SIMD — and each other operation of Parallax's π kernel — costs against a
// 64-bit float multiply, in any engine, with nothing of Parallax in it. Plain script: paste it into a page's console, run it in a JS shell (`d8`,
// `jsc`, `js`: it prints), or load it as Parallax's runner does (tests/bench/engine-cases.mjs).
//
// Each kernel is one exported function `(n: i32) → i64` built here byte by byte: four
// independent v128 accumulators, each `a = op(a, b)` once per iteration, so the loop measures
// the operation's throughput, not its latency. The ops:
// - `f64x2.mul`: one `mulpd` on x86 in every engine (the yardstick);
// - `i64x2.mul`: no x86 instruction below AVX-512 (V8 lowers it to three `pmuludq`, shifts and
//   adds);
// - `i64x2.extmul_low_i32x4_u`: the 32 × 32 → 64-bit product, one `pmuludq` after a shuffle;
// - the other operations of Parallax's π kernel in WebAssembly (its Philox rounds multiply
//   by `extmul` and join the words by shifts, shuffles and xors; its conversion to f64 adds).
// Trial division's setup and Miller–Rabin use `i64x2.mul`; π and trial division's columns
// `extmul`.
'use strict';

function simdOpCases(iterations) {
  const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
  const simd = (op) => [0xfd, ...leb(op)];
  // Each op: its bytes after the accumulator (and `b`, for the binary ones) are on the stack.
  const HIGH_WORDS = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];
  const OPS = {
    'f64x2.mul': { code: simd(242), binary: true },
    'i64x2.mul': { code: simd(213), binary: true },
    'i64x2.extmul_low_i32x4_u': { code: simd(222), binary: true },
    // The rest of what π's Philox rounds and its conversion to f64 are made of.
    'v128.xor': { code: [0xfd, 81], binary: true },
    'i64x2.shr_u 32': { code: [0x41, 32, ...simd(205)], binary: false },
    'i64x2.extend_low_i32x4_u': { code: simd(201), binary: false },
    'i8x16.shuffle (high words)': { code: [...simd(13), ...HIGH_WORDS], binary: true },
    'f64x2.add': { code: simd(240), binary: true },
  };
  const v128 = (lanes) => {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    lanes.forEach((x, i) => (typeof x === 'bigint' ? view.setBigUint64(i * 8, x, true) : view.setFloat64(i * 8, x, true)));
    return [...simd(12), ...bytes];
  };
  const moduleFor = (op) => {
    const isFloat = op.startsWith('f64');
    const { code: opCode, binary } = OPS[op];
    const start = (i) => (isFloat ? [1 + i / 8, 1.5] : [BigInt(3 + 2 * i) | (BigInt(7 + i) << 32n), 5n | (11n << 32n)]);
    const code = [];
    for (let i = 0; i < 4; i++) code.push(...v128(start(i)), 0x21, 1 + i); // local.set a_i
    code.push(...v128(isFloat ? [1.0000001, 0.9999999] : [0x9e3779b1n | (13n << 32n), 0x85ebca6bn | (17n << 32n)]), 0x21, 5); // b
    code.push(0x02, 0x40, 0x03, 0x40); // block, loop
    for (let i = 0; i < 4; i++) code.push(0x20, 1 + i, ...(binary ? [0x20, 5] : []), ...opCode, 0x21, 1 + i);
    code.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x0b); // n -= 1; br_if loop; end end
    code.push(0x20, 1); // a0 + a1 + a2 + a3, lane 0
    for (let i = 1; i < 4; i++) code.push(0x20, 1 + i, ...simd(206));
    code.push(...simd(29), 0, 0x0b);
    const body = [1, 5, 0x7b, ...code]; // five v128 locals after the i32 parameter
    const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
    const name = [...'run'].map((c) => c.charCodeAt(0));
    return new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7e]),
      ...section(3, [1, 0]),
      ...section(7, [1, name.length, ...name, 0, 0]),
      ...section(10, [1, ...leb(body.length), ...body]),
    ]);
  };
  const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();
  const results = [];
  for (const op of Object.keys(OPS)) {
    const run = new WebAssembly.Instance(new WebAssembly.Module(moduleFor(op))).exports.run;
    run(1000); // compiled by the optimising tier before it is timed, where the engine tiers up
    const times = [];
    let value;
    for (let r = 0; r < 5; r++) {
      const t0 = now();
      value = run(iterations);
      times.push(now() - t0);
    }
    times.sort((a, b) => a - b);
    const ms = times[2];
    results.push({ op, ns_per_op: (ms * 1e6) / (iterations * 4), lane0: String(BigInt.asUintN(64, value)) });
  }
  const yardstick = results[0].ns_per_op;
  for (const r of results) r.vs_f64x2_mul = r.ns_per_op / yardstick;
  return results;
}

globalThis.simdOpCases = simdOpCases;
if (typeof window === 'undefined' && typeof print === 'function') print(JSON.stringify(simdOpCases(2e7), null, 1));
