//! HTTPS on the server itself (`--tls-cert`, `--tls-key`): rustls through tokio-rustls, with
//! ring as its crypto provider (no OpenSSL). Browsers give a page threads only in a secure
//! context, so a server reached by a name must speak TLS (docs/deploy.md).
//!
//! The settings follow Mozilla's "intermediate" server-side TLS profile: TLS 1.2 and 1.3, and
//! rustls's ring suites, all AEAD with forward secrecy (the profile's list without its CBC-free
//! ones rustls does not implement). ALPN offers `http/1.1` only: the accept loop's guarantees
//! are written for HTTP/1 connections — hyper's HTTP/2 server has no header-read deadline, and
//! one connection's streams would share one watchdog, one write rule and one slot of the
//! connection cap — so HTTP/2 is nginx's job in front (deploy/nginx.conf).
//!
//! Certificates are re-read on SIGHUP (`main`): a reload that fails keeps the old ones and says
//! why; connections already open keep theirs.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// The certificate chain and key files, and the configuration made from them.
#[derive(Debug)]
pub struct Certificates {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<Arc<ServerConfig>>,
}

impl Certificates {
    /// Reads `cert` (PEM: the leaf first, then its chain) and `key` (PEM: PKCS#8, PKCS#1 or
    /// SEC1); an error says which file and what is wrong.
    pub fn load(cert: &Path, key: &Path) -> Result<Self, String> {
        let config = server_config(cert, key)?;
        Ok(Certificates { cert: cert.to_path_buf(), key: key.to_path_buf(), current: RwLock::new(config) })
    }

    /// Re-reads the files; on an error the certificates in force stay.
    pub fn reload(&self) -> Result<(), String> {
        let config = server_config(&self.cert, &self.key)?;
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = config;
        Ok(())
    }

    /// An acceptor with the certificates in force now.
    pub fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(Arc::clone(&self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner)))
    }
}

fn server_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, String> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("--tls-cert {}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("--tls-cert {}: no certificate in it (PEM, the leaf first)", cert.display()));
    }
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("--tls-key {}: {e}", key.display()))?;
    // ring has no post-quantum key exchange (hence rustls's deprecation note); aws-lc-rs has,
    // at the price of a C build of minutes on every fresh CI machine. Mozilla's intermediate
    // profile asks for none; revisit when ring or the profile changes.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| format!("TLS settings: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| format!("--tls-cert / --tls-key: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
