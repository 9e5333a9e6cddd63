//! A tiny non-cryptographic random source for retry jitter and invocation ids (we avoid
//! the `rand` and `uuid` crates for compile time). Neither use needs unpredictability:
//! jitter only spreads retries, and the invocation id only has to be unique enough to tell
//! attempts of different calls apart in service logs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The SplitMix64 increment (the golden ratio in 64-bit fixed point).
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

static STATE: AtomicU64 = AtomicU64::new(0);

/// A seed from the clock, the process id and a stack address, so two processes started at
/// the same instant still differ.
fn seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let local = 0u8;
    let addr = &local as *const u8 as usize as u64;
    mix(nanos ^ mix(u64::from(std::process::id())) ^ addr.rotate_left(32)) | 1
}

/// The SplitMix64 output function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The next 64 random bits (SplitMix64 over a shared atomic state: lock-free and safe to
/// call from any thread).
pub(crate) fn next_u64() -> u64 {
    if STATE.load(Ordering::Relaxed) == 0 {
        // Losing this race is fine: someone else seeded it.
        let _ = STATE.compare_exchange(0, seed(), Ordering::Relaxed, Ordering::Relaxed);
    }
    mix(STATE
        .fetch_add(GOLDEN, Ordering::Relaxed)
        .wrapping_add(GOLDEN))
}

/// A uniform value in `[0, 1)`.
pub(crate) fn next_f64() -> f64 {
    // The top 53 bits fill an f64 mantissa exactly.
    (next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A random UUID in the version 4 layout (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
pub(crate) fn uuid_v4() -> String {
    let hi = next_u64();
    let lo = next_u64();
    // Version 4 in the high nibble of byte 6, variant 10xx in byte 8.
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_layout() {
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(uuid_v4(), uuid_v4());
    }

    #[test]
    fn f64_in_range() {
        for _ in 0..1000 {
            let x = next_f64();
            assert!((0.0..1.0).contains(&x));
        }
    }
}
