//! The reference count: a segmented sieve of Eratosthenes over odd numbers, one byte per
//! number, one thread. Written to be obviously right, it is the oracle of the fast sieve's tests.

use crate::{Control, Error};

/// Odd numbers per segment (64 KiB of flags).
const SEGMENT: u64 = 1 << 16;

/// The odd primes `≤ n`, by the plain sieve; flag `j` stands for `2j + 1`. Memory: `n / 2` bytes.
pub(super) fn odd_primes_upto(n: u64) -> Vec<u64> {
    let len = usize::try_from(n / 2 + 1).expect("the sieving bound was validated");
    let mut composite = vec![false; len];
    let mut primes = Vec::new();
    for j in 1..len {
        if composite[j] {
            continue;
        }
        let p = 2 * j + 1;
        primes.push(p as u64);
        // p² = 2·(2j² + 2j) + 1; stepping by 2p is stepping by p flags. Past `usize` means past
        // the end (wasm32).
        let Some(mut m) = j.checked_mul(j + 1).and_then(|x| x.checked_mul(2)) else { continue };
        while m < len {
            composite[m] = true;
            m += p;
        }
    }
    primes
}

/// π(limit) by the plain segmented sieve. Progress counts segments of 2¹⁶ odd numbers.
///
/// Memory is `√limit` bytes plus the odd primes up to it: the caller's validation keeps `limit`
/// far below the point where that matters (2⁶⁴ would need 4 GiB).
pub fn count_reference(limit: u64, control: &Control) -> Result<u64, Error> {
    if limit < 2 {
        control.start(0);
        return Ok(0);
    }
    if limit == 2 {
        control.start(0);
        return Ok(1);
    }
    let sieving = odd_primes_upto(limit.isqrt());
    // Odd numbers 3, 5, …, ≤ limit.
    let odd_count = (limit - 1) / 2;
    control.start(odd_count.div_ceil(SEGMENT));
    let mut count = 1; // the prime 2
    let mut flags = Vec::new();
    let mut lo = 3u64;
    loop {
        control.check()?;
        // The segment holds the odd numbers lo, lo + 2, …, hi.
        let hi = lo.saturating_add(2 * (SEGMENT - 1)).min(limit);
        let hi = if hi.is_multiple_of(2) { hi - 1 } else { hi };
        flags.clear();
        flags.resize(((hi - lo) / 2 + 1) as usize, true);
        for &p in &sieving {
            if p * p > hi {
                break;
            }
            // The first odd multiple of p that is ≥ max(p², lo); none if it is past 2⁶⁴.
            let Some(mut m) = lo.div_ceil(p).checked_mul(p) else { continue };
            m = m.max(p * p);
            if m.is_multiple_of(2) {
                let Some(odd) = m.checked_add(p) else { continue };
                m = odd;
            }
            while m <= hi {
                flags[((m - lo) / 2) as usize] = false;
                let Some(next) = m.checked_add(2 * p) else { break };
                m = next;
            }
        }
        count += flags.iter().filter(|&&f| f).count() as u64;
        control.advance(1);
        match hi.checked_add(2) {
            Some(next) if next <= limit => lo = next,
            _ => return Ok(count),
        }
    }
}
