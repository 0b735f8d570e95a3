// The minimal engine cases (bench/engine-cases/) compute what their operations mean: the
// modules they build by hand validate, and each kernel's lane 0 after n iterations equals the
// same arithmetic done in BigInt (64-bit lanes) and in JavaScript's doubles, here in Node's V8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

(0, eval)(readFileSync(new URL('../bench/engine-cases/simd-ops.js', import.meta.url), 'utf8'));

const M64 = (1n << 64n) - 1n;
const bits = (x) => new BigUint64Array(new Float64Array([x]).buffer)[0];

const lo = (x) => x & 0xffffffffn;
const hi = (x) => x >> 32n;
/** Each op on a pair of 64-bit lanes `a` (and the constant pair `b`), as the spec defines it. */
const STEP = {
  'i64x2.mul': (a, b) => [(a[0] * b[0]) & M64, (a[1] * b[1]) & M64],
  'i64x2.extmul_low_i32x4_u': (a, b) => [lo(a[0]) * lo(b[0]), hi(a[0]) * hi(b[0])],
  'v128.xor': (a, b) => [a[0] ^ b[0], a[1] ^ b[1]],
  'i64x2.shr_u 32': (a) => [hi(a[0]), hi(a[1])],
  'i64x2.extend_low_i32x4_u': (a) => [lo(a[0]), hi(a[0])],
  'i8x16.shuffle (high words)': (a, b) => [hi(a[0]) | (hi(a[1]) << 32n), hi(b[0]) | (hi(b[1]) << 32n)],
};

/** Lane 0 of a0 + a1 + a2 + a3 (an i64x2.add, so doubles are summed as their bits). */
function expected(op, n) {
  let sum = 0n;
  for (let i = 0; i < 4; i++) {
    if (op.startsWith('f64x2')) {
      let a = 1 + i / 8;
      for (let k = 0; k < n; k++) a = op === 'f64x2.mul' ? a * 1.0000001 : a + 1.0000001;
      sum += bits(a);
    } else {
      let a = [BigInt(3 + 2 * i) | (BigInt(7 + i) << 32n), 5n | (11n << 32n)];
      for (let k = 0; k < n; k++) a = STEP[op](a, [0x9e3779b1n | (13n << 32n), 0x85ebca6bn | (17n << 32n)]);
      sum += a[0];
    }
  }
  return String(sum & M64);
}

test('each kernel of the engine case computes its operation', () => {
  const n = 777;
  const rows = globalThis.simdOpCases(n);
  assert.deepEqual(rows.map((r) => r.op), ['f64x2.mul', 'i64x2.mul', 'i64x2.extmul_low_i32x4_u', 'v128.xor',
    'i64x2.shr_u 32', 'i64x2.extend_low_i32x4_u', 'i8x16.shuffle (high words)', 'f64x2.add']);
  for (const r of rows) {
    assert.equal(r.lane0, expected(r.op, n), r.op);
    assert.ok(r.ns_per_op > 0 && Number.isFinite(r.ns_per_op), `${r.op}: a time per operation`);
  }
  assert.equal(rows[0].vs_f64x2_mul, 1);
});
