//! HTTPS for the tests: a throw-away CA and leaf from `tests/tls/certs.sh` (openssl, at test
//! time), a rustls client that trusts that CA, and raw HTTP/1.1 over it.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

/// A fresh directory with ca.pem, leaf.pem (leaf + CA) and leaf.key for `parallax.test`.
pub fn make_certs() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("parallax-tls-test-{}-{n}", std::process::id()));
    renew(&dir, "parallax.test");
    dir
}

/// A new leaf (common name `name`) in `dir`, signed by the CA already there (made if missing).
pub fn renew(dir: &Path, name: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tls/certs.sh");
    let status = std::process::Command::new("bash").arg(script).arg(dir).arg(name).status().unwrap();
    assert!(status.success(), "tests/tls/certs.sh failed");
}

/// A client trusting only the test CA of `dir`.
pub fn client_config(dir: &Path) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(dir.join("ca.pem")).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    #[allow(deprecated)] // ring, as the server (crates/server/src/tls.rs says why)
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// `request` over HTTPS to `addr` (as `parallax.test`) → the whole raw answer (send
/// `connection: close`).
pub async fn https(addr: SocketAddr, config: &Arc<ClientConfig>, request: &str) -> String {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let connector = tokio_rustls::TlsConnector::from(Arc::clone(config));
    let mut tls = connector.connect(ServerName::try_from("parallax.test").unwrap(), tcp).await.unwrap();
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    // A close without close_notify after a whole answer is fine here.
    let _ = tokio::time::timeout(Duration::from_secs(30), tls.read_to_end(&mut out)).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// The same, blocking (for the tests of the binary) → (the answer, the leaf certificate the
/// server presented, DER).
pub fn https_blocking(addr: &str, config: &Arc<ClientConfig>, request: &str) -> (String, Vec<u8>) {
    let mut conn =
        rustls::ClientConnection::new(Arc::clone(config), ServerName::try_from("parallax.test").unwrap()).unwrap();
    let mut tcp = std::net::TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
    tls.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out);
    let leaf = conn.peer_certificates().and_then(|c| c.first()).map(|c| c.to_vec()).unwrap_or_default();
    (String::from_utf8_lossy(&out).into_owned(), leaf)
}

/// The DER of the first certificate of `dir`'s leaf.pem.
pub fn leaf_der(dir: &Path) -> Vec<u8> {
    CertificateDer::pem_file_iter(dir.join("leaf.pem")).unwrap().next().unwrap().unwrap().to_vec()
}
