//! infra's schema-only Terraform test provider.
//!
//! The binary `terraform-provider-azurerm` serves the azurerm 4.79.0 resource schemas that infra vendors
//! (`src/azurerm/data/schema/`), and `terraform-provider-time` the vendored hashicorp/time `time_sleep` schema,
//! over Terraform's plugin protocol v6, so the test suite can run real
//! `terraform validate` and `terraform plan` offline. It plans (computed attributes become "known after
//! apply") but never applies. [`harness`] runs terraform against it.

pub mod harness;
pub mod plugin;
pub mod schema;
pub mod server;
#[cfg(feature = "mtls")]
pub mod tls;
pub mod values;

/// Code generated from `proto/` by `build.rs`.
pub mod proto {
    #![allow(clippy::all, clippy::pedantic)]
    pub mod tfplugin6 {
        tonic::include_proto!("tfplugin6");
    }
    pub mod plugin {
        tonic::include_proto!("plugin");
    }
    pub mod health {
        tonic::include_proto!("grpc.health.v1");
    }
}
