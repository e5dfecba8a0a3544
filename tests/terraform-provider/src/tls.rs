//! Terraform's automatic mutual TLS for plugins (go-plugin "AutoMTLS").
//!
//! Terraform generates a client certificate, passes it PEM-encoded in `PLUGIN_CLIENT_CERT`, and expects the
//! plugin to serve TLS with a certificate of its own, announced base64-encoded (DER, no padding) at the end of
//! the handshake line; Terraform then trusts exactly that certificate (for the name `localhost`). This module
//! generates a self-signed server certificate and accepts exactly the client certificate Terraform passed.
//!
//! Terraform's client certificate is ECDSA P-521 (signed with SHA-512) and marked as a CA. rustls' ring backend
//! cannot verify P-521 signatures and webpki rejects CA certificates as client certificates, so the client
//! certificate is compared byte for byte instead of being path-validated, and the TLS handshake signature is
//! verified with the RustCrypto `p521` crate.

use std::sync::Arc;

use base64::Engine;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{
    alg_id, AlgorithmIdentifier, CertificateDer, InvalidSignature, PrivateKeyDer, PrivatePkcs8KeyDer,
    SignatureVerificationAlgorithm, UnixTime,
};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};

/// A ready TLS setup: the acceptor, and the server certificate for the handshake line.
pub struct ServerTls {
    pub acceptor: tokio_rustls::TlsAcceptor,
    /// The server certificate, DER, base64 without padding (Go's `RawStdEncoding`).
    pub cert_base64: String,
}

/// Decodes the first `CERTIFICATE` block of a PEM text.
pub fn pem_certificate(pem: &str) -> Result<Vec<u8>, String> {
    let begin = "-----BEGIN CERTIFICATE-----";
    let end = "-----END CERTIFICATE-----";
    let start = pem.find(begin).ok_or("no certificate in PLUGIN_CLIENT_CERT")? + begin.len();
    let stop = pem[start..]
        .find(end)
        .ok_or("unterminated certificate in PLUGIN_CLIENT_CERT")?
        + start;
    let b64: String = pem[start..stop].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| format!("PLUGIN_CLIENT_CERT: {e}"))
}

/// Sets up TLS for a Terraform client whose certificate (PEM) is `client_cert_pem`.
pub fn server_tls(client_cert_pem: &str) -> Result<ServerTls, String> {
    let client_cert = pem_certificate(client_cert_pem)?;
    let (cert, key) = self_signed()?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(ExactClientCert {
        cert: client_cert,
        algorithms: algorithms(&provider),
    });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![cert.clone()], key)
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(ServerTls {
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        cert_base64: base64::engine::general_purpose::STANDARD_NO_PAD.encode(cert.as_ref()),
    })
}

/// A self-signed certificate for `localhost`, shaped like the ones go-plugin generates.
fn self_signed() -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), String> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(|e| e.to_string())?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).map_err(|e| e.to_string())?;
    params.distinguished_name.push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "infra test provider");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
    let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((cert.der().clone(), key_der))
}

/// The provider's signature algorithms plus ECDSA P-521 with SHA-512.
fn algorithms(provider: &CryptoProvider) -> WebPkiSupportedAlgorithms {
    static P521: P521Sha512 = P521Sha512;
    static P521_ONLY: [&dyn SignatureVerificationAlgorithm; 1] = [&P521];
    let base = provider.signature_verification_algorithms;
    let mut all = base.all.to_vec();
    all.push(&P521);
    let mut mapping = base.mapping.to_vec();
    mapping.insert(0, (SignatureScheme::ECDSA_NISTP521_SHA512, &P521_ONLY));
    WebPkiSupportedAlgorithms {
        all: Box::leak(all.into_boxed_slice()),
        mapping: Box::leak(mapping.into_boxed_slice()),
    }
}

#[derive(Debug)]
struct P521Sha512;

impl SignatureVerificationAlgorithm for P521Sha512 {
    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }

    fn verify_signature(&self, public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), InvalidSignature> {
        use p521::ecdsa::signature::Verifier;
        let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let sig = p521::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &sig).map_err(|_| InvalidSignature)
    }
}

/// Accepts exactly one client certificate: the one Terraform passed in `PLUGIN_CLIENT_CERT`.
#[derive(Debug)]
struct ExactClientCert {
    cert: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for ExactClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.cert.as_slice() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A TLS connection, as an incoming connection for tonic.
pub struct TlsConn(pub tokio_rustls::server::TlsStream<tokio::net::TcpStream>);

impl tonic::transport::server::Connected for TlsConn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl tokio::io::AsyncRead for TlsConn {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for TlsConn {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.0).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(der: &[u8]) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n")
    }

    #[test]
    fn pem_round_trips_and_garbage_is_refused() {
        let (cert, _) = self_signed().unwrap();
        assert_eq!(pem_certificate(&pem(cert.as_ref())).unwrap(), cert.as_ref());
        assert!(pem_certificate("not a certificate").is_err());
    }

    #[test]
    fn only_the_exact_client_certificate_is_accepted() {
        let (terraform, _) = self_signed().unwrap();
        let (other, _) = self_signed().unwrap();
        let provider = rustls::crypto::ring::default_provider();
        let v = ExactClientCert {
            cert: terraform.to_vec(),
            algorithms: algorithms(&provider),
        };
        assert!(v.verify_client_cert(&terraform, &[], UnixTime::now()).is_ok());
        assert!(v.verify_client_cert(&other, &[], UnixTime::now()).is_err());
        assert!(v
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn handshake_certificate_is_unpadded_base64_der() {
        let (cert, _) = self_signed().unwrap();
        let tls = server_tls(&pem(cert.as_ref())).unwrap();
        assert!(!tls.cert_base64.ends_with('='));
        assert!(base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(&tls.cert_base64)
            .is_ok());
    }
}
