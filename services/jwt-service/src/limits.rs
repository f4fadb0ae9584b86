//! Login throttling and the work it guards.
//!
//! - [`client_ip`]: the address a request is charged to. `X-Forwarded-For` is read only
//!   when the peer is one of the configured `trusted_proxies`; then the rightmost
//!   address that is not itself a trusted proxy is the client (the leftmost entries are
//!   whatever the client chose to send).
//! - [`bucket_of`]: IPv4 addresses are limited one by one, IPv6 per /64 (one host
//!   usually owns a whole /64, so per-address buckets would be free to multiply).
//! - [`IpLimiter`]: token buckets in a fixed table: `SETS` sets of `WAYS` slots, each set
//!   behind its own small lock, indexed by a keyed hash (an attacker cannot aim at one
//!   set). A lookup touches one set: O(WAYS), never a scan of every bucket under a global
//!   lock, and memory is fixed at start. A new address takes a free slot of its set or
//!   evicts the slot used least recently; an evicted bucket restarts full, which forgives
//!   at most one burst to an address that was idle longest in its set.
//! - With the Redis store the buckets live in Redis (one Lua token bucket per address):
//!   every instance shares them ([`crate::store::Store::take_rate_token`]).
//! - [`HashGate`]: at most `max_concurrent_hashes` argon2 computations at once (19 MiB
//!   each); others wait up to [`HASH_WAIT`], then get 503 `server_busy`.

use std::hash::BuildHasher;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// A network: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let net: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| format!("trusted proxy `{s}`: not an address or CIDR"))?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("trusted proxy `{s}`: bad prefix length"))?,
            None => max,
        };
        Ok(Cidr { net, prefix })
    }
}

fn bits(ip: IpAddr) -> (u128, u8) {
    match canonical(ip) {
        IpAddr::V4(v) => (u128::from(u32::from(v)) << 96, 32),
        IpAddr::V6(v) => (u128::from(v), 128),
    }
}

/// IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v) => v.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        // Both sides left-aligned in 128 bits (IPv4 in the top 32).
        let (a, la) = bits(ip);
        let (n, ln) = bits(self.net);
        let mask = match self.prefix {
            0 => 0,
            p => u128::MAX << (128 - u32::from(p)),
        };
        la == ln && a & mask == n & mask
    }
}

/// The client's address: the peer, or (behind a trusted proxy) the rightmost
/// untrusted `X-Forwarded-For` entry.
pub fn client_ip<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl Iterator<Item = &'a str>,
    trusted: &[Cidr],
) -> Option<IpAddr> {
    let peer = peer.map(canonical)?;
    if !trusted.iter().any(|c| c.contains(peer)) {
        return Some(peer);
    }
    let hops: Vec<IpAddr> = forwarded_for
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse::<IpAddr>().ok())
        .map(canonical)
        .collect();
    hops.iter()
        .rev()
        .find(|h| !trusted.iter().any(|c| c.contains(**h)))
        .or(hops.first())
        .copied()
        .or(Some(peer))
}

/// The bucket an address is charged to: the IPv4 address, or the IPv6 /64.
pub fn bucket_of(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v) => v.to_string(),
        IpAddr::V6(v) => {
            let s = v.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

const SETS: usize = 4096;
const WAYS: usize = 8;

#[derive(Debug, Clone, Copy)]
struct Slot {
    key: u64,
    tokens: f64,
    last: Instant,
}

/// Token buckets per address in a fixed, set-associative table (see the module docs).
#[derive(Debug)]
pub struct IpLimiter {
    per_minute: u32,
    hasher: std::collections::hash_map::RandomState,
    sets: Vec<Mutex<Vec<Slot>>>,
}

impl IpLimiter {
    pub fn new(per_minute: u32) -> Self {
        IpLimiter {
            per_minute,
            hasher: std::collections::hash_map::RandomState::new(),
            sets: (0..SETS)
                .map(|_| Mutex::new(Vec::with_capacity(WAYS)))
                .collect(),
        }
    }

    /// Take one attempt from `bucket`'s allowance.
    pub fn allow(&self, bucket: &str) -> bool {
        let h = self.hasher.hash_one(bucket);
        // Low bits pick the set, the rest identify the bucket inside it.
        let set = &self.sets[(h as usize) % SETS];
        let key = h | 1;
        let now = Instant::now();
        let cap = f64::from(self.per_minute);
        let mut slots = set.lock().unwrap_or_else(|p| p.into_inner());
        let i = match slots.iter().position(|s| s.key == key) {
            Some(i) => i,
            None if slots.len() < WAYS => {
                slots.push(Slot {
                    key,
                    tokens: cap,
                    last: now,
                });
                slots.len() - 1
            }
            None => {
                let (i, _) = slots
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, s)| s.last)
                    .unwrap_or((0, &slots[0]));
                slots[i] = Slot {
                    key,
                    tokens: cap,
                    last: now,
                };
                i
            }
        };
        let s = &mut slots[i];
        s.tokens = (s.tokens + now.duration_since(s.last).as_secs_f64() * cap / 60.0).min(cap);
        s.last = now;
        if s.tokens >= 1.0 {
            s.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// How long a login waits for a hashing slot before 503 `server_busy`.
pub const HASH_WAIT: Duration = Duration::from_secs(10);

/// A counting semaphore for password hashing (blocking: used on the blocking pool).
#[derive(Debug)]
pub struct HashGate {
    max: usize,
    busy: Mutex<usize>,
    freed: Condvar,
}

/// A held hashing slot; released on drop.
#[derive(Debug)]
pub struct HashPermit<'a>(&'a HashGate);

impl Drop for HashPermit<'_> {
    fn drop(&mut self) {
        let mut n = self.0.busy.lock().unwrap_or_else(|p| p.into_inner());
        *n = n.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

impl HashGate {
    /// `max` 0: one per CPU.
    pub fn new(max: usize) -> Self {
        let max = if max == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            max
        };
        HashGate {
            max,
            busy: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// A slot, waiting up to `wait`; `None` when none came free in time.
    pub fn acquire(&self, wait: Duration) -> Option<HashPermit<'_>> {
        let deadline = Instant::now() + wait;
        let mut n = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        while *n >= self.max {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (g, _) = self
                .freed
                .wait_timeout(n, left)
                .unwrap_or_else(|p| p.into_inner());
            n = g;
        }
        *n += 1;
        crate::metrics::METRICS.hash_peak.max(*n as u64);
        Some(HashPermit(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn cidrs_match_their_networks_only() {
        let c: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(c.contains(ip("10.1.200.3")));
        assert!(c.contains(ip("::ffff:10.1.0.1")));
        assert!(!c.contains(ip("10.2.0.1")));
        assert!(!c.contains(ip("::1")));
        let c: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(c.contains(ip("2001:db8:ffff::1")));
        assert!(!c.contains(ip("2001:db9::1")));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "nonsense", "::/129", "1.2.3.4/x"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_for_is_read_behind_trusted_proxies_only() {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap()];
        let xff = ["203.0.113.9, 198.51.100.7, 10.0.0.5"];
        // An untrusted peer's header is ignored.
        assert_eq!(
            client_ip(Some(ip("192.0.2.1")), xff.into_iter(), &trusted),
            Some(ip("192.0.2.1"))
        );
        // Behind the proxy: the rightmost untrusted hop, not the spoofable leftmost.
        assert_eq!(
            client_ip(Some(ip("10.0.0.1")), xff.into_iter(), &trusted),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_ip(Some(ip("10.0.0.1")), std::iter::empty(), &trusted),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn ipv6_addresses_share_a_bucket_per_64() {
        assert_eq!(
            bucket_of(ip("2001:db8:1:2:aaaa::1")),
            bucket_of(ip("2001:db8:1:2:ffff:1:2:3"))
        );
        assert_ne!(
            bucket_of(ip("2001:db8:1:2::1")),
            bucket_of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(bucket_of(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }

    #[test]
    fn the_limiter_holds_a_fixed_number_of_buckets() {
        let l = IpLimiter::new(2);
        assert!(l.allow("a") && l.allow("a") && !l.allow("a"));
        for i in 0..100_000 {
            l.allow(&format!("flood-{i}"));
        }
        let slots: usize = l.sets.iter().map(|s| s.lock().unwrap().len()).sum();
        assert!(slots <= SETS * WAYS, "{slots}");
    }

    #[test]
    fn the_gate_admits_at_most_max() {
        let g = HashGate::new(2);
        let a = g.acquire(Duration::ZERO).unwrap();
        let _b = g.acquire(Duration::ZERO).unwrap();
        assert!(g.acquire(Duration::ZERO).is_none());
        drop(a);
        assert!(g.acquire(Duration::ZERO).is_some());
    }
}
