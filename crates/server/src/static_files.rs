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
/// `'wasm-unsafe-eval'` to compile the module; `blob:` for the workers wasm-bindgen-rayon starts;
/// `connect_src`, the API origins a page with `?api=` may call, added to `connect-src`.
pub fn csp(connect_src: &[String]) -> String {
    let extra: String = connect_src.iter().map(|o| format!(" {o}")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:; \
connect-src 'self'{extra}; img-src 'self' data: blob:; style-src 'self'; object-src 'none'; base-uri 'none'; \
frame-ancestors 'none'"
    )
}

/// A router serving `dist` as static files.
pub fn router(dist: &Path) -> Router {
    Router::new().fallback_service(ServeDir::new(dist))
}

/// Adds the security headers to every response of `router`; COOP/COEP only with `isolation`;
/// `connect_src` as for [`csp`].
pub fn with_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    isolation: bool,
    connect_src: &[String],
) -> Router<S> {
    let csp = HeaderValue::from_str(&csp(connect_src)).unwrap_or(HeaderValue::from_static("default-src 'self'"));
    let mut headers: Vec<(HeaderName, HeaderValue)> = vec![
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
    ];
    if isolation {
        headers.push((HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")));
        headers
            .push((HeaderName::from_static("cross-origin-embedder-policy"), HeaderValue::from_static("require-corp")));
    }
    let router = headers
        .into_iter()
        .fold(router, |router, (name, value)| router.layer(SetResponseHeaderLayer::overriding(name, value)));
    // The page's files are for this origin only; the API sets its own (see `api_resource_policy`).
    router.layer(SetResponseHeaderLayer::if_not_present(CORP, HeaderValue::from_static("same-origin")))
}

const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");

/// The API's answers may be read by pages of other origins that CORS allows (`--allow-origin`);
/// `Cross-Origin-Resource-Policy: cross-origin` also lets such a page, isolated with COEP
/// `require-corp`, send the `no-cors` probe by which it tells an API that refused its origin
/// from one that is down (www/server-client.js). Reading an answer still takes CORS.
pub fn api_resource_policy<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(SetResponseHeaderLayer::overriding(CORP, HeaderValue::from_static("cross-origin")))
}
