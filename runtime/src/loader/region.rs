//! Regions: aws-config's `RegionProviderChain` and the default region chain (environment,
//! then the selected profile's `region`, then IMDS).

use std::future::Future;
use std::pin::Pin;

use aws_types::region::Region;

use super::imds;
use super::provider_config::ProviderConfig;

/// The future of a region provider.
pub type RegionFuture<'a> = Pin<Box<dyn Future<Output = Option<Region>> + Send + 'a>>;

/// Something that may know the region (aws-config's `ProvideRegion`).
pub trait ProvideRegion: std::fmt::Debug + Send + Sync {
    /// The region, if known.
    fn region(&self) -> RegionFuture<'_>;
}

impl ProvideRegion for Region {
    fn region(&self) -> RegionFuture<'_> {
        let r = self.clone();
        Box::pin(async move { Some(r) })
    }
}

impl ProvideRegion for &'static str {
    fn region(&self) -> RegionFuture<'_> {
        let r = Region::new(*self);
        Box::pin(async move { Some(r) })
    }
}

impl ProvideRegion for Option<Region> {
    fn region(&self) -> RegionFuture<'_> {
        let r = self.clone();
        Box::pin(async move { r })
    }
}

/// The default region chain over a [`ProviderConfig`].
#[derive(Debug, Clone, Default)]
pub struct DefaultRegionChain {
    config: ProviderConfig,
}

impl DefaultRegionChain {
    /// The chain over `config`.
    pub fn new(config: &ProviderConfig) -> Self {
        DefaultRegionChain {
            config: config.clone(),
        }
    }

    /// Environment, then profile (no network).
    pub fn region_without_imds(&self) -> Option<Region> {
        super::environment::region(&self.config.env).or_else(|| {
            self.config
                .profile_set()
                .ok()?
                .selected()?
                .get_nonempty("region")
                .map(|r| Region::new(r.to_owned()))
        })
    }
}

impl ProvideRegion for DefaultRegionChain {
    fn region(&self) -> RegionFuture<'_> {
        Box::pin(async move {
            if let Some(r) = self.region_without_imds() {
                return Some(r);
            }
            if imds::disabled(&self.config) {
                return None;
            }
            let client = imds::Client::builder().configure(&self.config).build();
            imds::region::region(&client).await
        })
    }
}

/// Tries providers in order (aws-config's `RegionProviderChain`).
#[derive(Debug)]
pub struct RegionProviderChain {
    providers: Vec<Box<dyn ProvideRegion>>,
}

impl RegionProviderChain {
    /// Starts with `provider`.
    pub fn first_try(provider: impl ProvideRegion + 'static) -> Self {
        RegionProviderChain {
            providers: vec![Box::new(provider)],
        }
    }

    /// Starts with the default chain (environment, profile, IMDS).
    pub fn default_provider() -> Self {
        Self::first_try(DefaultRegionChain::default())
    }

    /// Adds a fallback.
    pub fn or_else(mut self, provider: impl ProvideRegion + 'static) -> Self {
        self.providers.push(Box::new(provider));
        self
    }

    /// Adds the default chain as a fallback.
    pub fn or_default_provider(self) -> Self {
        self.or_else(DefaultRegionChain::default())
    }

    /// The first region any provider knows.
    pub async fn region(&self) -> Option<Region> {
        for p in &self.providers {
            if let Some(r) = p.region().await {
                return Some(r);
            }
        }
        None
    }
}

impl ProvideRegion for RegionProviderChain {
    fn region(&self) -> RegionFuture<'_> {
        Box::pin(RegionProviderChain::region(self))
    }
}
