//! infra's schema-only Terraform test provider.
//!
//! One binary, `terraform-provider-azurerm`, serves over Terraform's plugin protocol v6 the provider its file
//! name names ([`schema::Served::for_program`]; the harness links it under each name): the azurerm 4.79.0
//! resource schemas that infra vendors (`src/azurerm/data/schema/`), as `terraform-provider-time` the vendored
//! hashicorp/time `time_sleep` schema, as `terraform-provider-corpus` the plan corpus's hand-made
//! `hashicorp/corpus` provider, so the test suite can run real
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
