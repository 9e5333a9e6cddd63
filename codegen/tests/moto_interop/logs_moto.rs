//! CloudWatch Logs (awsJson1_1) against moto: create a group and a stream, put events with
//! non-ASCII messages, get them back in order, whole and through the `GetLogEvents`
//! paginator, which must end on the repeated forward token the service returns at the end
//! of a stream.

use std::time::{SystemTime, UNIX_EPOCH};

use awsjson_test_support::moto::Moto;
use cloudwatchlogs::types::InputLogEvent;

const GROUP: &str = "/moto-interop/group_1";
const STREAM: &str = "stream-1#a";

#[tokio::test]
async fn cloudwatch_logs_against_moto() {
    let Some(moto) = Moto::start("moto_interop::cloudwatch_logs") else {
        return;
    };
    let client = moto_client!(cloudwatchlogs, moto);
    client
        .create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .expect("CreateLogGroup");
    client
        .create_log_stream()
        .log_group_name(GROUP)
        .log_stream_name(STREAM)
        .send()
        .await
        .expect("CreateLogStream");
    let streams = client
        .describe_log_streams()
        .log_group_name(GROUP)
        .send()
        .await
        .expect("DescribeLogStreams");
    assert_eq!(
        streams
            .log_streams()
            .iter()
            .map(|s| s.log_stream_name())
            .collect::<Vec<_>>(),
        [Some(STREAM)]
    );

    // Now-ish timestamps: the service refuses events older than 14 days or more than two
    // hours ahead.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64;
    let sent: Vec<(i64, String)> = [
        "first ✓",
        "zweite Zeile: äöü ß",
        "日本語のログ 😀",
        "{\"json\": \"in a message\", \"escaped\": \"\\n\"}",
        "tab\tand trailing space ",
    ]
    .iter()
    .enumerate()
    .map(|(i, m)| (now + i as i64, (*m).to_owned()))
    .collect();
    let mut put = client
        .put_log_events()
        .log_group_name(GROUP)
        .log_stream_name(STREAM);
    for (timestamp, message) in &sent {
        put = put.log_events(
            InputLogEvent::builder()
                .timestamp(*timestamp)
                .message(message)
                .build()
                .expect("log event"),
        );
    }
    let put = put.send().await.expect("PutLogEvents");
    assert!(put.rejected_log_events_info().is_none(), "{put:?}");

    let got = client
        .get_log_events()
        .log_group_name(GROUP)
        .log_stream_name(STREAM)
        .start_from_head(true)
        .send()
        .await
        .expect("GetLogEvents");
    let back: Vec<(i64, String)> = got
        .events()
        .iter()
        .map(|e| {
            assert!(
                e.ingestion_time().is_some_and(|t| t >= now),
                "ingestion time: {e:?}"
            );
            (
                e.timestamp().expect("timestamp"),
                e.message().expect("message").to_owned(),
            )
        })
        .collect();
    assert_eq!(back, sent);

    // Two events a page. At the end of the stream the service returns the forward token
    // it was given (AWS documents this for GetLogEvents), so the paginator stops on the
    // repeated token instead of asking forever.
    let paged = client
        .get_log_events()
        .log_group_name(GROUP)
        .log_stream_name(STREAM)
        .start_from_head(true)
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page");
    let paged: Vec<(i64, String)> = paged
        .iter()
        .map(|e| {
            (
                e.timestamp().expect("timestamp"),
                e.message().expect("message").to_owned(),
            )
        })
        .collect();
    assert_eq!(paged, sent);
}
