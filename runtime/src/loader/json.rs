//! Small JSON helpers over the runtime's own parser: whole documents, and typed field access
//! with errors that name the missing field (responses of IMDS, the container endpoint, SSO,
//! `credential_process` and the SSO token cache are all small JSON objects).

use std::collections::HashMap;

use aws_smithy_types::Document;

use crate::json::{DeserializeError, JsonDeserializer};

/// Parses a whole JSON text into a document.
pub fn parse_document(body: &[u8]) -> Result<Document, DeserializeError> {
    let mut d = JsonDeserializer::new(body);
    let doc = d.document()?;
    d.finish()?;
    Ok(doc)
}

/// A JSON object's fields.
pub(crate) type Object = HashMap<String, Document>;

/// The object of a document, or an error naming `what`.
pub(crate) fn object<'a>(doc: &'a Document, what: &str) -> Result<&'a Object, String> {
    match doc {
        Document::Object(map) => Ok(map),
        _ => Err(format!("{what} is not a JSON object")),
    }
}

/// A string field (`None` when absent or null).
pub(crate) fn opt_str<'a>(object: &'a Object, key: &str) -> Result<Option<&'a str>, String> {
    match object.get(key) {
        None | Some(Document::Null) => Ok(None),
        Some(Document::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("`{key}` is not a string")),
    }
}

/// A required string field.
pub(crate) fn req_str<'a>(object: &'a Object, key: &str) -> Result<&'a str, String> {
    opt_str(object, key)?.ok_or_else(|| format!("missing field `{key}`"))
}

/// A number field as `i64` (`None` when absent or null).
pub(crate) fn opt_i64(object: &Object, key: &str) -> Result<Option<i64>, String> {
    use aws_smithy_types::Number;
    match object.get(key) {
        None | Some(Document::Null) => Ok(None),
        Some(Document::Number(Number::PosInt(n))) => i64::try_from(*n)
            .map(Some)
            .map_err(|_| format!("`{key}` is out of range")),
        Some(Document::Number(Number::NegInt(n))) => Ok(Some(*n)),
        Some(Document::Number(Number::Float(f))) if f.fract() == 0.0 && f.abs() < 9e15 => {
            Ok(Some(*f as i64))
        }
        Some(_) => Err(format!("`{key}` is not an integer")),
    }
}

/// The credentials object that IMDS and the container endpoint both return
/// (`AccessKeyId`, `SecretAccessKey`, optional `Token`, `Expiration`, `AccountId`).
pub(crate) fn credentials_from_object(
    obj: &Object,
    provider_name: &'static str,
) -> Result<aws_credential_types::Credentials, String> {
    let mut builder = aws_credential_types::Credentials::builder()
        .access_key_id(req_str(obj, "AccessKeyId")?)
        .secret_access_key(req_str(obj, "SecretAccessKey")?)
        .provider_name(provider_name);
    if let Some(token) = opt_str(obj, "Token")? {
        builder = builder.session_token(token);
    }
    if let Some(expiration) = opt_str(obj, "Expiration")? {
        builder = builder.expiry(super::util::parse_rfc3339(expiration)?);
    }
    if let Some(account) = opt_str(obj, "AccountId")? {
        builder = builder.account_id(account);
    }
    Ok(builder.build())
}
