// Monte Carlo π on the GPU (WebGPU), bit-identical to the kernels (docs/workloads.md §4).
//
// Dart i of seed s is Philox4x32-10 of counter (i mod 2³², ⌊i / 2³²⌋, 0, 0) under key
// (s mod 2³², ⌊s / 2³²⌋), exactly as `philox.rs`. WGSL has neither a 32×32 → 64-bit product nor
// f64, so both are built from u32 arithmetic here:
// - the product from four 16 × 16 → 32-bit products (`mul_wide`);
// - the test `x*x + y*y <= 1.0` in f64 on x = X·2⁻⁵³, y = Y·2⁻⁵³ (X, Y < 2⁵³) as integers:
//   fl(x²) = rne53(X²)·2⁻¹⁰⁶ (squaring a 53-bit integer is exact in 106 bits, a power-of-two
//   scale is exact in f64), and fl(a + b) ≤ 1 exactly when a + b ≤ 2¹⁰⁶ + 2⁵³: that is the
//   midpoint between 1 and the next double, 1 + 2⁻⁵², and a tie rounds to 1 (the even one).
//   An integer circle test (X² + Y² ≤ 2¹⁰⁶) would give another verdict to darts on the
//   boundary's rounding.
// 128-bit values are vec4<u32>, least significant word first.

struct Params {
    seed_lo: u32,
    seed_hi: u32,
    // The first dart of this dispatch, as two words (darts go past 2³²).
    start_lo: u32,
    start_hi: u32,
    // Darts in this dispatch (≤ invocations × DARTS_PER_INVOCATION).
    count: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
// One counter per dispatch of a submission: each workgroup adds its darts inside.
@group(0) @binding(1) var<storage, read_write> inside: atomic<u32>;

const WORKGROUP: u32 = 64u;
// Consecutive darts per invocation: enough work per thread to pay for the reduction.
const DARTS_PER_INVOCATION: u32 = 16u;

var<workgroup> group_inside: atomic<u32>;

// (low, high) words of the 64-bit product a × b.
fn mul_wide(a: u32, b: u32) -> vec2<u32> {
    let al = a & 0xffffu;
    let ah = a >> 16u;
    let bl = b & 0xffffu;
    let bh = b >> 16u;
    let ll = al * bl;
    let lh = al * bh;
    let hl = ah * bl;
    let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
    return vec2<u32>(a * b, ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u));
}

fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
    var c = counter;
    var k = key;
    for (var r = 0u; r < 10u; r++) {
        let p0 = mul_wide(0xD2511F53u, c.x);
        let p1 = mul_wide(0xCD9E8D57u, c.z);
        c = vec4<u32>(p1.y ^ c.y ^ k.x, p1.x, p0.y ^ c.w ^ k.y, p0.x);
        k += vec2<u32>(0x9E3779B9u, 0xBB67AE85u);
    }
    return c;
}

fn add128(a: vec4<u32>, b: vec4<u32>) -> vec4<u32> {
    var r = vec4<u32>(0u);
    var carry = 0u;
    for (var i = 0u; i < 4u; i++) {
        let s = a[i] + b[i];
        let t = s + carry;
        carry = select(0u, 1u, s < a[i]) + select(0u, 1u, t < s);
        r[i] = t;
    }
    return r;
}

fn sub128(a: vec4<u32>, b: vec4<u32>) -> vec4<u32> {
    var r = vec4<u32>(0u);
    var borrow = 0u;
    for (var i = 0u; i < 4u; i++) {
        let d = a[i] - b[i];
        let t = d - borrow;
        borrow = select(0u, 1u, a[i] < b[i]) + select(0u, 1u, d < borrow);
        r[i] = t;
    }
    return r;
}

// -1, 0 or 1 as a <, =, > b.
fn cmp128(a: vec4<u32>, b: vec4<u32>) -> i32 {
    for (var i = 3; i >= 0; i--) {
        if a[i] != b[i] {
            return select(-1, 1, a[i] > b[i]);
        }
    }
    return 0;
}

// a >> s, s < 128. (A WGSL shift takes its amount mod 32, so a word shift by 0 is kept apart.)
fn shr128(a: vec4<u32>, s: u32) -> vec4<u32> {
    let words = s / 32u;
    let bits = s % 32u;
    var r = vec4<u32>(0u);
    for (var i = 0u; i + words < 4u; i++) {
        var w = a[i + words] >> bits;
        if bits != 0u && i + words + 1u < 4u {
            w |= a[i + words + 1u] << (32u - bits);
        }
        r[i] = w;
    }
    return r;
}

// a << s, s < 128, bits shifted past 128 lost.
fn shl128(a: vec4<u32>, s: u32) -> vec4<u32> {
    let words = s / 32u;
    let bits = s % 32u;
    var r = vec4<u32>(0u);
    for (var i = words; i < 4u; i++) {
        var w = a[i - words] << bits;
        if bits != 0u && i > words {
            w |= a[i - words - 1u] >> (32u - bits);
        }
        r[i] = w;
    }
    return r;
}

fn bit_length(a: vec4<u32>) -> u32 {
    for (var i = 3; i >= 0; i--) {
        if a[i] != 0u {
            return u32(i) * 32u + 32u - countLeadingZeros(a[i]);
        }
    }
    return 0u;
}

// a rounded to 53 significant bits, ties to even: what an f64 keeps of it.
fn round53(a: vec4<u32>) -> vec4<u32> {
    let length = bit_length(a);
    if length <= 53u {
        return a;
    }
    let s = length - 53u;
    let kept = shr128(a, s);
    let truncated = shl128(kept, s);
    let order = cmp128(sub128(a, truncated), shl128(vec4<u32>(1u, 0u, 0u, 0u), s - 1u));
    if order > 0 || (order == 0 && (kept.x & 1u) == 1u) {
        return shl128(add128(kept, vec4<u32>(1u, 0u, 0u, 0u)), s);
    }
    return truncated;
}

// X², X < 2⁵³ given as its high 21 bits and low 32 bits: exact, in 106 bits.
fn square53(high: u32, low: u32) -> vec4<u32> {
    let ll = mul_wide(low, low);
    let hl = mul_wide(high, low);
    let hh = mul_wide(high, high);
    // 2·high·low < 2⁵⁴, at 2³².
    let cross = vec4<u32>(0u, hl.x << 1u, (hl.y << 1u) | (hl.x >> 31u), 0u);
    return add128(vec4<u32>(ll.x, ll.y, hh.x, hh.y), cross);
}

// 2¹⁰⁶ + 2⁵³: the largest exact sum that f64 rounds to ≤ 1 (scaled by 2¹⁰⁶).
const LIMIT = vec4<u32>(0u, 0x00200000u, 0u, 0x00000400u);

fn dart_inside(index_lo: u32, index_hi: u32) -> bool {
    let w = philox4x32_10(vec4<u32>(index_lo, index_hi, 0u, 0u), vec2<u32>(params.seed_lo, params.seed_hi));
    // X = ((w0 << 32) | w1) >> 11: its high 21 bits and low 32 bits.
    let x2 = round53(square53(w.x >> 11u, (w.x << 21u) | (w.y >> 11u)));
    let y2 = round53(square53(w.z >> 11u, (w.z << 21u) | (w.w >> 11u)));
    return cmp128(add128(x2, y2), LIMIT) <= 0;
}

@compute @workgroup_size(WORKGROUP)
fn count_inside(@builtin(global_invocation_id) id: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    if local == 0u {
        atomicStore(&group_inside, 0u);
    }
    workgroupBarrier();
    var n = 0u;
    let first = id.x * DARTS_PER_INVOCATION;
    for (var k = 0u; k < DARTS_PER_INVOCATION; k++) {
        let offset = first + k;
        if offset < params.count {
            let lo = params.start_lo + offset;
            let hi = params.start_hi + select(0u, 1u, lo < offset);
            n += select(0u, 1u, dart_inside(lo, hi));
        }
    }
    atomicAdd(&group_inside, n);
    workgroupBarrier();
    if local == 0u {
        atomicAdd(&inside, atomicLoad(&group_inside));
    }
}
