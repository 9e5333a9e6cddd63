//! KMS (awsJson1_1) against moto: every byte value through Encrypt and Decrypt (blobs are
//! base64 on the wire both ways), and a wrong encryption context as the typed
//! `InvalidCiphertextException`.

use awsjson_test_support::moto::Moto;
use kms::operation::decrypt::DecryptError;
use kms::primitives::Blob;
use kms::types::KeyState;

#[tokio::test]
async fn kms_against_moto() {
    let Some(moto) = Moto::start("moto_interop::kms") else {
        return;
    };
    let client = moto_client!(kms, moto);
    let created = client
        .create_key()
        .description("moto interop ✓")
        .send()
        .await
        .expect("CreateKey");
    let metadata = created.key_metadata().expect("KeyMetadata");
    let key_id = metadata.key_id().to_owned();
    let key_arn = metadata.arn().expect("Arn").to_owned();
    assert!(key_arn.ends_with(&key_id), "{key_arn} names {key_id}");
    assert!(metadata.enabled());
    assert_eq!(metadata.key_state(), Some(&KeyState::Enabled));
    assert_eq!(metadata.description(), Some("moto interop ✓"));

    let every_byte: Vec<u8> = (0..=255).collect();
    let encrypted = client
        .encrypt()
        .key_id(&key_id)
        .plaintext(Blob::new(every_byte.clone()))
        .encryption_context("purpose", "interop ✓")
        .send()
        .await
        .expect("Encrypt");
    // AWS also returns `EncryptionAlgorithm` (SYMMETRIC_DEFAULT) here; moto 5.2.1 leaves
    // it out of Encrypt and Decrypt responses (seen with botocore against it), so it is
    // not checked.
    assert_eq!(encrypted.key_id(), Some(key_arn.as_str()));
    let ciphertext = encrypted.ciphertext_blob().expect("CiphertextBlob").clone();
    assert!(
        !ciphertext
            .as_ref()
            .windows(every_byte.len())
            .any(|w| w == every_byte.as_slice()),
        "the ciphertext must not contain the plaintext"
    );

    let decrypted = client
        .decrypt()
        .ciphertext_blob(ciphertext.clone())
        .encryption_context("purpose", "interop ✓")
        .send()
        .await
        .expect("Decrypt");
    assert_eq!(
        decrypted.plaintext().map(|p| p.as_ref()),
        Some(every_byte.as_slice()),
        "every byte value round-trips"
    );
    assert_eq!(decrypted.key_id(), Some(key_arn.as_str()));

    let err = client
        .decrypt()
        .ciphertext_blob(ciphertext)
        .encryption_context("purpose", "something else")
        .send()
        .await
        .expect_err("the encryption context does not match");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400), "{err}");
    let err = err.into_service_error();
    assert!(
        matches!(err, DecryptError::InvalidCiphertextException(_)),
        "expected InvalidCiphertextException, got {err:?}"
    );
}
