//! Helpers shared by the providers: error constructors with aws-config's categories, time
//! parsing, account ids from ARNs.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;

/// "Not configured here": the default chain moves on to the next provider.
pub(crate) fn not_loaded(message: impl Into<String>) -> CredentialsError {
    CredentialsError::not_loaded(message.into())
}

/// The configuration is wrong: the default chain stops.
pub(crate) fn invalid_config(message: impl Into<String>) -> CredentialsError {
    CredentialsError::invalid_configuration(message.into())
}

/// The provider was configured but failed: the default chain stops.
pub(crate) fn provider_error(
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> CredentialsError {
    CredentialsError::provider_error(source)
}

/// Parses an RFC 3339 date-time (`2021-08-05T19:58:02Z`, offsets allowed).
pub(crate) fn parse_rfc3339(value: &str) -> Result<SystemTime, String> {
    let value = value.trim();
    // Smithy's parser only takes `Z`; credential_process output may use `+HH:MM`.
    let (utc, offset_secs) = split_offset(value);
    let parsed = DateTime::from_str(&utc, Format::DateTime)
        .map_err(|e| format!("invalid date-time `{value}`: {e}"))?;
    let adjusted =
        DateTime::from_secs_and_nanos(parsed.secs() - offset_secs, parsed.subsec_nanos());
    SystemTime::try_from(adjusted).map_err(|e| format!("date-time `{value}` out of range: {e}"))
}

/// Splits a trailing `+HH:MM` / `-HH:MM` offset off a date-time, giving the text with `Z`
/// and the offset in seconds (east positive).
fn split_offset(value: &str) -> (String, i64) {
    let bytes = value.as_bytes();
    if bytes.len() > 6 && value.contains('T') {
        let (head, tail) = value.split_at(value.len() - 6);
        let t = tail.as_bytes();
        if (t[0] == b'+' || t[0] == b'-') && t[3] == b':' {
            if let (Ok(h), Ok(m)) = (tail[1..3].parse::<i64>(), tail[4..6].parse::<i64>()) {
                let sign = if t[0] == b'+' { 1 } else { -1 };
                return (format!("{head}Z"), sign * (h * 3600 + m * 60));
            }
        }
    }
    (value.to_owned(), 0)
}

/// Epoch milliseconds to a time.
pub(crate) fn from_epoch_millis(millis: i64) -> SystemTime {
    if millis >= 0 {
        UNIX_EPOCH + Duration::from_millis(millis as u64)
    } else {
        UNIX_EPOCH - Duration::from_millis(millis.unsigned_abs())
    }
}

/// The account id (fifth field) of an ARN such as `arn:aws:sts::123456789012:assumed-role/x`.
pub(crate) fn account_id_from_arn(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (!account.is_empty()).then_some(account)
}

/// Milliseconds since the epoch of `time`, for generated session names.
pub(crate) fn epoch_millis(time: SystemTime) -> u128 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}

/// Joins an error and its sources into one line (as aws-smithy's `DisplayErrorContext`).
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    crate::config::credentials::error_chain(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_offset() {
        let t = parse_rfc3339("2022-05-02T18:36:00+00:00").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1651516560);
        let t = parse_rfc3339("2022-05-02T20:36:00+02:00").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1651516560);
        assert!(parse_rfc3339("yesterday").is_err());
    }

    #[test]
    fn arn_account() {
        assert_eq!(
            account_id_from_arn("arn:aws:sts::123456789012:assumed-role/a/b"),
            Some("123456789012")
        );
        assert_eq!(account_id_from_arn("nope"), None);
    }
}
