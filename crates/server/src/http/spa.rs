//! The built web app from `dist/`, with the SPA fallback to index.html.
//!
//! The build (scripts/compress-dist.mjs) writes a brotli (`.br`) and a gzip
//! (`.gz`) copy beside every text and wasm file; `ServeDir` sends the best one
//! the browser accepts, with `Content-Encoding`. Files whose name carries a
//! content hash never change, so browsers keep them for a year without asking;
//! everything else (index.html, the service worker, the manifest, boot.js) is
//! revalidated on every use, so a deployment is seen at once.

use std::convert::Infallible;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::http::Response;
use axum::response::IntoResponse;
use tower::service_fn;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::state::ApiContext;

pub const NOT_BUILT: &str = "The Benefits web app is not built yet, so only the API (/api) is served.\n\
Build it with `trunk build --release` at the repository root (scripts/setup.sh installs Trunk),\n\
then restart `benefits serve` (or point --dist / BENEFITS_DIST at the folder that holds index.html).\n";

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const NO_CACHE: &str = "no-cache";

pub type SpaService = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

pub fn service(ctx: &ApiContext) -> SpaService {
    match ctx.config.dist.as_ref().filter(|d| d.join("index.html").is_file()) {
        Some(dist) => {
            let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
            let assets = ServeDir::new(dist).precompressed_br().precompressed_gzip();
            let pages = assets.clone().fallback(index);
            BoxCloneSyncService::new(service_fn(move |req: Request<Body>| {
                let (assets, pages) = (assets.clone(), pages.clone());
                async move {
                    let path = req.uri().path();
                    let immutable = is_content_hashed(path);
                    // A missing script, module or stylesheet (say, of an older
                    // build) is a 404, never index.html under that name.
                    let res = if is_asset(path) { assets.oneshot(req).await? } else { pages.oneshot(req).await? };
                    Ok::<_, Infallible>(with_cache_headers(res.map(Body::new), immutable))
                }
            }))
        }
        None => BoxCloneSyncService::new(service_fn(|_req: Request<Body>| async {
            let mut res = (StatusCode::NOT_FOUND, NOT_BUILT).into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            Ok::<_, Infallible>(res)
        })),
    }
}

fn with_cache_headers(mut res: Response<Body>, immutable: bool) -> Response<Body> {
    let h = res.headers_mut();
    // The body depends on Accept-Encoding whenever a compressed copy exists;
    // saying so always is harmless and keeps shared caches correct.
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let policy = if immutable { IMMUTABLE } else { NO_CACHE };
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// Whether the file's name carries a content hash (Trunk's
/// `benefits-app-3f2a…_bg.wasm`, `main-9c1d….css`, the split loader
/// `benefits-app-3f2a…-split.js`, the lazy modules `split_why-0a1b….wasm`):
/// a `-` then at least 12 hex digits, in a wasm, js or css file. Such a file
/// never changes under its name. (An SPA route never ends in one of these
/// extensions, so the index.html fallback is never marked immutable.)
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    is_asset(name)
        && name.split('-').skip(1).any(|segment| {
            let digits = segment.split(['.', '_']).next().unwrap_or("");
            digits.len() >= 12 && digits.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

/// A wasm module, script or stylesheet: never answered by the SPA fallback.
fn is_asset(path: &str) -> bool {
    [".wasm", ".js", ".css"].iter().any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn hashed_names_are_recognised_and_fixed_names_are_not() {
        for hashed in [
            "/benefits-app-5e1b3f0c9a7d2e41_bg.wasm",
            "/benefits-app-5e1b3f0c9a7d2e41.js",
            "/benefits-app-5e1b3f0c9a7d2e41-split.js",
            "/main-9c1d2e3f4a5b6c7d.css",
            "/split_why_page-0a1b2c3d4e5f6071.wasm",
            "/chunk_12-0a1b2c3d4e5f6071.wasm",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for fixed in ["/", "/index.html", "/sw.js", "/manifest.webmanifest", "/boot.js", "/icon-192.png", "/partners/acme-corp-international", "/partners/acme-0a1b2c3d4e5f6071", "/split-manifest.json", "/app.js"] {
            assert!(!is_content_hashed(fixed), "{fixed}");
        }
    }
}
