//! Idempotency tokens for members with `smithy.api#idempotencyToken`.
//!
//! As in aws-sdk-rust, a generated `send()` fills such a member with a fresh UUID v4 when
//! the caller left it unset, so that a request retried by the runtime (or resent after a
//! timeout) is recognised by the service as the same request. The token comes from the
//! config's [`IdempotencyTokenProvider`]; tests install a fixed one with
//! [`IdempotencyTokenProvider::fixed`] (or `From<&'static str>`, as aws-sdk) to get
//! deterministic requests.
//!
//! Tokens come from the operating system's random source (`getrandom`, already compiled
//! for rustls' `ring`) rather than the runtime's jitter generator: two clients must never
//! produce the same token, even when started at the same instant on cloned VMs.

use std::borrow::Cow;
use std::fmt;

/// A fresh random UUID v4 (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lowercase hex).
pub fn idempotency_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        // The OS source can only fail on exotic platforms; fall back to the runtime's
        // seeded generator rather than failing the call: uniqueness is all a token needs.
        bytes[..8].copy_from_slice(&crate::client::rng::next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&crate::client::rng::next_u64().to_le_bytes());
    }
    uuid_v4_from_bytes(bytes)
}

/// Lays 16 random bytes out as a version 4, variant 1 (RFC 9562) UUID.
fn uuid_v4_from_bytes(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Makes the tokens generated operations put in unset idempotency-token members.
///
/// The default is [`IdempotencyTokenProvider::random`]. Cheap to clone.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct IdempotencyTokenProvider {
    fixed: Option<Cow<'static, str>>,
}

impl IdempotencyTokenProvider {
    /// A provider that gives a fresh random UUID v4 each time (the default).
    pub fn random() -> Self {
        Self::default()
    }

    /// A provider that always gives `token`: for tests that compare whole requests.
    pub fn fixed(token: impl Into<Cow<'static, str>>) -> Self {
        Self {
            fixed: Some(token.into()),
        }
    }

    /// The token for one request.
    pub fn make_idempotency_token(&self) -> String {
        match &self.fixed {
            Some(token) => token.to_string(),
            None => idempotency_token(),
        }
    }
}

impl From<&'static str> for IdempotencyTokenProvider {
    fn from(token: &'static str) -> Self {
        Self::fixed(token)
    }
}

impl fmt::Debug for IdempotencyTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            Some(token) => f
                .debug_tuple("IdempotencyTokenProvider::Fixed")
                .field(token)
                .finish(),
            None => f.write_str("IdempotencyTokenProvider::Random"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn assert_uuid_v4(token: &str) {
        let parts: Vec<&str> = token.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{token}"
        );
        assert!(
            token
                .chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)),
            "{token}"
        );
        assert!(parts[2].starts_with('4'), "version nibble: {token}");
        assert!(
            matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "variant bits: {token}"
        );
    }

    #[test]
    fn tokens_are_uuid_v4() {
        for _ in 0..100 {
            assert_uuid_v4(&idempotency_token());
        }
    }

    #[test]
    fn tokens_are_fresh() {
        let tokens: HashSet<String> = (0..1000).map(|_| idempotency_token()).collect();
        assert_eq!(tokens.len(), 1000);
    }

    #[test]
    fn layout_sets_version_and_variant_bits_only() {
        assert_eq!(
            uuid_v4_from_bytes([0xFF; 16]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(
            uuid_v4_from_bytes([0; 16]),
            "00000000-0000-4000-8000-000000000000"
        );
    }

    #[test]
    fn random_provider_is_the_default_and_varies() {
        let provider = IdempotencyTokenProvider::default();
        assert_eq!(provider, IdempotencyTokenProvider::random());
        let a = provider.make_idempotency_token();
        let b = provider.make_idempotency_token();
        assert_uuid_v4(&a);
        assert_ne!(a, b);
        assert_eq!(format!("{provider:?}"), "IdempotencyTokenProvider::Random");
    }

    #[test]
    fn fixed_provider_repeats_its_token() {
        let provider = IdempotencyTokenProvider::from("00000000-0000-4000-8000-000000000000");
        assert_eq!(
            provider.make_idempotency_token(),
            "00000000-0000-4000-8000-000000000000"
        );
        assert_eq!(
            provider.clone().make_idempotency_token(),
            provider.make_idempotency_token()
        );
        let owned = IdempotencyTokenProvider::fixed(String::from("t-1"));
        assert_eq!(owned.make_idempotency_token(), "t-1");
    }
}
