//! SQS (awsJson1_0 with `awsQueryCompatible`) against moto: a message with non-ASCII text
//! and string and binary attributes goes out and comes back unchanged; a missing queue is
//! the typed `QueueDoesNotExist` error of the operation that hit it.

use awsjson_test_support::moto::Moto;
use sqs::operation::get_queue_url::GetQueueUrlError;
use sqs::operation::send_message::SendMessageError;
use sqs::primitives::Blob;
use sqs::types::MessageAttributeValue;
use sqs::Client;

/// Characters SQS allows in a body (#x9 #xA #xD, #x20-#xD7FF, #xE000-#xFFFD, non-BMP),
/// including the ones JSON must escape.
const BODY: &str = "héllo ✓ 日本語 😀 \u{10FFFF} \"quoted\" back\\slash tab\t cr\r lf\n \u{FFFD}";

async fn send_and_receive(client: &Client) {
    let queue_url = client
        .create_queue()
        .queue_name("moto-interop")
        .send()
        .await
        .expect("CreateQueue")
        .queue_url()
        .expect("QueueUrl")
        .to_owned();
    let found = client
        .get_queue_url()
        .queue_name("moto-interop")
        .send()
        .await
        .expect("GetQueueUrl");
    assert_eq!(found.queue_url(), Some(queue_url.as_str()));

    let every_byte: Vec<u8> = (0..=255).collect();
    let text = MessageAttributeValue::builder()
        .data_type("String")
        .string_value("ünïcödé ✓")
        .build()
        .expect("string attribute");
    let binary = MessageAttributeValue::builder()
        .data_type("Binary")
        .binary_value(Blob::new(every_byte.clone()))
        .build()
        .expect("binary attribute");
    let sent = client
        .send_message()
        .queue_url(&queue_url)
        .message_body(BODY)
        .message_attributes("text", text)
        .message_attributes("bytes", binary)
        .send()
        .await
        .expect("SendMessage");
    let message_id = sent.message_id().expect("MessageId");
    let md5 = sent.md5_of_message_body().expect("MD5OfMessageBody");
    assert!(
        md5.len() == 32 && md5.bytes().all(|b| b.is_ascii_hexdigit()),
        "an MD5 digest in hex: {md5}"
    );

    let received = client
        .receive_message()
        .queue_url(&queue_url)
        .max_number_of_messages(10)
        .message_attribute_names("All")
        .wait_time_seconds(1)
        .send()
        .await
        .expect("ReceiveMessage");
    let [message] = received.messages() else {
        panic!("one message expected: {:?}", received.messages());
    };
    assert_eq!(message.message_id(), Some(message_id));
    assert_eq!(message.body(), Some(BODY));
    assert_eq!(message.md5_of_body(), Some(md5));
    let attributes = message.message_attributes().expect("MessageAttributes");
    assert_eq!(attributes.len(), 2, "{attributes:?}");
    assert_eq!(attributes["text"].data_type(), "String");
    assert_eq!(attributes["text"].string_value(), Some("ünïcödé ✓"));
    assert_eq!(attributes["bytes"].data_type(), "Binary");
    assert_eq!(
        attributes["bytes"].binary_value().map(|b| b.as_ref()),
        Some(every_byte.as_slice())
    );

    client
        .delete_message()
        .queue_url(&queue_url)
        .receipt_handle(message.receipt_handle().expect("ReceiptHandle"))
        .send()
        .await
        .expect("DeleteMessage");
    let after = client
        .receive_message()
        .queue_url(&queue_url)
        .send()
        .await
        .expect("ReceiveMessage after delete");
    assert!(after.messages().is_empty(), "{:?}", after.messages());
}

/// The queue does not exist: `QueueDoesNotExist` by name and by URL. The service answers
/// with `__type` `com.amazonaws.sqs#QueueDoesNotExist` and, being awsQueryCompatible, the
/// header `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender` (moto 5.2.1
/// sends both, as AWS does); either way the variant must be the modeled one.
async fn missing_queue_is_typed(client: &Client, endpoint: &str) {
    let err = client
        .get_queue_url()
        .queue_name("no-such-queue")
        .send()
        .await
        .expect_err("no such queue");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400), "{err}");
    let err = err.into_service_error();
    assert!(
        matches!(err, GetQueueUrlError::QueueDoesNotExist(_)),
        "expected QueueDoesNotExist, got {err:?}"
    );
    assert!(
        err.meta().message().is_some_and(|m| !m.is_empty()),
        "{err:?}"
    );
    assert!(err.meta().request_id().is_some_and(|id| !id.is_empty()));
    // awsQueryCompatible: the code is the query code from `x-amzn-query-error`, as
    // aws-sdk-rust reports it (the variant above comes from the same code).
    assert_eq!(
        err.meta().code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
        "{err:?}"
    );

    let err = client
        .send_message()
        .queue_url(format!("{endpoint}/123456789012/no-such-queue"))
        .message_body("lost")
        .send()
        .await
        .expect_err("no such queue");
    let err = err.into_service_error();
    assert!(
        matches!(err, SendMessageError::QueueDoesNotExist(_)),
        "expected QueueDoesNotExist, got {err:?}"
    );
}

#[tokio::test]
async fn sqs_against_moto() {
    let Some(moto) = Moto::start("moto_interop::sqs") else {
        return;
    };
    let client = moto_client!(sqs, moto);
    send_and_receive(&client).await;
    missing_queue_is_typed(&client, &moto.endpoint_url()).await;
}
