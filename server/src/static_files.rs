//! The demo's static files: mounts of a URL prefix on a directory (by default `/pkg/` on the built
//! package and `/` on `www/`). GET and HEAD only, no caching, and nothing outside a mount is
//! reachable: `..`, backslashes and NUL are refused after percent-decoding, and the file's real
//! path (symbolic links resolved) must stay inside the mount's real path. The data directory is
//! never served, even when a mount contains it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

pub struct Mount {
    pub prefix: String,
    pub root: PathBuf,
}

pub struct StaticFiles {
    /// Longest prefix first.
    mounts: Vec<Mount>,
    /// Real paths never served (the data directory).
    hidden: Vec<PathBuf>,
}

impl StaticFiles {
    /// `mounts` as `(prefix, directory)`; a directory that does not exist is skipped with a
    /// warning (the demo without a built package still serves its pages).
    pub fn new(mounts: Vec<(String, PathBuf)>, hidden: Vec<PathBuf>) -> StaticFiles {
        let mut list: Vec<Mount> = mounts
            .into_iter()
            .filter_map(|(prefix, dir)| match dir.canonicalize() {
                Ok(root) => Some(Mount { prefix, root }),
                Err(_) => {
                    tracing::warn!(prefix = %prefix, "a mounted directory does not exist; not served");
                    None
                }
            })
            .collect();
        list.sort_by_key(|m| std::cmp::Reverse(m.prefix.len()));
        let hidden = hidden
            .into_iter()
            .filter_map(|p| p.canonicalize().ok())
            .collect();
        StaticFiles {
            mounts: list,
            hidden,
        }
    }

    /// The file for a request path, or the status refusing it.
    pub fn resolve(&self, raw_path: &str) -> Result<PathBuf, StatusCode> {
        let path = percent_decode(raw_path).ok_or(StatusCode::BAD_REQUEST)?;
        if path.contains('\0') || path.contains('\\') {
            return Err(StatusCode::BAD_REQUEST);
        }
        if path.split('/').any(|s| s == "..") {
            return Err(StatusCode::FORBIDDEN);
        }
        let mount = self
            .mounts
            .iter()
            .find(|m| path.starts_with(&m.prefix) || path == m.prefix.trim_end_matches('/'))
            .ok_or(StatusCode::NOT_FOUND)?;
        let rest = path.get(mount.prefix.len()..).unwrap_or("");
        let mut file = mount.root.clone();
        for segment in rest.split('/').filter(|s| !s.is_empty() && *s != ".") {
            file.push(segment);
        }
        let real = file.canonicalize().map_err(|_| StatusCode::NOT_FOUND)?;
        if !real.starts_with(&mount.root) || self.hidden.iter().any(|h| real.starts_with(h)) {
            return Err(StatusCode::NOT_FOUND);
        }
        Ok(real)
    }
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let text = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(text, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn mime(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("ts" | "txt") => "text/plain; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("webmanifest") => "application/manifest+json; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

pub async fn handle(State(files): State<Arc<StaticFiles>>, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path().to_string();
    let mut file = match files.resolve(&path) {
        Ok(file) => file,
        Err(StatusCode::BAD_REQUEST) => return plain(StatusCode::BAD_REQUEST, "Bad Request\n"),
        Err(StatusCode::FORBIDDEN) => return plain(StatusCode::FORBIDDEN, "Forbidden\n"),
        Err(_) => return plain(StatusCode::NOT_FOUND, "Not Found\n"),
    };
    if file.is_dir() {
        if !path.ends_with('/') {
            let mut response = plain(StatusCode::MOVED_PERMANENTLY, "Moved Permanently\n");
            if let Ok(location) = HeaderValue::from_str(&format!("{path}/")) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            return response;
        }
        file = match files.resolve(&format!("{path}index.html")) {
            Ok(file) => file,
            Err(_) => return plain(StatusCode::NOT_FOUND, "Not Found\n"),
        };
    }
    let bytes = match tokio::fs::read(&file).await {
        Ok(bytes) => bytes,
        Err(_) => return plain(StatusCode::NOT_FOUND, "Not Found\n"),
    };
    let length = bytes.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime(&file)));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&length.to_string()) {
        headers.insert(header::CONTENT_LENGTH, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_links_and_hidden_directories() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let www = dir.path().join("www");
        let outside = dir.path().join("secret");
        std::fs::create_dir_all(www.join("var")).unwrap_or_default();
        std::fs::create_dir_all(&outside).unwrap_or_default();
        std::fs::write(www.join("index.html"), "hi").unwrap_or_default();
        std::fs::write(www.join("var/shiming.sqlite3"), "db").unwrap_or_default();
        std::fs::write(outside.join("keys.json"), "k").unwrap_or_default();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, www.join("link")).unwrap_or_default();
        let files = StaticFiles::new(vec![("/".into(), www.clone())], vec![www.join("var")]);
        assert!(files.resolve("/index.html").is_ok());
        assert_eq!(
            files.resolve("/../secret/keys.json"),
            Err(StatusCode::FORBIDDEN)
        );
        assert_eq!(
            files.resolve("/%2e%2e/secret/keys.json"),
            Err(StatusCode::FORBIDDEN)
        );
        assert_eq!(
            files.resolve("/a%5c..%5csecret"),
            Err(StatusCode::BAD_REQUEST)
        );
        assert_eq!(files.resolve("/link/keys.json"), Err(StatusCode::NOT_FOUND));
        assert_eq!(
            files.resolve("/var/shiming.sqlite3"),
            Err(StatusCode::NOT_FOUND)
        );
        assert_eq!(files.resolve("/%zz"), Err(StatusCode::BAD_REQUEST));
    }
}
