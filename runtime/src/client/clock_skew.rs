//! The client's clock offset: learned from the `Date` header of responses and added to the
//! signing time, so a machine whose clock is off can still sign requests.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use super::Handle;
use crate::response::HttpResponse;

impl Handle {
    /// Updates the clock offset from a clock-skew error's `Date` header. Returns whether it
    /// moved by more than a minute from the offset the attempt was signed with (so a retry
    /// may help).
    pub(super) fn learn_clock_skew(&self, response: &HttpResponse, used_ms: i64) -> bool {
        let inner = &*self.inner;
        let Some(server) = response
            .header("date")
            .and_then(|d| {
                aws_smithy_types::DateTime::from_str(
                    d,
                    aws_smithy_types::date_time::Format::HttpDate,
                )
                .ok()
            })
            .and_then(|d| SystemTime::try_from(d).ok())
        else {
            return false;
        };
        let now = inner.config.time_source.now();
        let skew_ms = match server.duration_since(now) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
            Err(behind) => i64::try_from(behind.duration().as_millis())
                .map(|ms| -ms)
                .unwrap_or(i64::MIN),
        };
        inner.clock_skew_ms.store(skew_ms, Ordering::Relaxed);
        tracing::debug!(
            skew_ms,
            "updated the clock offset from the response's Date header"
        );
        skew_ms.abs_diff(used_ms) > 60_000
    }
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
