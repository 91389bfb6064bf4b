//! The built web app from `dist/`, with the SPA fallback to index.html.
//!
//! The build (scripts/compress-dist.mjs) writes a brotli (`.br`) and a gzip
//! (`.gz`) copy beside every text and wasm file; `ServeDir` sends the best one
//! the browser accepts, with `Content-Encoding`. Files whose name carries a
//! content hash never change, so browsers keep them for a year without asking;
//! everything else (index.html, the service worker, the manifest, boot.js) is
//! revalidated on every use, so a deployment is seen at once.
//!
//! A release build also writes a `.dcb` copy of each lazy module
//! (`split_*.wasm`, `chunk_*.wasm`): brotli with the main module as a shared
//! dictionary (RFC 9842, crates/wasm-split/src/dictionary.rs). The main
//! module is sent with `Use-As-Dictionary`; a browser that keeps it (Chromium)
//! then asks for a lazy module with `Available-Dictionary: :<SHA-256>:` and
//! `dcb` in `Accept-Encoding`, and gets the `.dcb` copy when the hash is the
//! one in that copy's header (the same build), the brotli copy otherwise.

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
/// On the main module: a dictionary for every wasm file of this origin.
pub const USE_AS_DICTIONARY: &str = "match=\"/*.wasm\"";

pub type SpaService = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

pub fn service(ctx: &ApiContext) -> SpaService {
    match ctx.config.dist.as_ref().filter(|d| d.join("index.html").is_file()) {
        Some(dist) => {
            let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
            let assets = ServeDir::new(dist).precompressed_br().precompressed_gzip();
            let pages = assets.clone().fallback(index);
            let dist = std::sync::Arc::new(dist.clone());
            BoxCloneSyncService::new(service_fn(move |req: Request<Body>| {
                let (assets, pages, dist) = (assets.clone(), pages.clone(), dist.clone());
                async move {
                    if let Some(wanted) = dcb_request(&dist, &req) {
                        if let Some(res) = dictionary_compressed(wanted).await {
                            return Ok(res);
                        }
                    }
                    let path = req.uri().path();
                    let immutable = is_content_hashed(path);
                    let (main, lazy) = (is_main_module(path), is_lazy_module(path));
                    // A missing script, module or stylesheet (say, of an older
                    // build) is a 404, never index.html under that name.
                    let res = if is_asset(path) { assets.oneshot(req).await? } else { pages.oneshot(req).await? };
                    let mut res = with_cache_headers(res.map(Body::new), immutable);
                    if res.status().is_success() {
                        if main {
                            res.headers_mut().insert("use-as-dictionary", HeaderValue::from_static(USE_AS_DICTIONARY));
                        }
                        if lazy {
                            res.headers_mut().insert(header::VARY, HeaderValue::from_static(VARY_DICTIONARY));
                        }
                    }
                    Ok::<_, Infallible>(res)
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

/// A `.dcb` copy starts with this magic, then the dictionary's SHA-256
/// (crates/wasm-split/src/dictionary.rs writes it).
const DCB_MAGIC: [u8; 4] = [0xff, 0x44, 0x43, 0x42];
const DCB_HEADER_LEN: usize = DCB_MAGIC.len() + 32;

/// A lazy module's body depends on the dictionary the browser has too.
const VARY_DICTIONARY: &str = "accept-encoding, available-dictionary";

/// A request the `.dcb` copy of a lazy module may answer: the browser
/// accepts `dcb` and holds a dictionary.
struct DcbRequest {
    copy: std::path::PathBuf,
    dictionary: [u8; 32],
    head: bool,
}

fn dcb_request(dist: &std::path::Path, req: &Request<Body>) -> Option<DcbRequest> {
    use axum::http::Method;
    let head = req.method() == Method::HEAD;
    let path = req.uri().path();
    if !(head || req.method() == Method::GET) || !is_lazy_module(path) || !accepts(req.headers().get(header::ACCEPT_ENCODING)?, "dcb") {
        return None;
    }
    let dictionary = available_dictionary(req.headers().get("available-dictionary")?)?;
    // One file name of this folder (is_lazy_module allows no other character).
    Some(DcbRequest { copy: dist.join(format!("{}.dcb", &path[1..])), dictionary, head })
}

/// The `.dcb` copy, if there is one and it was compressed with the
/// browser's dictionary (the hash in its header); `None`: serve the request
/// the usual way.
async fn dictionary_compressed(wanted: DcbRequest) -> Option<Response<Body>> {
    let copy = tokio::fs::read(&wanted.copy).await.ok()?;
    if copy.len() < DCB_HEADER_LEN || copy[..DCB_MAGIC.len()] != DCB_MAGIC || copy[DCB_MAGIC.len()..DCB_HEADER_LEN] != wanted.dictionary {
        return None;
    }
    let len = copy.len();
    let mut res = Response::new(if wanted.head { Body::empty() } else { Body::from(copy) });
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/wasm"));
    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("dcb"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::VARY, HeaderValue::from_static(VARY_DICTIONARY));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    Some(res)
}

/// Whether an `Accept-Encoding` value lists `coding` with a weight above zero.
fn accepts(value: &HeaderValue, coding: &str) -> bool {
    value.to_str().unwrap_or("").split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let named = parts.next().is_some_and(|name| name.eq_ignore_ascii_case(coding));
        let refused = parts.any(|p| {
            p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")).and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0)
        });
        named && !refused
    })
}

/// The SHA-256 of an `Available-Dictionary` value: a structured-field byte
/// sequence, `:` base64 `:`.
fn available_dictionary(value: &HeaderValue) -> Option<[u8; 32]> {
    use base64::Engine as _;
    let inner = value.to_str().ok()?.trim().strip_prefix(':')?.strip_suffix(':')?;
    base64::engine::general_purpose::STANDARD.decode(inner).ok()?.try_into().ok()
}

/// The main module (wasm-bindgen's `…_bg.wasm`, content-hashed).
fn is_main_module(path: &str) -> bool {
    path.ends_with("_bg.wasm") && is_content_hashed(path)
}

/// A lazy module at the root: `/split_NAME-HASH.wasm` or `/chunk_N-HASH.wasm`.
fn is_lazy_module(path: &str) -> bool {
    let Some(name) = path.strip_prefix('/') else { return false };
    (name.starts_with("split_") || name.starts_with("chunk_"))
        && name.ends_with(".wasm")
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !name.contains("..")
        && is_content_hashed(path)
        && !is_main_module(path)
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
    use super::*;

    #[test]
    fn accept_encoding_and_available_dictionary_are_read_as_the_rfcs_say() {
        let v = HeaderValue::from_static;
        assert!(accepts(&v("gzip, deflate, br, zstd, dcb, dcz"), "dcb"));
        assert!(accepts(&v("br;q=1.0, DCB;q=0.5"), "dcb"));
        assert!(!accepts(&v("gzip, deflate, br, zstd"), "dcb"));
        assert!(!accepts(&v("dcb;q=0, br"), "dcb"));
        assert!(!accepts(&v("dcb; q=0.000"), "dcb"));
        assert!(!accepts(&v("xdcb, dcbx"), "dcb"));
        let hash = available_dictionary(&v(":xSbGIiBE2rVnTenErH9FZuu15Ni/nY6jTJzIp8w8hpw=:")).unwrap();
        assert_eq!(&hash[..4], &[0xc5, 0x26, 0xc6, 0x22]);
        for bad in ["xSbGIiBE2rVnTenErH9FZuu15Ni/nY6jTJzIp8w8hpw=", ":c2hvcnQ=:", ":not base64!:", ""] {
            assert_eq!(available_dictionary(&v(bad)), None, "{bad}");
        }
    }

    #[test]
    fn only_lazy_modules_at_the_root_have_dictionary_copies() {
        assert!(is_lazy_module("/split_why_page-0a1b2c3d4e5f6071.wasm"));
        assert!(is_lazy_module("/chunk_12-0a1b2c3d4e5f6071.wasm"));
        for not in [
            "/benefits-app-5e1b3f0c9a7d2e41_bg.wasm",
            "/split_why_page.wasm",
            "/x/split_why_page-0a1b2c3d4e5f6071.wasm",
            "/split_..-0a1b2c3d4e5f6071.wasm",
            "/chunk_1-0a1b2c3d4e5f6071.js",
            "split_why_page-0a1b2c3d4e5f6071.wasm",
        ] {
            assert!(!is_lazy_module(not), "{not}");
        }
        assert!(is_main_module("/benefits-app-5e1b3f0c9a7d2e41_bg.wasm"));
        assert!(!is_main_module("/chunk_12-0a1b2c3d4e5f6071.wasm"));
    }

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
