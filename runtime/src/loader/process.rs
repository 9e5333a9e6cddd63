//! `credential_process`: runs the command through the shell (`sh -c`, `cmd.exe /C` on
//! Windows) and reads its JSON output (`Version` 1, `AccessKeyId`, `SecretAccessKey`,
//! optional `SessionToken`, `Expiration`, `AccountId`). The command line is never logged or
//! put in errors whole: it may contain secrets.

use std::time::Duration;

use aws_credential_types::provider;
use aws_credential_types::Credentials;

use super::json::{object, opt_i64, opt_str, parse_document, req_str};
use super::util::{parse_rfc3339, provider_error};

/// How long the process may run.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `command` and parses its output; `account_id` is the profile's `aws_account_id`,
/// used when the output has none.
pub(crate) async fn credentials(command: &str, account_id: Option<&str>) -> provider::Result {
    let mut cmd = if cfg!(windows) {
        let mut c = tokio::process::Command::new("cmd.exe");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = tokio::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    cmd.stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true);
    let output = match tokio::time::timeout(TIMEOUT, cmd.output()).await {
        Err(_) => {
            return Err(provider_error(format!(
                "Error retrieving credentials: external process did not finish within {TIMEOUT:?}"
            )))
        }
        Ok(Err(e)) => {
            return Err(provider_error(format!(
                "Error retrieving credentials: could not start external process: {e}"
            )))
        }
        Ok(Ok(output)) => output,
    };
    if !output.status.success() {
        return Err(provider_error(format!(
            "Error retrieving credentials: external process exited with code {}",
            output.status
        )));
    }
    parse(&output.stdout, account_id).map_err(|e| {
        provider_error(format!(
            "Error retrieving credentials from external process, could not parse response: {e}"
        ))
    })
}

/// Parses the process's JSON output.
pub(crate) fn parse(stdout: &[u8], account_id: Option<&str>) -> Result<Credentials, String> {
    let doc = parse_document(stdout).map_err(|_| "invalid JSON in response".to_owned())?;
    let obj = object(&doc, "the response")?;
    match opt_i64(obj, "Version")? {
        Some(1) => {}
        Some(v) => return Err(format!("unsupported Version {v} (only 1 is supported)")),
        None => return Err("missing field `Version`".to_owned()),
    }
    let mut builder = Credentials::builder()
        .access_key_id(req_str(obj, "AccessKeyId")?)
        .secret_access_key(req_str(obj, "SecretAccessKey")?)
        .provider_name("CredentialProcess");
    if let Some(token) = opt_str(obj, "SessionToken")? {
        builder = builder.session_token(token);
    }
    if let Some(expiration) = opt_str(obj, "Expiration")? {
        builder = builder.expiry(parse_rfc3339(expiration)?);
    }
    if let Some(account) = opt_str(obj, "AccountId")?.or(account_id) {
        builder = builder.account_id(account);
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_and_fields_are_checked() {
        assert!(parse(
            br#"{"Version":2,"AccessKeyId":"a","SecretAccessKey":"b"}"#,
            None
        )
        .is_err());
        assert!(parse(br#"{"Version":1,"AccessKeyId":"a"}"#, None)
            .unwrap_err()
            .contains("SecretAccessKey"));
        let c = parse(
            br#"{"Version":1,"AccessKeyId":"a","SecretAccessKey":"b"}"#,
            Some("1"),
        )
        .unwrap();
        assert_eq!(c.account_id().map(|a| a.as_str()), Some("1"));
        assert_eq!(
            parse(b"invalid json", None).unwrap_err(),
            "invalid JSON in response"
        );
    }
}
