//! The crate's frame: `Cargo.toml`, `lib.rs`, the client, config and error re-exports,
//! module indexes and the endpoint rule set.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, inner_doc_attrs, model_doc_attrs, Types};
use super::operation::OperationNames;
use crate::error::Error;
use crate::ir::{Service, Shape, ShapeKind};
use crate::Settings;

/// `Cargo.toml` of the generated crate.
pub fn cargo_toml(service: &Service, settings: &Settings, header: &str) -> String {
    let title = service.title.as_deref().unwrap_or(&service.sdk_id);
    // Only services with operations that compress requests pay for gzip.
    let runtime_features = if service.operations.iter().any(|op| op.request_compression) {
        ", features = [\"request-compression\"]"
    } else {
        ""
    };
    let mut features = String::from("[features]\n");
    features.push_str(
        "# `config::{load_defaults, defaults, ConfigLoader}`: the runtime's aws-config-shaped loader.\n",
    );
    features.push_str("config-loader = [\"awsjson-runtime/config-loader\"]\n");
    features.push_str(
        "# No-ops, so Cargo.toml files written for aws-sdk-rust resolve: `Client::new(&SdkConfig)`\n\
         # is always there, no behavior version is required, and the rustls/tokio transport is\n\
         # always on.\n",
    );
    for alias in super::config_files::NO_OP_FEATURES {
        features.push_str(&format!("{alias} = []\n"));
    }
    features.push_str(
        "# Adds `test_util`: scripted responses and captured requests for unit tests, no network.\n",
    );
    features.push_str("test-util = [\"awsjson-runtime/test-util\"]\n");
    features.push_str(
        "# Verify servers against the Mozilla roots bundled in the binary instead of the OS trust\n\
         # store: for minimal containers without a CA bundle.\n",
    );
    features.push_str("webpki-roots = [\"awsjson-runtime/webpki-roots\"]\n");
    if settings.operation_features {
        features.push_str("default = [\"config-loader\", \"full\"]\n");
        let all: Vec<String> = service
            .operations
            .iter()
            .map(|op| format!("\"{}\"", op.feature))
            .collect();
        features.push_str(&format!("full = [{}]\n", all.join(", ")));
    } else {
        features.push_str("default = [\"config-loader\"]\n");
    }
    if settings.operation_features {
        for op in &service.operations {
            features.push_str(&format!("{} = []\n", op.feature));
        }
    }
    features.push_str(
        "# `Serialize` and `Deserialize` for every shape, on stable Rust (see the crate docs).\n",
    );
    features.push_str("serde = [\"dep:serde\", \"awsjson-runtime/serde\"]\n");
    format!(
        "# {header}\n\n[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\n\
         description = \"Rust SDK for {title}, generated from its Smithy model\"\npublish = false\n\n\
         [dependencies]\nawsjson-runtime = {{ path = \"{runtime}\", default-features = false{runtime_features} }}\n\
         serde = {{ version = \"1\", optional = true, features = [\"derive\"] }}\n\n{features}",
        name = settings.crate_name,
        version = settings.crate_version,
        title = title.replace('"', "'"),
        runtime = settings.runtime_path,
    )
}

/// `src/lib.rs`: crate documentation and the module tree.
pub fn lib_rs(service: &Service, settings: &Settings) -> TokenStream {
    let title = service
        .title
        .clone()
        .unwrap_or_else(|| service.sdk_id.clone());
    let krate = settings.crate_name.replace('-', "_");
    let example = service.operations.first();
    let mut lines: Vec<String> = vec![format!("# {title}"), String::new()];
    if let Some(docs) = &service.docs {
        lines.extend(crate::docs::to_markdown(docs, 92));
        lines.push(String::new());
    }
    lines.push(format!(
        "This crate was generated from the service's Smithy model. It speaks `awsJson{}` \
         and signs requests with SigV4 (signing name `{}`).",
        service.protocol.version().replace('.', "_"),
        service.signing_name
    ));
    lines.push(String::new());
    lines.push("## Configuration".to_string());
    lines.push(String::new());
    lines.push(
        "Build a [`Config`] with [`Config::builder()`]: region, credentials, endpoint, \
         retries and timeouts. Anything not set explicitly comes from the environment \
         (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, ...) and the shared `~/.aws` files."
            .to_string(),
    );
    lines.push(String::new());
    if let Some(op) = example {
        let method = &op.module;
        let error = &op.error_name;
        lines.push("## Making a call".to_string());
        lines.push(String::new());
        lines.push("```no_run".to_string());
        lines.push(format!("use {krate}::config::{{Credentials, Region}};"));
        lines.push(format!("use {krate}::operation::{method}::{error};"));
        lines.push(String::new());
        lines.push("# async fn example() {".to_string());
        lines.push(format!("let config = {krate}::Config::builder()"));
        lines.push("    .region(Region::new(\"us-east-1\"))".to_string());
        lines.push("    .credentials_provider(Credentials::new(\"AKID\", \"SECRET\", None, None, \"example\"))".to_string());
        lines.push("    .build();".to_string());
        lines.push(format!("let client = {krate}::Client::from_conf(config);"));
        // Required string members get a placeholder so the example reads as a real call.
        let required: String = match &service.shapes[&op.input].kind {
            crate::ir::ShapeKind::Structure(s) => s
                .members
                .iter()
                .filter(|m| m.required && m.target == crate::ir::Type::String)
                .map(|m| format!(".{}(\"example\")", m.field))
                .collect(),
            _ => String::new(),
        };
        lines.push(format!("match client.{method}(){required}.send().await {{"));
        lines.push("    Ok(output) => println!(\"{output:?}\"),".to_string());
        lines.push("    Err(err) => match err.as_service_error() {".to_string());
        lines.push(format!(
            "        Some({error}::Unhandled(other)) => eprintln!(\"unexpected: {{other}}\"),"
        ));
        lines.push("        Some(modeled) => eprintln!(\"service error: {modeled}\"),".to_string());
        lines.push("        None => eprintln!(\"request failed: {err}\"),".to_string());
        lines.push("    },".to_string());
        lines.push("}".to_string());
        lines.push("# }".to_string());
        lines.push("```".to_string());
        lines.push(String::new());
    }
    if !service.skipped_operations.is_empty() {
        lines.push("## Operations not generated".to_string());
        lines.push(String::new());
        lines.push(
            "These operations of the service use event streams, which this generator does \
             not support; they are not part of this crate:"
                .to_string(),
        );
        lines.push(String::new());
        for s in &service.skipped_operations {
            lines.push(format!("- `{}`", s.name));
        }
        lines.push(String::new());
    }
    lines.push("## Errors, retries and timeouts".to_string());
    lines.push(String::new());
    lines.push(
        "Every operation returns [`error::SdkError`] around its own error enum, with a \
         variant per modeled error and `Unhandled` for the rest; `Display` always shows \
         the code, the message and the request id. Throttling, transient errors and \
         5xx responses are retried (standard mode, 3 attempts by default); connect and \
         read timeouts are on by default, attempt and operation timeouts can be set in \
         [`config::timeout::TimeoutConfig`]."
            .to_string(),
    );
    lines.push(String::new());
    lines.push("## Features".to_string());
    lines.push(String::new());
    lines.push("- `config-loader` (default): `config::load_defaults`, `config::defaults` and `config::ConfigLoader`, aws-config's loader (profiles, SSO, web identity, IMDS, ECS, assume-role) without aws-config. `Client::new(&SdkConfig)` works with or without it, also with aws-config's `SdkConfig`.".to_string());
    lines.push("- `aws-config`, `behavior-version-latest`, `rustls`, `rt-tokio`, `default-https-client`: accepted and do nothing, so Cargo.toml files written for aws-sdk-rust resolve.".to_string());
    lines.push("- `test-util`: the `test_util` module, to script the responses of a client and inspect its requests in unit tests, without network; and `mocks`, aws-smithy-mocks' `mock!` / `mock_client!` rules.".to_string());
    lines.push("- `webpki-roots`: verify servers against the Mozilla roots bundled in the binary instead of the operating system's trust store, for minimal containers without a CA bundle.".to_string());
    if settings.operation_features {
        lines.push("- `full` (default): every operation. Each operation also has its own feature (`get-container-service-deployments` style); enable only those you call to compile less.".to_string());
    }
    lines.extend(super::common::serde_feature_docs());
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let docs = inner_doc_attrs(&refs);
    let test_util = test_util_module(service, &krate);
    let root_error = ident(&service.root_error.name);
    let root_error_module = ident(&service.root_error.module);
    let has_waiters = service.operations.iter().any(|op| !op.waiters.is_empty());
    let waiters_mod = if has_waiters {
        quote! {
            #[rustfmt::skip]
            pub mod waiters;
        }
    } else {
        TokenStream::new()
    };
    let mocks = super::customize::mocks_module(service, &krate);
    quote! {
        #docs
        #![warn(missing_docs)]

        // The generator lays out its output (prettyplease); rustfmt leaves it as is.
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod config;
        #[rustfmt::skip]
        mod endpoint;
        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod primitives;
        #[rustfmt::skip]
        mod protocol_serde;
        #[rustfmt::skip]
        pub mod types;
        #waiters_mod
        #[doc(hidden)]
        #[rustfmt::skip]
        pub mod __private;

        #[rustfmt::skip]
        mod #root_error_module;

        pub use client::Client;
        pub use config::Config;
        pub use #root_error_module::#root_error;

        /// Information about this crate.
        pub mod meta {
            /// The crate's version.
            pub static PKG_VERSION: &str = env!("CARGO_PKG_VERSION");
        }

        #test_util

        #mocks
    }
}

/// The `test_util` module of `lib.rs` (feature `test-util`): the runtime's test transports,
/// documented with a doctest that calls the service's first operation.
fn test_util_module(service: &Service, krate: &str) -> TokenStream {
    let mut lines: Vec<String> = vec![
        "Test utilities (feature `test-util`): script the HTTP responses of a [`Client`](crate::Client) and inspect the requests it sent, with no network and no server.".to_string(),
        String::new(),
        "Plug a test transport in with `Config::builder().http_client_for_tests(..)`. Endpoint resolution, SigV4 signing, retries, timeouts and response parsing all still run, so set a region and credentials. Retried errors sleep between attempts: set `sleep_impl` (see [`config::hooks`](crate::config::hooks)) or disable retries to keep tests fast.".to_string(),
        String::new(),
        "- [`StaticReplayClient`]: answers each attempt with the next [`ReplayEvent`] (a response, an AWS JSON error, an I/O error, or a recorded `.http` response with [`ReplayEvent::from_http`]) and records every [`CapturedRequest`] (method, URI, headers, body);".to_string(),
        "- [`capture_request`]: one response for every request, and a [`CaptureRequestReceiver`] of the requests;".to_string(),
        "- [`infallible_client_fn`]: each response computed from the request; or implement [`TestHttpClient`] for a fake service.".to_string(),
        String::new(),
        "Responses are raw HTTP: there are no output serializers, so write the response JSON.".to_string(),
        String::new(),
    ];
    if let Some(op) = service.operations.first() {
        // Required members without a default must be set, or `send` fails before sending.
        let required: Vec<&crate::ir::Member> = match service.shapes.get(&op.input).map(|s| &s.kind)
        {
            Some(crate::ir::ShapeKind::Structure(st)) => st
                .members
                .iter()
                .filter(|m| m.required && m.default.is_none())
                .collect(),
            _ => Vec::new(),
        };
        let value = "example";
        let fillable = required.iter().all(|m| {
            matches!(m.target, crate::ir::Type::String)
                && m.length.as_ref().is_none_or(|b| {
                    b.min.is_none_or(|min| min <= value.len() as f64)
                        && b.max.is_none_or(|max| max >= value.len() as f64)
                })
        });
        let setters: String = required
            .iter()
            .map(|m| format!(".{}(\"{value}\")", m.field))
            .collect();
        let method = &op.module;
        lines.push("# Example".to_string());
        lines.push(String::new());
        lines.push(if fillable { "```" } else { "```no_run" }.to_string());
        lines.push(format!("use {krate}::config::{{Credentials, Region}};"));
        lines.push(format!("use {krate}::error::ProvideErrorMetadata;"));
        lines.push(format!(
            "use {krate}::test_util::{{block_on, ReplayEvent, StaticReplayClient}};"
        ));
        lines.push(String::new());
        lines.push("let replay = StaticReplayClient::new([".to_string());
        lines.push(
            "    ReplayEvent::error(400, \"ExampleException\", \"scripted failure\"),".to_string(),
        );
        lines.push("    ReplayEvent::json(200, \"{}\"),".to_string());
        lines.push("]);".to_string());
        lines.push(format!("let config = {krate}::Config::builder()"));
        lines.push("    .region(Region::new(\"us-east-1\"))".to_string());
        lines.push("    .credentials_provider(Credentials::new(\"AKIDEXAMPLE\", \"SECRET\", None, None, \"test\"))".to_string());
        lines.push("    .http_client_for_tests(replay.clone())".to_string());
        lines.push("    .build();".to_string());
        lines.push(format!("let client = {krate}::Client::from_conf(config);"));
        lines.push(String::new());
        lines.push("// (in an async test: `client...send().await`)".to_string());
        lines.push(format!(
            "let err = block_on(client.{method}(){setters}.send()).unwrap_err();"
        ));
        lines.push("assert_eq!(err.code(), Some(\"ExampleException\"));".to_string());
        lines.push("assert_eq!(err.message(), Some(\"scripted failure\"));".to_string());
        lines.push(format!(
            "let _output = block_on(client.{method}(){setters}.send())?;"
        ));
        lines.push(String::new());
        lines.push("let requests = replay.requests();".to_string());
        lines.push("assert_eq!(requests.len(), 2);".to_string());
        lines.push("let request = &requests[1];".to_string());
        lines.push("assert_eq!(request.method(), \"POST\");".to_string());
        lines.push("assert!(request.uri().ends_with('/'));".to_string());
        lines.push(format!(
            "assert_eq!(request.header(\"x-amz-target\"), Some(\"{}.{}\"));",
            service.target_prefix, op.name
        ));
        lines.push(format!(
            "assert_eq!(request.header(\"content-type\"), Some(\"application/x-amz-json-{}\"));",
            service.protocol.version()
        ));
        lines.push(
            "let authorization = request.header(\"authorization\").unwrap_or_default();"
                .to_string(),
        );
        lines.push(
            "assert!(authorization.starts_with(\"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\"));"
                .to_string(),
        );
        lines.push("let body = request.body_str().unwrap_or_default();".to_string());
        for m in &required {
            lines.push(format!(
                "assert!(body.contains(r#\"\"{}\":\"{value}\"\"#));",
                m.wire_name.replace('"', "")
            ));
        }
        lines.push("replay.assert_all_consumed();".to_string());
        lines.push("# Ok::<(), Box<dyn std::error::Error>>(())".to_string());
        lines.push("```".to_string());
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let docs = inner_doc_attrs(&refs);
    quote! {
        #[cfg(feature = "test-util")]
        #[rustfmt::skip]
        pub mod test_util {
            #docs

            pub use awsjson_runtime::client::test_util::{
                block_on, capture_request, infallible_client_fn, CaptureRequestReceiver,
                CapturedRequest, FnClient, ReplayEvent, StaticReplayClient, TestHttpClient,
            };
        }
    }
}

/// `src/client.rs`.
pub fn client_rs(types: &Types<'_>, settings: &Settings) -> Result<TokenStream, Error> {
    let service = types.service;
    let sdk_id = &service.sdk_id;
    let signing = &service.signing_name;
    let prefix = &service.target_prefix;
    let version = service.protocol.version();
    let waiters = super::waiter::client_items(types, settings)?;
    let mut methods = Vec::new();
    for op in &service.operations {
        let n = OperationNames::new(types, op)?;
        let method = &n.module;
        let fluent = &n.fluent;
        let module = &n.module;
        let docs = model_doc_attrs(op.docs.as_deref());
        let deprecated = super::common::deprecated_attr(op.deprecated.as_ref());
        let cfg = feature_cfg(types, settings, [&op.name])?;
        methods.push(quote! {
            #cfg
            #docs
            #deprecated
            pub fn #method(&self) -> crate::operation::#module::builders::#fluent {
                crate::operation::#module::builders::#fluent::new(self.handle.clone())
            }
        });
    }
    let title = service.title.clone().unwrap_or_else(|| sdk_id.clone());
    let client_doc = format!(" Client for {title}.");
    let query_compatible = service.aws_query_compatible;
    Ok(quote! {
        //! The service client.

        /// What the runtime needs to know about this service.
        static SERVICE: awsjson_runtime::client::ServiceSpec = awsjson_runtime::client::ServiceSpec {
            sdk_id: #sdk_id,
            signing_name: #signing,
            target_prefix: #prefix,
            json_version: #version,
            endpoint_rules: crate::endpoint::RULE_SET,
            crate_name: env!("CARGO_PKG_NAME"),
            crate_version: env!("CARGO_PKG_VERSION"),
            aws_query_compatible: #query_compatible,
        };

        #[doc = #client_doc]
        ///
        /// Cheap to clone: clones share the configuration, the HTTP connection pool, the
        /// credentials cache and the retry budget.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: std::sync::Arc<awsjson_runtime::client::Handle>,
        }

        impl Client {
            /// Creates a client from a [`Config`](crate::Config).
            pub fn from_conf(config: crate::Config) -> Self {
                Client {
                    handle: std::sync::Arc::new(awsjson_runtime::client::Handle::new(&SERVICE, config)),
                }
            }

            /// Creates a client from shared AWS configuration, as loaded by
            /// [`config::load_defaults`](crate::config) or `aws_config::load_defaults`.
            /// Unlike aws-sdk-rust, no behavior version is required.
            pub fn new(sdk_config: &awsjson_runtime::config::SdkConfig) -> Self {
                Self::from_conf(crate::Config::new(sdk_config))
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.handle.config()
            }

            #(#methods)*
        }

        #waiters

        /// Per-call customization of an operation: its fluent builder's `customize()`.
        pub mod customize {
            pub use awsjson_runtime::client::customize::{CustomizableOperation, HttpRequest};
        }
    })
}

/// The `#[cfg(...)]` gating an item on the features of the operations (by name) that use
/// it; nothing without per-operation features.
pub fn feature_cfg<'a>(
    types: &Types<'_>,
    settings: &Settings,
    operations: impl IntoIterator<Item = &'a String>,
) -> Result<TokenStream, Error> {
    if !settings.operation_features {
        return Ok(TokenStream::new());
    }
    let mut features = Vec::new();
    for op in operations {
        let feature = types
            .features
            .get(op.as_str())
            .ok_or_else(|| Error::Internal {
                shape: op.clone(),
                reason: "a feature for an operation that is not generated".into(),
            })?;
        features.push(*feature);
    }
    Ok(match features.as_slice() {
        [] => TokenStream::new(),
        [f] => quote! { #[cfg(feature = #f)] },
        _ => quote! { #[cfg(any(#(feature = #features),*))] },
    })
}

/// `src/primitives.rs`.
pub fn primitives_rs() -> TokenStream {
    quote! {
        //! Value types used by the generated shapes.

        pub use awsjson_runtime::primitives::{
            BigDecimal, BigInteger, Blob, DateTime, DateTimeFormat, Document, Number,
            UnknownVariantError, UnknownVariantValue,
        };
    }
}

/// `src/operation.rs`.
pub fn operation_rs(types: &Types<'_>, settings: &Settings) -> Result<TokenStream, Error> {
    let mut mods = Vec::new();
    for op in &types.service.operations {
        let module = ident(&op.module);
        let cfg = feature_cfg(types, settings, [&op.name])?;
        mods.push(quote! { #cfg pub mod #module; });
    }
    Ok(quote! {
        //! One module per operation: its input, output, error enum and builders.

        pub use awsjson_runtime::error::RequestId;

        #(#mods)*
    })
}

/// `src/types.rs` or `src/types/error.rs`: one private module per shape, re-exported,
/// plus a `builders` module for the structures' builders.
pub fn types_index(
    types: &Types<'_>,
    settings: &Settings,
    shapes: &[&Shape],
    doc: &str,
    has_error_module: bool,
) -> Result<TokenStream, Error> {
    let mut mods = Vec::new();
    let mut uses = Vec::new();
    let mut builders = Vec::new();
    for s in shapes {
        let module = ident(&s.module_ident);
        let name = ident(&s.rust_name);
        let cfg = feature_cfg(types, settings, &s.operations)?;
        mods.push(quote! { #cfg mod #module; });
        uses.push(quote! { #cfg pub use self::#module::#name; });
        if let ShapeKind::Structure(st) = &s.kind {
            let builder = ident(&st.builder);
            builders.push(quote! { #cfg pub use super::#module::#builder; });
        }
    }
    let error_module = if has_error_module {
        quote! { pub mod error; }
    } else {
        TokenStream::new()
    };
    let doc = inner_doc_attrs(&[doc]);
    let builders = if builders.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            /// Builders of the structures in this module.
            pub mod builders {
                #(#builders)*
            }
        }
    };
    Ok(quote! {
        #doc

        #error_module
        #(#mods)*
        #(#uses)*

        #builders
    })
}

/// `src/__private.rs`: the output parsers, for the project's own tools (the benchmark
/// calls them directly). Hidden from the docs and not part of the API, like serde's
/// `__private`.
pub fn private_rs(types: &Types<'_>, settings: &Settings) -> Result<TokenStream, Error> {
    let mut uses = Vec::new();
    for op in &types.service.operations {
        let cfg = feature_cfg(types, settings, [&op.name])?;
        let module = ident(&op.module);
        let de_output = ident(&op.de_output);
        uses.push(quote! { #cfg pub use crate::protocol_serde::#module::#de_output; });
    }
    Ok(quote! {
        //! Internals for the project's own tools (benchmarks, fuzzers): each operation's
        //! response parser. Not part of the API; it may change in any release.

        #(#uses)*
    })
}

/// `src/protocol_serde.rs`.
pub fn protocol_index(
    types: &Types<'_>,
    modules: &[(String, Vec<String>)],
    settings: &Settings,
) -> Result<TokenStream, Error> {
    let mut mods = Vec::new();
    for (m, ops) in modules {
        let m = ident(m);
        let cfg = feature_cfg(types, settings, ops)?;
        mods.push(quote! { #cfg pub(crate) mod #m; });
    }
    Ok(quote! {
        //! Request serializers and response parsers for the AWS JSON protocol.

        #(#mods)*
    })
}
