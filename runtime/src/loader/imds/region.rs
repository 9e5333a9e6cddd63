//! The region from IMDS (`/latest/meta-data/placement/region`), the last step of the default
//! region chain. Failures are logged and mean "no region".

use aws_types::region::Region;

use super::Client;

/// The instance's region, or `None`.
pub async fn region(client: &Client) -> Option<Region> {
    match client.get("/latest/meta-data/placement/region").await {
        Ok(region) if !region.trim().is_empty() => Some(Region::new(region.trim().to_owned())),
        Ok(_) => None,
        Err(e) => {
            tracing::debug!(error = %e, "no region from IMDS");
            None
        }
    }
}
