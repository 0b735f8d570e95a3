//! Times π(N) by the segmented sieve (`primes::sieve::count`) against the `primesieve` command
//! (Debian package `primesieve`) at the same thread counts, alternating the two so that both see
//! the same load, and prints medians and minimums with the machine's load average.
//!
//! Run: `cargo run --release -p parallax-kernels --example sieve_vs_primesieve [-- REPS N…]`
//! (defaults: 5 runs each of 1e9 and 1e10, threads 1 and 2). primesieve's time is the one it
//! prints (`--time`), which, like ours, leaves out process start-up.

use std::process::Command;
use std::time::Instant;

use parallax_kernels::Control;
use parallax_kernels::primes::sieve;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reps: usize = args.first().map_or(5, |s| s.parse().expect("REPS is a count of runs"));
    let limits: Vec<u64> = if args.len() > 1 {
        args[1..].iter().map(|s| s.parse::<f64>().expect("N is a number such as 1e9") as u64).collect()
    } else {
        vec![1_000_000_000, 10_000_000_000]
    };
    // Warm-up: the pre-sieve patterns are built and the rayon pool started on first use.
    sieve::count(10_000_000, 2, &Control::new()).expect("not cancelled");
    println!("load average before: {}", load_average());
    println!("{:>14} {:>2} {:>22} {:>22} {:>6}", "N", "t", "ours median (min) s", "primesieve median (min)", "ratio");
    for &n in &limits {
        for threads in [1, 2] {
            let mut ours = Vec::new();
            let mut theirs = Vec::new();
            let mut want = None;
            for _ in 0..reps {
                let started = Instant::now();
                let count = sieve::count(n, threads, &Control::new()).expect("not cancelled");
                ours.push(started.elapsed().as_secs_f64());
                if let Some((seconds, count_ps)) = primesieve(n, threads) {
                    assert_eq!(count, count_ps, "π({n}): ours and primesieve differ");
                    theirs.push(seconds);
                }
                assert_eq!(*want.get_or_insert(count), count);
            }
            let (om, omin) = median_min(&mut ours);
            if theirs.is_empty() {
                println!("{n:>14.0e} {threads:>2} {om:>12.3} ({omin:.3}) {:>22} {:>6}", "(no primesieve)", "-");
            } else {
                let (pm, pmin) = median_min(&mut theirs);
                println!("{n:>14.0e} {threads:>2} {om:>12.3} ({omin:.3}) {pm:>12.3} ({pmin:.3}) {:>6.2}", om / pm);
            }
        }
    }
    println!("load average after: {}", load_average());
}

/// primesieve's own time and count for π(n) on `threads` threads, or `None` if it is missing.
fn primesieve(n: u64, threads: usize) -> Option<(f64, u64)> {
    let out = Command::new("primesieve")
        .args([n.to_string(), format!("-t{threads}"), "--time".into(), "-q".into()])
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let seconds = text.lines().find_map(|l| l.strip_prefix("Seconds:"))?.trim().parse().ok()?;
    let count = text.lines().find_map(|l| l.trim().parse().ok())?;
    Some((seconds, count))
}

fn median_min(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(|_| "unknown".into(), |s| s.trim().to_string())
}
