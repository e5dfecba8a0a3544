//! The plugin process of infra's schema-only test providers (`terraform-provider-azurerm`,
//! `terraform-provider-time`, `terraform-provider-corpus`; see the crate docs). Terraform starts it through
//! go-plugin: check the magic cookie, listen on a local TCP port, print the handshake line, serve gRPC.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use crate::proto::health::health_server::HealthServer;
use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::tfplugin6::provider_server::ProviderServer;
use crate::schema::Served;
use crate::server::{Controller, HealthService, TestProvider};
#[cfg(feature = "mtls")]
use crate::tls::{self, ServerTls, TlsConn};

#[cfg(not(feature = "mtls"))]
enum ServerTls {}

const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
// The value Terraform sets for its plugins (observed from terraform 1.11.4).
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn fail(message: &str) -> ! {
    eprintln!("infra test provider: {message}");
    std::process::exit(1);
}

/// Runs the plugin serving `served`'s schemas; never returns.
pub fn main(served: Served) {
    if std::env::var(MAGIC_COOKIE_KEY).as_deref() != Ok(MAGIC_COOKIE_VALUE) {
        eprintln!(
            "This binary is a plugin. These are not meant to be executed directly.\n\
             It is infra's schema-only test provider for azurerm, time and the plan corpus; Terraform runs it \
             (see README.md, \
             \"Testing with real Terraform\")."
        );
        std::process::exit(1);
    }
    // Terraform passes its client certificate unless TF_DISABLE_PLUGIN_TLS is set: then serve mutual TLS.
    let tls: Option<ServerTls> = match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !pem.trim().is_empty() => server_tls(&pem),
        _ => None,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(e) = rt.block_on(serve(tls, served)) {
        fail(&e.to_string());
    }
    std::process::exit(0);
}

#[cfg(feature = "mtls")]
fn server_tls(pem: &str) -> Option<ServerTls> {
    Some(tls::server_tls(pem).unwrap_or_else(|e| fail(&format!("TLS setup failed: {e}"))))
}

#[cfg(not(feature = "mtls"))]
fn server_tls(_: &str) -> Option<ServerTls> {
    fail("built without the `mtls` feature: run terraform with TF_DISABLE_PLUGIN_TLS=1")
}

async fn serve(tls: Option<ServerTls>, served: Served) -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let shutdown = Arc::new(tokio::sync::Notify::new());

    // go-plugin handshake: core protocol 1, app protocol 6, network, address, protocol, server certificate
    // (base64 DER without padding; empty for plain gRPC).
    {
        #[cfg(feature = "mtls")]
        let cert = tls.as_ref().map(|t| t.cert_base64.as_str()).unwrap_or("");
        #[cfg(not(feature = "mtls"))]
        let cert = "";
        let mut out = std::io::stdout().lock();
        writeln!(out, "1|6|tcp|{addr}|grpc|{cert}")?;
        out.flush()?;
    }

    let stop = shutdown.clone();
    let router = tonic::transport::Server::builder()
        .add_service(ProviderServer::new(TestProvider::new(served)).max_decoding_message_size(256 << 20))
        .add_service(GrpcControllerServer::new(Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(HealthServer::new(HealthService));
    let stopped = async move {
        stop.notified().await;
        // Let the Shutdown response reach Terraform, then stop without waiting for its connection to close.
        tokio::time::sleep(Duration::from_millis(20)).await;
        std::process::exit(0);
    };
    let Some(tls) = tls else {
        let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
        router.serve_with_incoming_shutdown(incoming, stopped).await?;
        return Ok(());
    };
    #[cfg(not(feature = "mtls"))]
    match tls {}
    #[cfg(feature = "mtls")]
    {
        let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<TlsConn>>(4);
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, tx) = (tls.acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    match acceptor.accept(tcp).await {
                        Ok(conn) => {
                            let _ = tx.send(Ok(TlsConn(conn))).await;
                        }
                        Err(e) => eprintln!("TLS handshake failed: {e}"),
                    }
                });
            }
        });
        router
            .serve_with_incoming_shutdown(tokio_stream::wrappers::ReceiverStream::new(rx), stopped)
            .await?;
        Ok(())
    }
}
