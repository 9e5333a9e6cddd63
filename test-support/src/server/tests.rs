//! Each way of answering and each fault mode of the server, seen from a raw TCP client so
//! the bytes on the wire (and their absence) are what is checked.

use std::io::{Read, Write};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

fn post(body: &str) -> Vec<u8> {
    format!(
        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn send(server: &Server, body: &str) -> TcpStream {
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    stream.write_all(&post(body)).await.expect("send");
    stream
}

/// Reads a response head; returns its text and the announced `Content-Length`.
async fn read_head(stream: &mut TcpStream) -> (String, usize) {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let b = stream.read_u8().await.expect("head byte");
        head.push(b);
    }
    let text = String::from_utf8(head).expect("UTF-8 head");
    let length = text
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|v| v.parse().ok())
        .expect("Content-Length");
    (text, length)
}

/// A whole response: head text and body.
async fn read_response(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let (head, length) = read_head(stream).await;
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.expect("body");
    (head, body)
}

/// Reads until EOF or error; what arrived and whether the end was an error.
async fn read_rest(stream: &mut TcpStream) -> (Vec<u8>, Option<std::io::ErrorKind>) {
    let mut got = Vec::new();
    let result = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut got))
        .await
        .expect("the connection ends");
    (got, result.err().map(|e| e.kind()))
}

/// Whether nothing arrives within `wait` (the connection stays open and silent).
async fn silent_for(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut byte = [0u8; 1];
    tokio::time::timeout(wait, stream.read(&mut byte))
        .await
        .is_err()
}

#[tokio::test]
async fn script_plays_in_order_then_answers_599_and_records_everything() {
    let server = Server::start(vec![Action::json(200, "{\"a\":1}")]).await;
    server.push(Response::new(201, "second"));
    assert_eq!(server.pending(), 2);
    let mut stream = send(&server, "{}").await;
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("x-amzn-RequestId: req-200\r\n"), "{head}");
    assert_eq!(body, b"{\"a\":1}");
    // Keep-alive: the next request on the same connection gets the next action.
    stream.write_all(&post("[]")).await.expect("send");
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 201 Scripted\r\n"), "{head}");
    assert_eq!(body, b"second");
    stream.write_all(&post("x")).await.expect("send");
    let (head, _) = read_response(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 599 "), "{head}");
    assert!(head.contains("Connection: close"), "{head}");

    let requests = server.requests();
    let bodies: Vec<&[u8]> = requests.iter().map(|r| r.body.as_slice()).collect();
    assert_eq!(bodies, [&b"{}"[..], b"[]", b"x"]);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/");
    assert_eq!(requests[0].header("host"), Some("t"));
    assert!(requests.iter().all(|r| r.connection == 1));
}

#[tokio::test]
async fn each_connection_has_its_own_id() {
    let server = Server::start(vec![Action::Close, Action::json(200, "{}")]).await;
    let mut first = send(&server, "{}").await;
    assert_eq!(read_rest(&mut first).await, (Vec::new(), None));
    let mut second = send(&server, "{}").await;
    read_response(&mut second).await;
    let ids: Vec<u64> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn handler_sees_each_request() {
    let server = Server::with_handler(|request| {
        Action::Respond(Response::new(200, format!("echo {}", request.body_text())))
    })
    .await;
    for body in ["one", "two"] {
        let mut stream = send(&server, body).await;
        let (_, got) = read_response(&mut stream).await;
        assert_eq!(got, format!("echo {body}").as_bytes());
    }
}

#[tokio::test]
async fn keyed_answers_by_body_member_once_then_falls_back_to_the_script() {
    let server = Server::keyed("serviceName").await;
    server.respond("b", Response::new(200, "for b"));
    server.respond("a", Response::new(200, "for a"));
    server.push(Response::new(200, "scripted"));
    for (body, want) in [
        (r#"{"serviceName":"a"}"#, &b"for a"[..]),
        (r#"{"serviceName" : "b"}"#, b"for b"),
        (r#"{"serviceName":"a"}"#, b"scripted"),
    ] {
        let mut stream = send(&server, body).await;
        assert_eq!(read_response(&mut stream).await.1, want, "{body}");
    }
    assert_eq!(json_string_member(br#"{"x":1,"k":"v"}"#, "k"), Some("v"));
    assert_eq!(json_string_member(br#"{"k":1}"#, "k"), None);
    assert_eq!(json_string_member(b"\xff", "k"), None);
}

#[tokio::test]
async fn reset_sends_rst_and_close_sends_fin() {
    let server = Server::start(vec![Action::Reset, Action::Close]).await;
    let mut reset = send(&server, "{}").await;
    let (got, err) = read_rest(&mut reset).await;
    assert!(got.is_empty());
    assert_eq!(err, Some(std::io::ErrorKind::ConnectionReset));
    let mut closed = send(&server, "{}").await;
    assert_eq!(read_rest(&mut closed).await, (Vec::new(), None));
}

#[tokio::test]
async fn server_errors_and_throttling() {
    let server = Server::start(vec![
        Response::aws_error(500, "InternalFailure", "oops").into(),
        Response::aws_error(503, "ServiceUnavailable", "busy").into(),
        Response::throttling(Some("1500")).into(),
        Response::throttling(None).into(),
    ])
    .await;
    let mut stream = send(&server, "{}").await;
    let mut heads = Vec::new();
    for _ in 0..4 {
        let (head, body) = read_response(&mut stream).await;
        heads.push((head, String::from_utf8(body).expect("UTF-8")));
        stream.write_all(&post("{}")).await.expect("send");
    }
    assert!(heads[0]
        .0
        .starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
    assert_eq!(
        heads[0].1,
        r#"{"__type":"InternalFailure","message":"oops"}"#
    );
    assert!(heads[1]
        .0
        .starts_with("HTTP/1.1 503 Service Unavailable\r\n"));
    assert!(heads[1]
        .0
        .contains("x-amzn-ErrorType: ServiceUnavailable\r\n"));
    assert!(heads[2].0.starts_with("HTTP/1.1 400 "), "{}", heads[2].0);
    assert!(heads[2].1.contains("ThrottlingException"));
    assert!(heads[2].0.contains("x-amz-retry-after: 1500\r\n"));
    assert!(!heads[3].0.contains("x-amz-retry-after"), "{}", heads[3].0);
    assert!(heads[3].1.contains("ThrottlingException"));
}

#[tokio::test]
async fn stall_never_answers() {
    let server = Server::start(vec![Action::Stall]).await;
    let mut stream = send(&server, "{}").await;
    assert!(silent_for(&mut stream, Duration::from_millis(300)).await);
    assert_eq!(server.requests().len(), 1, "the request was read");
}

#[tokio::test]
async fn stalled_body_sends_the_head_and_half_the_body_then_nothing() {
    let server = Server::start(vec![Action::StallBody(Response::new(200, "0123456789"))]).await;
    let mut stream = send(&server, "{}").await;
    let (head, length) = read_head(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert_eq!(length, 10);
    let mut half = [0u8; 5];
    stream.read_exact(&mut half).await.expect("half the body");
    assert_eq!(&half, b"01234");
    assert!(silent_for(&mut stream, Duration::from_millis(300)).await);
}

#[tokio::test]
async fn truncated_body_announces_more_than_it_sends_then_closes() {
    let response = Response::json(200, "t", r#"{"deployments":[1,2,3]}"#);
    let server = Server::start(vec![Action::Truncate { response, send: 4 }]).await;
    let mut stream = send(&server, "{}").await;
    let (_, length) = read_head(&mut stream).await;
    assert_eq!(length, 23);
    assert_eq!(read_rest(&mut stream).await, (b"{\"de".to_vec(), None));
}

#[tokio::test]
async fn trickle_sends_the_body_slowly() {
    let every = Duration::from_millis(40);
    let response = Response::new(200, "abcdef");
    let server = Server::start(vec![Action::Trickle {
        response,
        chunk: 2,
        every,
    }])
    .await;
    let started = Instant::now();
    let mut stream = send(&server, "{}").await;
    let (_, body) = read_response(&mut stream).await;
    assert_eq!(body, b"abcdef");
    // Three chunks, each after a pause.
    assert!(started.elapsed() >= every * 3, "{:?}", started.elapsed());
}

#[tokio::test]
async fn delayed_answers_come_late_on_a_kept_alive_connection_and_are_recorded_at_once() {
    let delay = Duration::from_millis(300);
    let server = Server::start(vec![
        Action::json(200, "{\"late\":1}").after(delay),
        Action::json(200, "{}"),
    ])
    .await;
    let started = Instant::now();
    let mut stream = send(&server, "{}").await;
    // Recorded before the answer is due.
    while server.requests().is_empty() {
        assert!(started.elapsed() < delay, "not recorded before answering");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (head, body) = read_response(&mut stream).await;
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(body, b"{\"late\":1}");
    // The delayed response keeps the connection alive like any other.
    stream.write_all(&post("{}")).await.expect("send");
    assert_eq!(read_response(&mut stream).await.1, b"{}");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn huge_html_body_has_the_exact_size() {
    let size: u64 = 64 * 1024 * 1024 + 3;
    let server = Server::start(vec![Action::HugeHtml { status: 503, size }]).await;
    let mut stream = send(&server, "{}").await;
    let (head, length) = read_head(&mut stream).await;
    assert!(
        head.starts_with("HTTP/1.1 503 Service Unavailable"),
        "{head}"
    );
    assert!(head.contains("Content-Type: text/html\r\n"), "{head}");
    assert_eq!(length as u64, size);
    // Count, do not keep: the reader holds one buffer too.
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    let mut first = Vec::new();
    while total < size {
        let n = stream.read(&mut buf).await.expect("read");
        assert_ne!(n, 0, "closed after {total} bytes");
        if first.len() < 15 {
            first.extend_from_slice(&buf[..n.min(15)]);
        }
        total += n as u64;
    }
    assert_eq!(total, size);
    assert!(first.starts_with(b"<!DOCTYPE html>"));
}

#[tokio::test]
async fn wrong_content_type_is_sent_as_set() {
    let response = Response::json(200, "ct", "{}").content_type("text/plain");
    let server = Server::start(vec![response.into()]).await;
    let mut stream = send(&server, "{}").await;
    let (head, _) = read_response(&mut stream).await;
    assert!(head.contains("Content-Type: text/plain\r\n"), "{head}");
    assert!(!head.contains("x-amz-json"), "{head}");
}

#[tokio::test]
async fn malformed_requests_get_an_error_and_are_not_recorded() {
    let server = Server::start(vec![]).await;
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    stream
        .write_all(b"POST / HTTP/2\r\n\r\n")
        .await
        .expect("send");
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 505 "), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("Unsupported version"));
    assert_eq!(read_rest(&mut stream).await.0, b"");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn connection_close_is_honoured() {
    let server = Server::start(vec![Action::json(200, "{}"), Action::json(200, "{}")]).await;
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    stream
        .write_all(b"POST / HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        .await
        .expect("send");
    read_response(&mut stream).await;
    assert_eq!(read_rest(&mut stream).await, (Vec::new(), None));
}

#[tokio::test]
async fn idle_connections_are_closed() {
    let server = Server::builder()
        .idle_timeout(Duration::from_millis(100))
        .start()
        .await
        .expect("start");
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    assert_eq!(read_rest(&mut stream).await, (Vec::new(), None));
}

#[tokio::test]
async fn dropping_the_server_closes_stalled_connections_and_stops_accepting() {
    let server = Server::start(vec![Action::Stall]).await;
    let addr = server.addr();
    let mut stream = send(&server, "{}").await;
    while server.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(server);
    let (got, _) = read_rest(&mut stream).await;
    assert!(got.is_empty());
    assert!(TcpStream::connect(addr).await.is_err(), "still accepting");
}

#[test]
fn a_server_on_its_own_thread_serves_blocking_clients_and_stops_on_drop() {
    let server = Server::builder()
        .script([Action::json(200, "{}")])
        .start_on_thread()
        .expect("start");
    let mut stream = std::net::TcpStream::connect(server.addr()).expect("connect");
    stream.write_all(&post("{}")).expect("send");
    let mut buf = [0u8; 15];
    stream.read_exact(&mut buf).expect("read");
    assert_eq!(&buf, b"HTTP/1.1 200 OK");
    assert_eq!(server.requests().len(), 1);
    let addr = server.addr();
    drop(server);
    let deadline = Instant::now() + Duration::from_secs(5);
    while std::net::TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < deadline, "still accepting after drop");
        std::thread::sleep(Duration::from_millis(10));
    }
}
