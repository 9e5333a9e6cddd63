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
use awsjson_test_support::server::{Action, Response, Server};

#[tokio::test]
async fn service_calls_use_the_proxy_and_link_local_calls_never_do() {
    // The loopback server plays a proxy that answers every request itself: a request that
    // reaches it names the absolute URL (`GET http://host/path`), as clients write to a proxy.
    let proxy =
        Server::with_handler(|_| Action::Respond(Response::new(200, "from the proxy"))).await;
    std::env::set_var("HTTP_PROXY", proxy.url());
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
    assert_eq!(via_proxy.text(), "from the proxy");
    let requests = proxy.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("GET", "http://sts.example.invalid/path")
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
    // Neither of them reached the proxy.
    assert_eq!(proxy.requests().len(), 1);
}
