//! The open-file limit: raised to its hard ceiling at start where the system allows, and the
//! default connection cap derived from it, so that the cap is refused politely before the
//! process runs out of descriptors (an accept loop that hits EMFILE backs off, but files the
//! page needs would fail too).

/// Descriptors kept for everything that is not a client connection: the listener, the page's
/// files being sent, the kernel pool's threads, logs.
pub const RESERVED: u64 = 64;

/// Raises the soft `RLIMIT_NOFILE` to the hard one → the soft limit now in force (`None` where
/// it cannot be read: not unix).
pub fn raise() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: `limit` is a valid, writable rlimit; getrlimit only writes it.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            // SAFETY: a valid rlimit read from the system, soft raised to its own hard ceiling.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
                limit = raised;
            }
        }
        Some(limit.rlim_cur)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The default connection cap under a soft limit of `nofile`: two descriptors per connection,
/// [`RESERVED`] kept back (1,024 where the limit is unknown), at most 4,096 (a 2-core machine
/// serving more at once only queues
/// them longer), at least 16.
pub fn default_max_connections(nofile: Option<u64>) -> usize {
    // Two descriptors per connection: a page's static file holds one more while it streams.
    let available = nofile.map_or(1024, |n| n.saturating_sub(RESERVED) / 2);
    usize::try_from(available.clamp(16, 4096)).unwrap_or(4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_and_stays_bounded() {
        assert_eq!(default_max_connections(Some(1024)), 480);
        assert_eq!(default_max_connections(Some(20_000)), 4096);
        assert_eq!(default_max_connections(Some(50)), 16);
        assert_eq!(default_max_connections(Some(5000)), 2468);
        assert_eq!(default_max_connections(None), 1024);
        assert!(raise().is_none_or(|n| n >= 16));
    }
}
