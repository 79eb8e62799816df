//! The demo's static files: mounts of a URL prefix on a directory (by default `/pkg/` on the built
//! package and `/` on `www/`). GET and HEAD only, revalidated on every use (`no-cache`), and nothing outside a mount is
//! reachable: `..`, backslashes and NUL are refused after percent-decoding, and the file's real
//! path (symbolic links resolved) must stay inside the mount's real path. The data directory is
//! never served, even when a mount contains it.
//!
//! Every file carries a weak `ETag` of its version (length and modification time); a request whose
//! `If-None-Match` names it gets 304 with no body, so `no-cache` revalidates instead of downloading.
//! Text and wasm are sent gzipped when the request's `Accept-Encoding` accepts gzip (q-values,
//! `identity` and `*` respected; no header, identity). Each version of a file (its real path, its
//! modification time and its length) is compressed once, at the best level, on a blocking thread,
//! and kept in memory: files up to [`GZIP_MAX_FILE`], [`GZIP_MAX_CACHE`] of gzip in all, the least
//! recently used dropped first. A compressible response always carries `Vary: Accept-Encoding`;
//! HEAD answers GET's headers. A compression that fails, or does not shrink the file, is the
//! identity body: never an error.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;
use tokio::sync::OnceCell;

/// Files larger than this are sent as they are (the demo's largest, a wasm module, is about 260 KB).
pub const GZIP_MAX_FILE: u64 = 4 << 20;
/// The gzipped bodies kept in memory, in all (every file of www/ and pkg/ is about 670 KB of them).
pub const GZIP_MAX_CACHE: usize = 32 << 20;

pub struct Mount {
    pub prefix: String,
    pub root: PathBuf,
}

pub struct StaticFiles {
    /// Longest prefix first.
    mounts: Vec<Mount>,
    /// Real paths never served (the data directory).
    hidden: Vec<PathBuf>,
    gzip: GzipCache,
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
            gzip: GzipCache::new(GZIP_MAX_CACHE),
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

/// Whether a type is worth gzipping: text, JSON, SVG and wasm; not images, icons or unknown bytes
/// (PNG is compressed already).
fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/manifest+json")
        || content_type == "application/wasm"
        || content_type == "image/svg+xml"
}

/// Whether to send gzip, by `Accept-Encoding` (RFC 9110, 12.5.3): gzip (or `x-gzip`) with a q above
/// 0, explicitly or through `*`, and not below identity's when identity is given a q (explicitly or
/// through `*`); ties go to gzip. No header, or one that names neither gzip nor `*`: identity. A
/// coding listed twice counts with its lowest q; a q that is not a number from 0 to 1 counts as 0.
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    let (mut gzip, mut identity, mut any): (Option<f32>, Option<f32>, Option<f32>) =
        (None, None, None);
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let mut q = 1.0;
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        q = qvalue(value.trim()).unwrap_or(0.0);
                    }
                }
            }
            let slot =
                if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                    &mut gzip
                } else if coding.eq_ignore_ascii_case("identity") {
                    &mut identity
                } else if coding == "*" {
                    &mut any
                } else {
                    continue;
                };
            *slot = Some(slot.map_or(q, |earlier: f32| earlier.min(q)));
        }
    }
    let gzip = gzip.or(any).unwrap_or(0.0);
    gzip > 0.0 && gzip >= identity.or(any).unwrap_or(0.0)
}

/// A qvalue: `0`, `1` or either with up to three decimals.
fn qvalue(text: &str) -> Option<f32> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    text.parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))
}

/// A file's version: the cache's key beside its real path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Version {
    modified: SystemTime,
    len: u64,
}

/// One file version's gzip, computed once (concurrent requests wait for the first one's); `None`
/// when it failed or was not smaller than the file.
struct Gzipped {
    version: Version,
    body: OnceCell<Option<Bytes>>,
}

struct Entry {
    slot: Arc<Gzipped>,
    /// The bytes of gzip this entry counts in the total (0 until computed, or when `None`).
    counted: usize,
    /// The clock when last used, for the least recently used eviction.
    used: u64,
}

struct GzipCache {
    limit: usize,
    state: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    entries: HashMap<PathBuf, Entry>,
    total: usize,
    clock: u64,
}

impl GzipCache {
    fn new(limit: usize) -> GzipCache {
        GzipCache {
            limit,
            state: Mutex::new(CacheState::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, CacheState> {
        // Nothing panics while the lock is held; a poisoned lock's state is still consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The slot of this version of `path`, replacing an older version's.
    fn slot(&self, path: &Path, version: Version) -> Arc<Gzipped> {
        let mut state = self.lock();
        state.clock += 1;
        let clock = state.clock;
        if let Some(entry) = state.entries.get_mut(path) {
            if entry.slot.version == version {
                entry.used = clock;
                return Arc::clone(&entry.slot);
            }
        }
        let slot = Arc::new(Gzipped {
            version,
            body: OnceCell::new(),
        });
        let entry = Entry {
            slot: Arc::clone(&slot),
            counted: 0,
            used: clock,
        };
        if let Some(old) = state.entries.insert(path.to_path_buf(), entry) {
            state.total -= old.counted;
        }
        slot
    }

    /// Counts a computed gzip in the total, if its slot is still the path's, and drops the least
    /// recently used others while the total is over the limit.
    fn count(&self, path: &Path, slot: &Arc<Gzipped>, size: usize) {
        let mut state = self.lock();
        match state.entries.get_mut(path) {
            Some(entry) if Arc::ptr_eq(&entry.slot, slot) => entry.counted = size,
            _ => return,
        }
        state.total += size;
        while state.total > self.limit {
            let oldest = state
                .entries
                .iter()
                .filter(|(p, e)| e.counted > 0 && p.as_path() != path)
                .min_by_key(|(_, e)| e.used)
                .map(|(p, _)| p.clone());
            let Some(oldest) = oldest else { break };
            if let Some(old) = state.entries.remove(&oldest) {
                state.total -= old.counted;
            }
        }
        if state.total > self.limit {
            // This one alone is over the limit: not kept.
            if let Some(old) = state.entries.remove(path) {
                state.total -= old.counted;
            }
        }
    }

    #[cfg(test)]
    fn stats(&self) -> (usize, usize) {
        let state = self.lock();
        (state.entries.len(), state.total)
    }
}

/// gzip at `level`; `None` if it fails or does not shrink the body.
pub(crate) fn gzip(body: &[u8], level: flate2::Compression) -> Option<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 2), level);
    encoder.write_all(body).ok()?;
    let compressed = encoder.finish().ok()?;
    (compressed.len() < body.len()).then(|| Bytes::from(compressed))
}

/// The gzip of a file version: from the cache, or compressed on a blocking thread (reading the
/// file from `handle`, which is then kept in `raw` for an identity answer). `None`: send identity.
async fn gzipped(
    files: &StaticFiles,
    path: &Path,
    handle: &mut tokio::fs::File,
    metadata: &std::fs::Metadata,
    raw: &mut Option<Bytes>,
) -> Result<Option<Bytes>, std::io::Error> {
    let len = metadata.len();
    // Without a modification time a changed file of the same length would be served stale.
    let Ok(modified) = metadata.modified() else {
        return Ok(None);
    };
    if len == 0 || len > GZIP_MAX_FILE {
        return Ok(None);
    }
    let slot = files.gzip.slot(path, Version { modified, len });
    if let Some(done) = slot.body.get() {
        return Ok(done.clone());
    }
    let bytes = read_all(handle, len).await?;
    *raw = Some(bytes.clone());
    if bytes.len() as u64 != len {
        // Changed while read: this answer is the bytes read, as they are; the next one retries.
        return Ok(None);
    }
    let done = slot
        .body
        .get_or_init(|| async {
            let compressed =
                tokio::task::spawn_blocking(move || gzip(&bytes, flate2::Compression::best()))
                    .await
                    .ok()
                    .flatten();
            let size = compressed.as_ref().map_or(0, Bytes::len);
            files.gzip.count(path, &slot, size);
            compressed
        })
        .await;
    Ok(done.clone())
}

async fn read_all(handle: &mut tokio::fs::File, len: u64) -> Result<Bytes, std::io::Error> {
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    handle.read_to_end(&mut bytes).await?;
    Ok(Bytes::from(bytes))
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
    let not_found = || plain(StatusCode::NOT_FOUND, "Not Found\n");
    let Ok(mut handle) = tokio::fs::File::open(&file).await else {
        return not_found();
    };
    // The version is the open file's: a file replaced since it was resolved is this one's.
    let Ok(metadata) = handle.metadata().await else {
        return not_found();
    };
    let content_type = mime(&file);
    let compress = compressible(content_type);
    // A page's later visits revalidate instead of downloading again (`no-cache` below): an unchanged
    // version answers 304 with no body.
    let etag = entity_tag(&metadata);
    if let Some(etag) = &etag {
        if none_match(request.headers(), etag) {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            if compress {
                headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            if let Ok(value) = HeaderValue::from_str(etag) {
                headers.insert(header::ETAG, value);
            }
            return response;
        }
    }
    let mut raw = None;
    let gzip = if compress && accepts_gzip(request.headers()) {
        match gzipped(&files, &file, &mut handle, &metadata, &mut raw).await {
            Ok(gzip) => gzip,
            Err(_) => return not_found(),
        }
    } else {
        None
    };
    let (bytes, encoding) = match (gzip, raw) {
        (Some(gzip), _) => (gzip, Some("gzip")),
        (None, Some(raw)) => (raw, None),
        (None, None) => match read_all(&mut handle, metadata.len()).await {
            Ok(raw) => (raw, None),
            Err(_) => return not_found(),
        },
    };
    let length = bytes.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if compress {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    if let Ok(value) = HeaderValue::from_str(&length.to_string()) {
        headers.insert(header::CONTENT_LENGTH, value);
    }
    if let Some(value) = etag.and_then(|etag| HeaderValue::from_str(&etag).ok()) {
        headers.insert(header::ETAG, value);
    }
    response
}

/// A weak entity tag of a file's version (its length and modification time, as the gzip cache's
/// key): weak, because the gzipped and the identity bodies of one version share it (RFC 9110,
/// 8.8.1). `None` without a modification time: no validator, the file is sent each time.
fn entity_tag(metadata: &std::fs::Metadata) -> Option<String> {
    let since = metadata
        .modified()
        .ok()?
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "W/\"{:x}-{:x}.{:x}\"",
        metadata.len(),
        since.as_secs(),
        since.subsec_nanos()
    ))
}

/// Whether `If-None-Match` names `etag` (weak comparison, RFC 9110 13.1.2), or is `*`.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = etag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == opaque)
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

    fn headers(accept_encoding: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in accept_encoding {
            headers.append(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).unwrap(),
            );
        }
        headers
    }

    #[test]
    fn accept_encoding_negotiation() {
        let gzip = |values: &[&str]| accepts_gzip(&headers(values));
        // Accepted: what browsers send, `*`, q above 0, x-gzip, any case, over several headers.
        assert!(gzip(&["gzip, deflate, br, zstd"]));
        assert!(gzip(&["gzip"]));
        assert!(gzip(&["*"]));
        assert!(gzip(&["br;q=1.0, gzip;q=0.8, *;q=0.1"]));
        assert!(gzip(&["GZip ; Q=0.5"]));
        assert!(gzip(&["x-gzip"]));
        assert!(gzip(&["deflate", "gzip"]));
        assert!(gzip(&["gzip;q=0.5, identity;q=0.5"]));
        assert!(gzip(&["identity;q=0, gzip"]));
        assert!(gzip(&["*;q=0, gzip"]));
        // Not accepted: no header, an empty one, other codings only, identity only, q=0 (explicit or
        // through `*`), identity preferred, a malformed q.
        assert!(!gzip(&[]));
        assert!(!gzip(&[""]));
        assert!(!gzip(&["br, deflate"]));
        assert!(!gzip(&["identity"]));
        assert!(!gzip(&["gzip;q=0"]));
        assert!(!gzip(&["gzip;q=0.000, identity"]));
        assert!(!gzip(&["gzip;q=0, *"]));
        assert!(!gzip(&["*;q=0"]));
        assert!(!gzip(&["br, *;q=0"]));
        assert!(!gzip(&["gzip;q=0.5, identity;q=1"]));
        assert!(!gzip(&["gzip;q=0.5, *"]));
        assert!(!gzip(&["gzip;q=2"]));
        assert!(!gzip(&["gzip;q=abc"]));
        assert!(!gzip(&["gzip;q=-1"]));
        assert!(!gzip(&["gzip, gzip;q=0"]));
    }

    /// A mount of www/ with a script (compressible), a PNG (not) and a tiny text file (gzip would
    /// not shrink it).
    fn site() -> (tempfile::TempDir, Arc<StaticFiles>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let www = dir.path().join("www");
        std::fs::create_dir_all(www.join("var")).unwrap();
        let script: Vec<u8> = (0..2000)
            .flat_map(|i| format!("export const value{i} = {};\n", i * 7).into_bytes())
            .collect();
        std::fs::write(www.join("app.js"), &script).unwrap();
        std::fs::write(
            www.join("index.html"),
            "<!doctype html><p>hi</p>".repeat(50),
        )
        .unwrap();
        std::fs::write(www.join("image.png"), vec![0u8; 4096]).unwrap();
        std::fs::write(www.join("tiny.txt"), "x").unwrap();
        std::fs::write(www.join("var/shiming.sqlite3"), "db".repeat(1000)).unwrap();
        let files = Arc::new(StaticFiles::new(
            vec![("/".into(), www.clone())],
            vec![www.join("var")],
        ));
        (dir, files, script)
    }

    async fn get(
        files: &Arc<StaticFiles>,
        method: Method,
        path: &str,
        accept_encoding: Option<&str>,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        use http_body_util::BodyExt;
        let mut request = Request::builder().method(method).uri(path);
        if let Some(value) = accept_encoding {
            request = request.header(header::ACCEPT_ENCODING, value);
        }
        let response = handle(
            State(Arc::clone(files)),
            request.body(Body::empty()).unwrap(),
        )
        .await;
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes().to_vec();
        (parts.status, parts.headers, body)
    }

    fn gunzip(body: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(body)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn header_of(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
        headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// A GET with `If-None-Match: tag` (and gzip accepted).
    async fn revalidate(
        files: &Arc<StaticFiles>,
        path: &str,
        tag: &str,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        use http_body_util::BodyExt;
        let request = Request::builder()
            .uri(path)
            .header(header::ACCEPT_ENCODING, "gzip")
            .header(header::IF_NONE_MATCH, tag)
            .body(Body::empty())
            .unwrap();
        let (parts, body) = handle(State(Arc::clone(files)), request).await.into_parts();
        (
            parts.status,
            parts.headers,
            body.collect().await.unwrap().to_bytes().to_vec(),
        )
    }

    #[tokio::test]
    async fn unchanged_files_revalidate_with_304() {
        let (dir, files, script) = site();
        let (_, identity, _) = get(&files, Method::GET, "/app.js", None).await;
        let (_, zipped, _) = get(&files, Method::GET, "/app.js", Some("gzip")).await;
        let tag = header_of(&identity, header::ETAG).unwrap().to_string();
        assert!(tag.starts_with("W/\""), "{tag}");
        // One version, one (weak) tag, whatever the coding.
        assert_eq!(header_of(&zipped, header::ETAG), Some(tag.as_str()));
        // Its tag, also among others, strong or weak, or `*`: 304, no body, the validator and Vary.
        let strong = tag.trim_start_matches("W/").to_string();
        for sent in [
            tag.clone(),
            strong,
            format!("\"other\", {tag}"),
            "*".to_string(),
        ] {
            let (status, headers, body) = revalidate(&files, "/app.js", &sent).await;
            assert_eq!(status, StatusCode::NOT_MODIFIED, "{sent}");
            assert!(body.is_empty());
            assert_eq!(header_of(&headers, header::ETAG), Some(tag.as_str()));
            assert_eq!(header_of(&headers, header::VARY), Some("accept-encoding"));
            assert_eq!(header_of(&headers, header::CACHE_CONTROL), Some("no-cache"));
        }
        // Another tag: the file.
        let (status, _, body) = revalidate(&files, "/app.js", "W/\"0-0.0\"").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(gunzip(&body), script);
        // A changed file has another tag: the old one gets the new file.
        std::fs::write(
            dir.path().join("www/app.js"),
            b"export const changed = 1;\n",
        )
        .unwrap();
        let (status, headers, body) = revalidate(&files, "/app.js", &tag).await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(header_of(&headers, header::ETAG), Some(tag.as_str()));
        assert_eq!(body, b"export const changed = 1;\n");
    }

    #[tokio::test]
    async fn gzip_when_accepted_identity_otherwise() {
        let (_dir, files, script) = site();
        // Accepted: gzip, the exact file once decompressed, its length, Vary.
        for accept in ["gzip, deflate, br, zstd", "*", "identity;q=0.5, gzip"] {
            let (status, headers, body) = get(&files, Method::GET, "/app.js", Some(accept)).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(header_of(&headers, header::CONTENT_ENCODING), Some("gzip"));
            assert_eq!(header_of(&headers, header::VARY), Some("accept-encoding"));
            assert_eq!(
                header_of(&headers, header::CONTENT_TYPE),
                Some("text/javascript; charset=utf-8")
            );
            assert_eq!(header_of(&headers, header::CACHE_CONTROL), Some("no-cache"));
            let length = body.len().to_string();
            assert_eq!(
                header_of(&headers, header::CONTENT_LENGTH),
                Some(length.as_str())
            );
            assert!(
                body.len() < script.len() / 4,
                "{} of {}",
                body.len(),
                script.len()
            );
            assert_eq!(gunzip(&body), script);
        }
        // Not accepted: the file as it is, still with Vary (a cache must not give it to a client
        // that accepts gzip, nor the gzip to one that does not).
        for accept in [
            None,
            Some(""),
            Some("br"),
            Some("gzip;q=0"),
            Some("identity"),
            Some("*;q=0"),
        ] {
            let (status, headers, body) = get(&files, Method::GET, "/app.js", accept).await;
            assert_eq!(status, StatusCode::OK, "{accept:?}");
            assert_eq!(
                header_of(&headers, header::CONTENT_ENCODING),
                None,
                "{accept:?}"
            );
            assert_eq!(header_of(&headers, header::VARY), Some("accept-encoding"));
            let length = script.len().to_string();
            assert_eq!(
                header_of(&headers, header::CONTENT_LENGTH),
                Some(length.as_str())
            );
            assert_eq!(body, script, "{accept:?}");
        }
        // The directory's index.html too.
        let (_, headers, body) = get(&files, Method::GET, "/", Some("gzip")).await;
        assert_eq!(header_of(&headers, header::CONTENT_ENCODING), Some("gzip"));
        assert_eq!(
            gunzip(&body),
            "<!doctype html><p>hi</p>".repeat(50).into_bytes()
        );
        // A PNG is never compressed, and does not vary.
        let (status, headers, body) = get(&files, Method::GET, "/image.png", Some("gzip")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header_of(&headers, header::CONTENT_ENCODING), None);
        assert_eq!(header_of(&headers, header::VARY), None);
        assert_eq!(body, vec![0u8; 4096]);
        // A file gzip does not shrink: as it is, with Vary, every time.
        for _ in 0..2 {
            let (_, headers, body) = get(&files, Method::GET, "/tiny.txt", Some("gzip")).await;
            assert_eq!(header_of(&headers, header::CONTENT_ENCODING), None);
            assert_eq!(header_of(&headers, header::VARY), Some("accept-encoding"));
            assert_eq!(body, b"x");
        }
    }

    #[tokio::test]
    async fn head_answers_get_headers() {
        let (_dir, files, _) = site();
        for accept in [Some("gzip"), None] {
            let (get_status, get_headers, get_body) =
                get(&files, Method::GET, "/app.js", accept).await;
            let (status, headers, body) = get(&files, Method::HEAD, "/app.js", accept).await;
            assert_eq!(status, get_status);
            assert_eq!(headers, get_headers);
            assert!(body.is_empty());
            let length = get_body.len().to_string();
            assert_eq!(
                header_of(&headers, header::CONTENT_LENGTH),
                Some(length.as_str())
            );
        }
        // HEAD first (the gzip computed for it), then GET from the cache: the same length.
        let (_dir, files, script) = site();
        let (_, head, _) = get(&files, Method::HEAD, "/app.js", Some("gzip")).await;
        let (_, headers, body) = get(&files, Method::GET, "/app.js", Some("gzip")).await;
        assert_eq!(head, headers);
        assert_eq!(gunzip(&body), script);
    }

    #[tokio::test]
    async fn other_guarantees_stand_with_gzip() {
        let (_dir, files, _) = site();
        let (status, headers, _) = get(&files, Method::POST, "/app.js", Some("gzip")).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(header_of(&headers, header::ALLOW), Some("GET, HEAD"));
        let (status, _, _) = get(&files, Method::GET, "/var/shiming.sqlite3", Some("gzip")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = get(&files, Method::GET, "/%2e%2e/x.js", Some("gzip")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _, _) = get(&files, Method::GET, "/missing.js", Some("gzip")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_changed_file_is_compressed_again() {
        let (dir, files, script) = site();
        let path = dir.path().join("www/app.js");
        let (_, _, first) = get(&files, Method::GET, "/app.js", Some("gzip")).await;
        let (_, _, again) = get(&files, Method::GET, "/app.js", Some("gzip")).await;
        assert_eq!(first, again);
        assert_eq!(files.gzip.stats(), (1, first.len()));
        // A new version (another length): its own gzip, and the old one no longer counted.
        let changed = [script.as_slice(), b"export const more = 1;\n"].concat();
        std::fs::write(&path, &changed).unwrap();
        let (_, _, body) = get(&files, Method::GET, "/app.js", Some("gzip")).await;
        assert_eq!(gunzip(&body), changed);
        assert_eq!(files.gzip.stats(), (1, body.len()));
        // The same length, another modification time.
        let same_length: Vec<u8> = changed.iter().map(|b| b.to_ascii_uppercase()).collect();
        std::fs::write(&path, &same_length).unwrap();
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let (_, _, body) = get(&files, Method::GET, "/app.js", Some("gzip")).await;
        assert_eq!(gunzip(&body), same_length);
    }

    #[tokio::test]
    async fn the_cache_is_bounded() {
        let (dir, _, _) = site();
        let www = dir.path().join("www");
        let mut files = StaticFiles::new(vec![("/".into(), www.clone())], vec![]);
        let one = gzip(
            &std::fs::read(www.join("app.js")).unwrap(),
            flate2::Compression::best(),
        )
        .unwrap()
        .len();
        // Room for two gzips of app.js's size, not three.
        files.gzip = GzipCache::new(one * 2 + one / 2);
        let files = Arc::new(files);
        for name in ["a", "b", "c"] {
            std::fs::copy(www.join("app.js"), www.join(format!("{name}.js"))).unwrap();
        }
        for name in ["a", "b", "a", "c"] {
            let (_, headers, _) =
                get(&files, Method::GET, &format!("/{name}.js"), Some("gzip")).await;
            assert_eq!(header_of(&headers, header::CONTENT_ENCODING), Some("gzip"));
        }
        // b, the least recently used, was dropped; a and c stay.
        assert_eq!(files.gzip.stats(), (2, one * 2));
        let kept_b = files
            .gzip
            .lock()
            .entries
            .keys()
            .any(|p| p.ends_with("b.js"));
        assert!(!kept_b);
        // A file whose gzip alone is over the limit is still sent gzipped, just not kept.
        let small = Arc::new({
            let mut files = StaticFiles::new(vec![("/".into(), www)], vec![]);
            files.gzip = GzipCache::new(one / 2);
            files
        });
        let (_, headers, body) = get(&small, Method::GET, "/app.js", Some("gzip")).await;
        assert_eq!(header_of(&headers, header::CONTENT_ENCODING), Some("gzip"));
        assert_eq!(body.len(), one);
        assert_eq!(small.gzip.stats(), (0, 0));
    }
}
