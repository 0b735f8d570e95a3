// The minimal engine cases (bench/engine-cases/) compute what their operations mean: the
// modules they build by hand validate, and each kernel's lane 0 after n iterations equals the
// same arithmetic done in BigInt (64-bit lanes) and in JavaScript's doubles, here in Node's V8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

(0, eval)(readFileSync(new URL('../bench/engine-cases/i64x2-mul.js', import.meta.url), 'utf8'));

const M64 = (1n << 64n) - 1n;
const bits = (x) => new BigUint64Array(new Float64Array([x]).buffer)[0];

/** Lane 0 of a0 + a1 + a2 + a3 (an i64x2.add, so doubles are summed as their bits). */
function expected(op, n) {
  let sum = 0n;
  for (let i = 0; i < 4; i++) {
    if (op === 'f64x2.mul') {
      let a = 1 + i / 8;
      for (let k = 0; k < n; k++) a *= 1.0000001;
      sum += bits(a);
    } else {
      let a = BigInt(3 + 2 * i);
      for (let k = 0; k < n; k++) a = op === 'i64x2.mul' ? (a * 0x9e3779b1n) & M64 : (a & 0xffffffffn) * 0x9e3779b1n;
      sum += a;
    }
  }
  return String(sum & M64);
}

test('each kernel of the i64x2 case computes its operation', () => {
  const n = 777;
  const rows = globalThis.i64x2Cases(n);
  assert.deepEqual(rows.map((r) => r.op), ['f64x2.mul', 'i64x2.mul', 'i64x2.extmul_low_i32x4_u']);
  for (const r of rows) {
    assert.equal(r.lane0, expected(r.op, n), r.op);
    assert.ok(r.ns_per_op > 0 && Number.isFinite(r.ns_per_op), `${r.op}: a time per operation`);
  }
  assert.equal(rows[0].vs_f64x2_mul, 1);
});
