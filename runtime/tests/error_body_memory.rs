//! Memory of a call whose error body is a huge non-JSON page (an HTML error page from a proxy,
//! up to the 64 MiB body cap): the excerpt in the error message must be computed from a few KiB
//! of the body, never from all of it.
//!
//! Measured, not assumed: this test binary counts every heap allocation (a global allocator
//! wrapping the system one) and checks the peak of live heap bytes during the call. Only one
//! test lives in this binary so nothing else allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use awsjson_runtime::client::Handle;
use awsjson_runtime::config::{Config, Credentials, Env, Region};
use awsjson_runtime::error::SdkError;
use awsjson_test_support::fake_service::{ENDPOINT_OVERRIDE_SPEC, UNIT_OP};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated.
#[allow(
    unsafe_code,
    reason = "a global allocator is an unsafe trait; this one only counts"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// 64 MiB less a little (the cap is 64 MiB), the most a call accepts.
const BODY_LEN: usize = 64 * 1024 * 1024 - 1024;

#[tokio::test]
async fn a_64_mib_html_error_body_costs_no_more_than_the_body() {
    // Short words are the worst case for splitting into words: one `&str` (16 bytes) per 2
    // bytes of body.
    let body: &'static [u8] = {
        let mut page = b"<html><body>502 Bad Gateway ".to_vec();
        while page.len() < BODY_LEN {
            page.extend_from_slice(b"a ");
        }
        page.truncate(BODY_LEN);
        Vec::leak(page)
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        let mut chunk = [0u8; 4096];
        // Read the head and the small body of the request, then answer.
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut chunk).await.expect("read");
            assert!(n > 0, "client hung up");
            request.extend_from_slice(&chunk[..n]);
        }
        let head = format!(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.expect("write head");
        stream.write_all(body).await.expect("write body");
        let _ = stream.read(&mut chunk).await;
    });

    let config = Config::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region(Region::from_static("us-east-1"))
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .build();
    let handle = Handle::new(&ENDPOINT_OVERRIDE_SPEC, config);

    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let result = handle.invoke(&UNIT_OP, b"{}".to_vec()).await;
    let peak_growth = PEAK.load(Ordering::Relaxed) - baseline;
    eprintln!("peak heap growth during the call: {peak_growth} bytes");

    let err = match result {
        Err(SdkError::ServiceError(err)) => err,
        other => panic!("expected a service error, got {other:?}"),
    };
    let message = err.err().message().expect("an excerpt as the message");
    assert!(
        message.starts_with("unrecognized error response: <html><body>502 Bad Gateway a a"),
        "{message}"
    );
    assert!(message.len() < 300, "{} bytes", message.len());
    assert_eq!(err.raw().body().len(), BODY_LEN);

    // The body itself is read into one buffer (64 MiB); everything else the call does is small.
    // Splitting the whole body into words cost ~10x the body.
    let bound = BODY_LEN + 16 * 1024 * 1024;
    assert!(
        peak_growth <= bound,
        "peak heap growth {peak_growth} bytes > {bound} bytes for a {BODY_LEN}-byte body"
    );
}
