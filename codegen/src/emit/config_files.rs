//! `src/config.rs` and `src/error.rs`: re-exports of the runtime's configuration and error
//! types, at the paths aws-sdk-rust crates use.

use proc_macro2::TokenStream;
use quote::quote;

/// Cargo features every generated crate accepts and ignores: names users copy from
/// aws-sdk-rust Cargo.toml files, for what this crate always does.
pub const NO_OP_FEATURES: &[&str] = &[
    "aws-config",
    "behavior-version-latest",
    "rustls",
    "rt-tokio",
    "default-https-client",
];

/// `src/config.rs`.
pub fn config_rs() -> TokenStream {
    quote! {
        //! Client configuration: region, credentials, endpoint, retries, timeouts.
        //!
        //! Build a [`Config`] with [`Config::builder()`], or from shared configuration with
        //! [`Config::new`] / `Builder::from(&sdk_config)`; load shared configuration with
        //! `load_defaults` (feature `config-loader`) or aws-config.

        pub use awsjson_runtime::config::{
            AccountIdEndpointMode, AppName, BehaviorVersion, Builder, Config, Credentials,
            Region, SdkConfig, SharedCredentialsProvider,
        };

        #[cfg(feature = "config-loader")]
        pub use awsjson_runtime::loader::{defaults, load_defaults, ConfigLoader};

        #[cfg(feature = "config-loader")]
        #[allow(deprecated)]
        pub use awsjson_runtime::loader::load_from_env;

        /// Hooks that make a client deterministic in tests: the environment it reads, its
        /// clock, how it sleeps between retries and the retry jitter.
        pub mod hooks {
            pub use awsjson_runtime::config::{Env, Jitter, Sleep, TimeSource};
        }

        /// Retry configuration.
        pub mod retry {
            pub use awsjson_runtime::config::retry::{
                ReconnectMode, RetryConfig, RetryConfigBuilder, RetryMode,
            };
        }

        /// Timeout configuration.
        pub mod timeout {
            pub use awsjson_runtime::config::timeout::{TimeoutConfig, TimeoutConfigBuilder};
        }
    }
}

/// `src/error.rs`.
pub fn error_rs() -> TokenStream {
    quote! {
        //! Errors shared by every operation; each operation's own error enum lives in its
        //! module under [`operation`](crate::operation), and [`Error`](crate::Error) at the
        //! crate root converts from all of them.

        pub use awsjson_runtime::error::{
            BoxError, BuildError, DisplayErrorContext, ErrorMetadata, ProvideErrorMetadata,
            SdkError, Unhandled,
        };
        pub use awsjson_runtime::primitives::UnknownVariantError;
        pub use awsjson_runtime::response::HttpResponse;
    }
}
