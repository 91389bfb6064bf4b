//! The built web app from `dist/`, with the SPA fallback to index.html.

use std::convert::Infallible;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::IntoResponse;
use axum::http::Response;
use tower::service_fn;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::state::ApiContext;

pub const NOT_BUILT: &str = "The Benefits web app is not built yet, so only the API (/api) is served.\n\
Build it with `trunk build --release` at the repository root (scripts/setup.sh installs Trunk),\n\
then restart `benefits serve` (or point --dist / BENEFITS_DIST at the folder that holds index.html).\n";

pub type SpaService = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

pub fn service(ctx: &ApiContext) -> SpaService {
    match ctx.config.dist.as_ref().filter(|d| d.join("index.html").is_file()) {
        Some(dist) => {
            let serve = ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")));
            BoxCloneSyncService::new(ServiceExt::<Request<Body>>::map_response(serve, |r: Response<tower_http::services::fs::ServeFileSystemResponseBody>| r.map(Body::new)))
        }
        None => BoxCloneSyncService::new(service_fn(|_req: Request<Body>| async {
            let mut res = (StatusCode::NOT_FOUND, NOT_BUILT).into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            Ok::<_, Infallible>(res)
        })),
    }
}
