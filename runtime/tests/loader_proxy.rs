//! Proxies: the loader's HTTP client sends service calls (STS, SSO) through `HTTP_PROXY` /
//! `HTTPS_PROXY` unless `NO_PROXY` matches, and never sends link-local calls (IMDS, the
//! container endpoint: `allow_proxy: false`) through a proxy.
//!
//! The proxy settings come from the process environment (reqwest reads them when the client
//! is built), so this test binary holds this one test only and sets them before building.
#![cfg(feature = "config-loader")]

use std::time::Duration;

use awsjson_runtime::loader::http::{
    HttpRequest, ProviderHttpClient, RequestSettings, ReqwestProviderClient,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[tokio::test]
async fn service_calls_use_the_proxy_and_link_local_calls_never_do() {
    // A fake proxy that answers every request itself and reports the request line.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                let line = head.lines().next().unwrap_or_default().to_owned();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{line}",
                    line.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    std::env::set_var("HTTP_PROXY", format!("http://127.0.0.1:{port}"));
    std::env::remove_var("http_proxy");
    std::env::set_var("NO_PROXY", "direct.example.invalid");
    std::env::remove_var("no_proxy");
    let client = ReqwestProviderClient::new().expect("client");

    let service = RequestSettings::SERVICE;
    let link_local = RequestSettings {
        connect_timeout: Duration::from_secs(1),
        read_timeout: Duration::from_secs(1),
        allow_proxy: false,
    };
    let get = |url: &str| HttpRequest::new(http::Method::GET, url);

    let via_proxy = client
        .send(get("http://sts.example.invalid/path"), service)
        .await
        .expect("answered by the proxy");
    assert_eq!(
        via_proxy.text(),
        "GET http://sts.example.invalid/path HTTP/1.1"
    );

    // NO_PROXY matches: a direct connection, which fails (the name does not resolve).
    assert!(client
        .send(get("http://direct.example.invalid/"), service)
        .await
        .is_err());
    // Link-local settings never use the proxy either.
    assert!(client
        .send(get("http://sts.example.invalid/path"), link_local)
        .await
        .is_err());
}
