//! The built page (`--dist`), with the headers that make it cross-origin isolated (COOP + COEP:
//! SharedArrayBuffer, so wasm threads) and the usual hardening. tower-http's `ServeDir` refuses
//! paths that leave the directory (`..`, in any encoding) and guesses `application/wasm` for
//! `.wasm`.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy the page runs under: everything from our own origin;
/// `'wasm-unsafe-eval'` to compile the module; `blob:` for the workers wasm-bindgen-rayon starts.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; \
worker-src 'self' blob:; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; \
object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// A router serving `dist` as static files.
pub fn router(dist: &Path) -> Router {
    Router::new().fallback_service(ServeDir::new(dist))
}

/// Adds the security headers to every response of `router`; COOP/COEP only with `isolation`.
pub fn with_headers<S: Clone + Send + Sync + 'static>(router: Router<S>, isolation: bool) -> Router<S> {
    let mut headers: Vec<(HeaderName, &'static str)> = vec![
        (HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    if isolation {
        headers.push((HeaderName::from_static("cross-origin-opener-policy"), "same-origin"));
        headers.push((HeaderName::from_static("cross-origin-embedder-policy"), "require-corp"));
    }
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)))
    })
}
