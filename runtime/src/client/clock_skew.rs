//! The client's clock offset, learned as aws-sdk-rust's `ServiceClockSkewInterceptor` learns
//! it: from the `Date` header of every response (success or error), measured against the
//! midpoint of the attempt's round trip, and kept for later calls. It is added to the signing
//! time, so a machine whose clock is off can still sign requests.
//!
//! Sanity checks (aws-sdk-rust's): a response with an `Age` header came from a cache and its
//! `Date` is stale; a round trip longer than 15 minutes makes the measurement unreliable; a
//! missing or unparsable `Date` teaches nothing. A clock-skew error code is retried only when
//! the skew exceeds 4 minutes (aws-sdk-rust's `SKEW_DETECTION_THRESHOLD`): under that the
//! signature is not rejected for its time, so the key is wrong and a retry would be wasted.
//! One difference: the 4 minutes are measured against the offset the failed attempt was
//! signed with, not against zero, so an attempt already signed with the corrected time is
//! not retried again for the same skew.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use super::Handle;
use crate::response::HttpResponse;

/// Below this, a clock-skew error is a genuine signature error (aws-sdk-rust: 4 minutes).
pub(super) const SKEW_DETECTION_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// Round trips longer than this give no skew measurement (aws-sdk-rust: 15 minutes).
const MAX_TRUSTED_REQUEST_DURATION: Duration = Duration::from_secs(15 * 60);

impl Handle {
    /// Learns the clock offset from `response`, an attempt sent at `sent` and read at
    /// `received` (both by the client's clock, without offset). Returns the measured offset
    /// (server time minus client time, in milliseconds), if the response gave a trustworthy
    /// one; it is then the offset of later attempts and calls.
    pub(super) fn observe_clock_skew(
        &self,
        response: &HttpResponse,
        sent: SystemTime,
        received: SystemTime,
    ) -> Option<i64> {
        let skew_ms = measure(response, sent, received)?;
        self.inner.clock_skew_ms.store(skew_ms, Ordering::Relaxed);
        tracing::trace!(skew_ms, "clock offset from the response's Date header");
        Some(skew_ms)
    }
}

/// Whether a clock-skew error is worth a retry: the offset measured from its response differs
/// from the one the attempt was signed with by more than [`SKEW_DETECTION_THRESHOLD`].
pub(super) fn skew_error_is_retryable(measured_ms: Option<i64>, signed_with_ms: i64) -> bool {
    measured_ms.is_some_and(|measured| {
        u128::from(measured.abs_diff(signed_with_ms)) > SKEW_DETECTION_THRESHOLD.as_millis()
    })
}

/// The offset a response shows: its `Date` minus the midpoint of the round trip (the NTP
/// estimate), or `None` when the response cannot be trusted for it.
fn measure(response: &HttpResponse, sent: SystemTime, received: SystemTime) -> Option<i64> {
    if response.header("age").is_some() {
        return None;
    }
    let date = response.header("date")?;
    let server =
        aws_smithy_types::DateTime::from_str(date, aws_smithy_types::date_time::Format::HttpDate)
            .ok()?;
    let server = SystemTime::try_from(server).ok()?;
    let elapsed = received.duration_since(sent).unwrap_or_default();
    if elapsed > MAX_TRUSTED_REQUEST_DURATION {
        return None;
    }
    let midpoint = sent + elapsed / 2;
    Some(match server.duration_since(midpoint) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
        Err(behind) => i64::try_from(behind.duration().as_millis())
            .map(|ms| -ms)
            .unwrap_or(i64::MIN),
    })
}

/// The latest time aws-sigv4 can format (9999-12-31T23:59:59Z); later times make its date
/// formatting panic.
const MAX_SIGNING_SECS: u64 = 253_402_300_799;

/// `time` shifted by `offset_ms`, kept within 1970..=9999 so that neither a strange clock
/// nor a hostile `Date` header can make signing fail.
pub(super) fn offset(time: SystemTime, offset_ms: i64) -> SystemTime {
    let delta = Duration::from_millis(offset_ms.unsigned_abs());
    let shifted = if offset_ms >= 0 {
        time.checked_add(delta)
    } else {
        time.checked_sub(delta)
    }
    .unwrap_or(time);
    let min = SystemTime::UNIX_EPOCH;
    let max = SystemTime::UNIX_EPOCH + Duration::from_secs(MAX_SIGNING_SECS);
    shifted.clamp(min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&'static str, &str)]) -> HttpResponse {
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, http::HeaderValue::from_str(value).expect("value"));
        }
        HttpResponse::new(200, map, bytes::Bytes::new())
    }

    #[test]
    fn skew_is_measured_against_the_midpoint_with_sanity_checks() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645);
        let date = "Tue, 02 Jan 2024 03:14:05 GMT"; // t + 600 s
        let ok = response(&[("date", date)]);
        assert_eq!(measure(&ok, t, t), Some(600_000));
        // A 10 s round trip: the server stamped the response 5 s after we sent it.
        assert_eq!(measure(&ok, t, t + Duration::from_secs(10)), Some(595_000));
        // Sent after the server's time: negative.
        assert_eq!(
            measure(
                &ok,
                t + Duration::from_secs(700),
                t + Duration::from_secs(700)
            ),
            Some(-100_000)
        );
        // A 16 minute round trip, a cached response, no or a bad Date: nothing learned.
        assert_eq!(measure(&ok, t, t + Duration::from_secs(16 * 60)), None);
        assert_eq!(
            measure(&response(&[("date", date), ("age", "3")]), t, t),
            None
        );
        assert_eq!(measure(&response(&[]), t, t), None);
        assert_eq!(measure(&response(&[("date", "yesterday")]), t, t), None);
    }

    #[test]
    fn skew_errors_are_retried_beyond_four_minutes_of_change() {
        assert!(!skew_error_is_retryable(None, 0));
        assert!(!skew_error_is_retryable(Some(240_000), 0));
        assert!(skew_error_is_retryable(Some(240_001), 0));
        assert!(skew_error_is_retryable(Some(-600_000), 0));
        assert!(!skew_error_is_retryable(Some(600_000), 600_000));
        assert!(!skew_error_is_retryable(Some(i64::MIN), i64::MIN));
        assert!(skew_error_is_retryable(Some(i64::MIN), i64::MAX));
    }

    #[test]
    fn clock_offset_saturates() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(10);
        assert_eq!(offset(t, 1000), t + Duration::from_secs(1));
        assert_eq!(offset(t, -1000), t - Duration::from_secs(1));
        assert_eq!(offset(t, i64::MIN), SystemTime::UNIX_EPOCH);
        assert_eq!(
            offset(t, i64::MAX),
            SystemTime::UNIX_EPOCH + Duration::from_secs(MAX_SIGNING_SECS)
        );
        let before_epoch = SystemTime::UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(offset(before_epoch, 0), SystemTime::UNIX_EPOCH);
    }
}
