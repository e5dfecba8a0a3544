//! `terraform-provider-azurerm`: infra's schema-only test provider (see the crate docs). Terraform starts it
//! through go-plugin: check the magic cookie, listen on a local TCP port, print the handshake line, serve gRPC.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use infra_test_provider::proto::health::health_server::HealthServer;
use infra_test_provider::proto::plugin::grpc_controller_server::GrpcControllerServer;
use infra_test_provider::proto::tfplugin6::provider_server::ProviderServer;
use infra_test_provider::server::{Controller, HealthService, TestProvider};

const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
// The value Terraform (1.x) sets; observed from terraform 1.11.4 and matching its plugin handshake config.
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn main() {
    if std::env::var(MAGIC_COOKIE_KEY).as_deref() != Ok(MAGIC_COOKIE_VALUE) {
        eprintln!(
            "This binary is a plugin. These are not meant to be executed directly.\n\
             It is infra's schema-only test provider for azurerm; Terraform runs it (see README.md, \
             \"Testing with real Terraform\")."
        );
        std::process::exit(1);
    }
    if std::env::var_os("PLUGIN_CLIENT_CERT").is_some_and(|c| !c.is_empty()) {
        eprintln!(
            "infra's test provider does not implement Terraform's automatic mutual TLS; \
             run terraform with TF_DISABLE_PLUGIN_TLS=1"
        );
        std::process::exit(1);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(e) = rt.block_on(serve()) {
        eprintln!("terraform-provider-azurerm (infra test provider): {e}");
        std::process::exit(1);
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let shutdown = Arc::new(tokio::sync::Notify::new());

    // go-plugin handshake: core protocol 1, app protocol 6, network, address, protocol, server cert (none).
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "1|6|tcp|{addr}|grpc|")?;
        out.flush()?;
    }

    let stop = shutdown.clone();
    tonic::transport::Server::builder()
        .add_service(ProviderServer::new(TestProvider::default()).max_decoding_message_size(256 << 20))
        .add_service(GrpcControllerServer::new(Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(HealthServer::new(HealthService))
        .serve_with_incoming_shutdown(tokio_stream::wrappers::TcpListenerStream::new(listener), async move {
            stop.notified().await;
            // Let the Shutdown response reach Terraform, then stop without waiting for its connection to close.
            tokio::time::sleep(Duration::from_millis(20)).await;
            std::process::exit(0);
        })
        .await?;
    Ok(())
}
