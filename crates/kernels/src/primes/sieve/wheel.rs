//! The mod-30 wheel: one byte of the sieve holds the 30 numbers `30·i .. 30·i + 29`, one bit for
//! each of the 8 residues coprime to 30, so multiples of 2, 3 and 5 take no space and no work.
//!
//! A sieving prime `p ≡ R[pi] (mod 30)`, `p = 30a + R[pi]`, crosses off `p·q` for multipliers
//! `q = 30j + R[k]` coprime to 30 (every other multiple is already gone). Writing out the product,
//! `p·q = 30·(j·p + a·R[k] + ⌊R[pi]·R[k] / 30⌋) + (R[pi]·R[k] mod 30)`: the byte moves by `p` per
//! turn of the wheel, and within a turn by amounts that depend only on `a` and the pair
//! `(pi, k)`. The tables below hold the parts that depend on `(pi, k)` alone.

/// The residues coprime to 30, in bit order: bit `k` of byte `i` stands for `30·i + RESIDUES[k]`.
pub(super) const RESIDUES: [u64; 8] = [1, 7, 11, 13, 17, 19, 23, 29];

/// `R[k+1] − R[k]`, the gap to the next multiplier, wrapping from 29 to 31.
const GAP: [u64; 8] = [6, 4, 2, 4, 2, 4, 6, 2];

/// The bit of a residue mod 30 (0 for residues that share a factor with 30).
pub(super) const BIT_OF: [u8; 30] = {
    let mut t = [0u8; 30];
    let mut k = 0;
    while k < 8 {
        t[RESIDUES[k] as usize] = 1 << k;
        k += 1;
    }
    t
};

/// For `r` in `0..30`: how far it is to the next residue coprime to 30 at or above `r` (which may
/// be 31), and that residue's index.
const NEXT_COPRIME: [(u8, u8); 30] = {
    let mut t = [(0u8, 0u8); 30];
    let mut r = 0;
    while r < 30 {
        let mut d = 0;
        while BIT_OF[(r + d) % 30] == 0 {
            d += 1;
        }
        t[r] = (d as u8, BIT_OF[(r + d) % 30].trailing_zeros() as u8);
        r += 1;
    }
    t
};

/// `⌊R[pi]·R[k] / 30⌋`: the part of the offset of multiplier `k` within a turn that does not
/// depend on `a`.
const CARRY: [[u64; 8]; 8] = {
    let mut t = [[0u64; 8]; 8];
    let mut pi = 0;
    while pi < 8 {
        let mut k = 0;
        while k < 8 {
            t[pi][k] = RESIDUES[pi] * RESIDUES[k] / 30;
            k += 1;
        }
        pi += 1;
    }
    t
};

/// The mask that clears the bit of `p·q` for `p ≡ R[pi]`, `q ≡ R[k]`.
const CLEAR: [[u8; 8]; 8] = {
    let mut t = [[0u8; 8]; 8];
    let mut pi = 0;
    while pi < 8 {
        let mut k = 0;
        while k < 8 {
            t[pi][k] = !BIT_OF[((RESIDUES[pi] * RESIDUES[k]) % 30) as usize];
            k += 1;
        }
        pi += 1;
    }
    t
};

/// A sieving prime and where its next multiple to cross off lies, in 8 bytes (the state every
/// worker keeps for every sieving prime, so it should stay small enough for L1/L2).
#[derive(Debug, Clone, Copy)]
pub(super) struct Multiple {
    /// Byte offset of the next multiple, relative to the start of the current block or segment.
    pub(super) next: u32,
    /// `a << 6 | pi << 3 | k`: `p = 30a + R[pi]`, and the next multiple is `p·q` with `q ≡ R[k]`.
    wheel: u32,
}

/// The offset of a multiple that lies past 2⁶⁴ − 1: far enough that no run reaches it (runs that
/// can meet one cover a window of a few MiB), near enough that adding a prime to it fits in a
/// 32-bit `usize` (wasm32).
const PARKED: u32 = 1 << 31;

/// Largest sieving prime a [`Multiple`] can hold: `a` must fit in 26 bits.
pub(super) const MAX_SIEVING_PRIME: u64 = (1 << 26) * 30 - 1;

impl Multiple {
    /// The first multiple `p·q ≥ max(p², 30·first_byte)` with `q` coprime to 30, as an offset from
    /// `first_byte`. `p` must be a prime in `7..=MAX_SIEVING_PRIME`, and `p² ≤ 30·(first_byte +
    /// len) − 1` for the segment of `len` bytes being sieved: then the offset is below `max(len,
    /// p)` (the multiple is `p²`, or less than `6p` past the segment's start). A multiple past
    /// 2⁶⁴ − 1, which no range reaches, is parked at offset [`PARKED`].
    pub(super) fn first(p: u64, first_byte: u64) -> Multiple {
        debug_assert!((7..=MAX_SIEVING_PRIME).contains(&p));
        let lo = first_byte.saturating_mul(30);
        let q0 = lo.div_ceil(p).max(p);
        let (d, k) = NEXT_COPRIME[(q0 % 30) as usize];
        let next = q0
            .checked_add(u64::from(d))
            .and_then(|q| q.checked_mul(p))
            .and_then(|m| u32::try_from(m / 30 - first_byte).ok())
            .map_or(PARKED, |next| next.min(PARKED));
        let pi = class_of(p) as u32;
        Multiple { next, wheel: ((p / 30) as u32) << 6 | pi << 3 | u32::from(k) }
    }

    /// The prime itself.
    #[cfg(test)]
    pub(super) fn prime(self) -> u64 {
        u64::from(self.wheel >> 6) * 30 + RESIDUES[((self.wheel >> 3) & 7) as usize]
    }
}

/// The multipliers coprime to 30 from `q0` on, in increasing order, up to 2⁶⁴.
pub(super) fn multipliers_from(q0: u64) -> impl Iterator<Item = u64> {
    let (d, k) = NEXT_COPRIME[(q0 % 30) as usize];
    let first = q0.checked_add(u64::from(d));
    let mut k = usize::from(k);
    std::iter::successors(first, move |&q| {
        let next = q.checked_add(GAP[k]);
        k = (k + 1) & 7;
        next
    })
}

/// Sieving primes split by residue class mod 30 (`pi`), each list ascending: the loop of one
/// class has its masks and carries as constants, and no per-prime dispatch. Measured at 10⁹
/// (cachegrind): a `match` on each prime's class instead is an indirect jump that is nearly
/// always mispredicted, 40 % more mispredicted branches in all.
pub(super) type ByClass<T> = [Vec<T>; 8];

/// The residue class `pi` of a prime `p ≥ 7` (`p ≡ RESIDUES[pi] mod 30`).
pub(super) fn class_of(p: u64) -> usize {
    BIT_OF[(p % 30) as usize].trailing_zeros() as usize
}

/// Crosses off, in `seg`, the multiples of every prime of `classes` from its next multiple on;
/// afterwards every `next` is relative to the byte after `seg`. Each loop iteration crosses a
/// whole turn of the wheel (8 multiples, `p` bytes) with the 8 offsets known: the loop that makes
/// a sieve fast when `p` is below the segment length, and correct for any `p`.
pub(super) fn cross(seg: &mut [u8], classes: &mut ByClass<Multiple>) {
    let [c0, c1, c2, c3, c4, c5, c6, c7] = classes;
    cross_class::<0>(seg, c0);
    cross_class::<1>(seg, c1);
    cross_class::<2>(seg, c2);
    cross_class::<3>(seg, c3);
    cross_class::<4>(seg, c4);
    cross_class::<5>(seg, c5);
    cross_class::<6>(seg, c6);
    cross_class::<7>(seg, c7);
}

/// [`cross`] for one prime of any class.
pub(super) fn cross_prime(seg: &mut [u8], m: &mut Multiple) {
    let class = std::slice::from_mut(m);
    match (class[0].wheel >> 3) & 7 {
        0 => cross_class::<0>(seg, class),
        1 => cross_class::<1>(seg, class),
        2 => cross_class::<2>(seg, class),
        3 => cross_class::<3>(seg, class),
        4 => cross_class::<4>(seg, class),
        5 => cross_class::<5>(seg, class),
        6 => cross_class::<6>(seg, class),
        _ => cross_class::<7>(seg, class),
    }
}

fn cross_class<const PI: usize>(seg: &mut [u8], primes: &mut [Multiple]) {
    for m in primes {
        debug_assert_eq!((m.wheel >> 3) & 7, PI as u32);
        cross_one::<PI>(seg, m);
    }
}

/// [`cross`] for one prime of residue class `PI`: the masks and carries are constants.
///
/// Positions are taken relative to the start of the current turn (its `k = 0` multiple), so the
/// partial turns at either end are unrolled checks with constant masks, not table-driven steps
/// from one multiple to the next (the steps cost more instructions and more mispredicted
/// branches under cachegrind: docs/bench.md, "The figures behind the kernels' constants").
#[inline(always)]
fn cross_one<const PI: usize>(block: &mut [u8], m: &mut Multiple) {
    let len = block.len();
    let a = (m.wheel >> 6) as usize;
    let k = (m.wheel & 7) as usize;
    let p = 30 * a + RESIDUES[PI] as usize;
    let off = |k: usize| a * (RESIDUES[k] as usize - 1) + CARRY[PI][k] as usize;
    let o = [0, off(1), off(2), off(3), off(4), off(5), off(6), off(7)];
    // The start of the turn holding the next multiple; "negative" (wrapped) when that turn began
    // in an earlier block, and every position computed from it is then back in range.
    let mut turn = (m.next as usize).wrapping_sub(o[k]);
    let mut save = |j: usize, k: usize| {
        m.next = (j - len) as u32;
        m.wheel = (m.wheel & !7) | k as u32;
    };
    if k != 0 {
        macro_rules! rest_of_turn {
            ($($kk:literal)*) => {$(
                if k <= $kk {
                    let j = turn.wrapping_add(o[$kk]);
                    if j >= len {
                        return save(j, $kk);
                    }
                    block[j] &= CLEAR[PI][$kk];
                }
            )*};
        }
        rest_of_turn!(1 2 3 4 5 6 7);
        turn = turn.wrapping_add(p);
    }
    let [_, o1, o2, o3, o4, o5, o6, o7] = o;
    debug_assert!(o1 <= o2 && o2 <= o3 && o3 <= o4 && o4 <= o5 && o5 <= o6 && o6 <= o7);
    let base = block.as_mut_ptr();
    while turn + o7 < len {
        // SAFETY: the offsets grow with k (each is `a·(R[k] − 1) + ⌊R[pi]·R[k] / 30⌋`, and both
        // terms grow with R[k]), so every index is at most `turn + o7 < len`. Bounds checks
        // here also spill the offsets to the stack (their cost: docs/bench.md, "The figures
        // behind the kernels' constants").
        unsafe {
            *base.add(turn) &= CLEAR[PI][0];
            *base.add(turn + o1) &= CLEAR[PI][1];
            *base.add(turn + o2) &= CLEAR[PI][2];
            *base.add(turn + o3) &= CLEAR[PI][3];
            *base.add(turn + o4) &= CLEAR[PI][4];
            *base.add(turn + o5) &= CLEAR[PI][5];
            *base.add(turn + o6) &= CLEAR[PI][6];
            *base.add(turn + o7) &= CLEAR[PI][7];
        }
        turn += p;
    }
    // The last, partial turn: the multiple at o7 is past the end.
    macro_rules! last_turn {
        ($($kk:literal)*) => {$(
            let j = turn + o[$kk];
            if j >= len {
                return save(j, $kk);
            }
            block[j] &= CLEAR[PI][$kk];
        )*};
    }
    last_turn!(0 1 2 3 4 5 6);
    save(turn + o7, 7);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every crossing lands on a multiple of `p` coprime to 30, in increasing order, without
    /// skipping one: checked against the multiples listed directly.
    #[test]
    fn crossings_are_exactly_the_wheel_multiples() {
        for p in [7u64, 11, 13, 17, 19, 23, 29, 31, 37, 61, 97, 331, 1009, 4093] {
            for (first_byte, len) in [(0u64, 3000usize), (1, 2999), (p * p / 30, 50), (12345, 4000)] {
                let mut small = vec![0xFFu8; len];
                let mut large = vec![0xFFu8; len];
                let mut m1 = Multiple::first(p, first_byte);
                assert_eq!(m1.prime(), p);
                let mut m2 = m1;
                cross_prime(&mut small[..len / 3], &mut m1);
                cross_prime(&mut small[len / 3..], &mut m1);
                cross_prime(&mut large, &mut m2);
                let lo = (first_byte * 30).max(p * p);
                let hi = (first_byte + len as u64) * 30;
                let mut want = vec![0xFFu8; len];
                let mut n = lo.div_ceil(p) * p;
                while n < hi {
                    let bit = BIT_OF[(n % 30) as usize];
                    if bit != 0 {
                        want[(n / 30 - first_byte) as usize] &= !bit;
                    }
                    n += p;
                }
                assert_eq!(small, want, "small p={p} first_byte={first_byte}");
                assert_eq!(large, want, "large p={p} first_byte={first_byte}");
            }
        }
    }
}
