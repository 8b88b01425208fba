//! The layers every request passes before a handler sees it: Host check, the per-launch secret,
//! CSRF checks on every state-changing request, the idle clock, and the security headers on every
//! response.

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::BODY_LIMIT;
use crate::error::{WebError, json_error};
use crate::state::AppState;

/// The Content Security Policy: nothing from anywhere but ourselves, no inline script or style,
/// no framing, forms post only to us.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
                              form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The hidden form field that carries the CSRF token.
pub(crate) const CSRF_FIELD: &str = "_csrf";
/// The header the script (and cookie-authenticated API clients) send the CSRF token in.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// Wraps the app in the security layers and the state.
pub(crate) fn wrap(app: Router<AppState>, state: AppState) -> Router {
    let headers: [(HeaderName, &'static str); 7] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ),
    ];
    let mut router = app
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Pages and API answers hold private text: never cache them. Assets set their own.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)));
    }
    router
}

/// Paths anyone on this machine may fetch: the embedded, non-private assets.
fn is_public(path: &str) -> bool {
    path.starts_with("/assets/") || path == "/favicon.ico"
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// How a request proved it may use this server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    Cookie,
    Bearer,
}

/// Compares secrets without leaking, through timing, how much of a guess was right.
pub(crate) fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn authenticate(state: &AppState, headers: &HeaderMap) -> Option<Auth> {
    if let Some(value) = cookie_value(headers, &state.cookie_name())
        && same_secret(value.as_bytes(), state.session_secret().as_bytes())
    {
        return Some(Auth::Cookie);
    }
    let bearer = headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")?;
    same_secret(bearer.trim().as_bytes(), state.launch_token().as_bytes()).then_some(Auth::Bearer)
}

/// The `token` query parameter, if any.
fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let host = header_str(request.headers(), "host").unwrap_or_default();
    if !state.host_allowed(host) {
        return plain(
            StatusCode::MISDIRECTED_REQUEST,
            "This address isn't served here. Open Thaw with the link `thaw serve` printed.",
        );
    }
    let path = request.uri().path().to_owned();
    if is_public(&path) {
        return next.run(request).await;
    }
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    if safe && let Some(code) = path.strip_prefix("/open/") {
        return if state.take_open_code(code) {
            landing(&state, "/", request.headers())
        } else {
            unauthorized(&path)
        };
    }
    if safe && let Some(token) = query_token(request.uri().query()) {
        return if same_secret(token.as_bytes(), state.launch_token().as_bytes()) {
            landing(&state, &path, request.headers())
        } else {
            unauthorized(&path)
        };
    }
    let Some(auth) = authenticate(&state, request.headers()) else {
        return unauthorized(&path);
    };
    let request = if safe {
        request
    } else {
        match check_csrf(&state, auth, request).await {
            Ok(request) => request,
            Err(err) => {
                return if is_api(&path) {
                    json_error(err.status(), &err.to_string())
                } else {
                    crate::view::error_page(err.status(), &err.to_string())
                };
            }
        }
    };
    state.touch();
    next.run(request).await
}

/// Sets the session cookie and sends the browser on without the token in the address.
fn landing(state: &AppState, path: &str, headers: &HeaderMap) -> Response {
    let cookie =
        format!("{}={}; HttpOnly; SameSite=Strict; Path=/", state.cookie_name(), state.session_secret());
    let target = if path.starts_with('/') && !path.starts_with("//") { path } else { "/" };
    // A navigation that started on another site (or in a local file, as `thaw serve` opens the
    // browser through one) would not carry a SameSite=Strict cookie across a redirect. A page of
    // our own that moves on by itself makes the next request same-site.
    let cross_site = matches!(header_str(headers, "sec-fetch-site"), Some("cross-site") | Some("same-site"));
    let mut response = if cross_site {
        let target = askama_escape(target);
        Html(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"refresh\" content=\"0; url={target}\"><title>Opening Thaw</title></head>\
             <body><p><a href=\"{target}\">Open Thaw</a></p></body></html>"
        ))
        .into_response()
    } else {
        Redirect::to(target).into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

fn unauthorized(path: &str) -> Response {
    if is_api(path) {
        return json_error(StatusCode::UNAUTHORIZED, &WebError::Unauthorized.to_string());
    }
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>Thaw</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\
        <body><main class=\"narrow\" id=\"main\"><h1>Please use your link</h1>\
        <p>Open Thaw with the link that <code>thaw serve</code> printed in your terminal. \
        It changes each time Thaw starts, so only you can open your journal.</p>\
        <p class=\"quiet\">If you are in crisis right now, please call your local emergency number \
        or a crisis line.</p></main></body></html>";
    (StatusCode::UNAUTHORIZED, Html(page)).into_response()
}

fn plain(status: StatusCode, message: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

fn forbidden(why: &str) -> WebError {
    WebError::Forbidden(format!(
        "Thaw didn't accept that request ({why}). Nothing was changed. Please go back, reload the page and try again."
    ))
}

/// A state-changing request must come from our own pages (Origin, Sec-Fetch-Site) and, when the
/// browser's cookie is what authenticates it, carry the CSRF token (a form field or a header).
/// Bearer-token clients can't be driven by another site, so they need no CSRF token.
async fn check_csrf(state: &AppState, auth: Auth, request: Request) -> Result<Request, WebError> {
    let headers = request.headers();
    // With `Referrer-Policy: no-referrer`, browsers send `Origin: null` even for our own forms, so
    // "null" proves nothing either way; Sec-Fetch-Site and the token decide.
    if let Some(origin) = header_str(headers, "origin")
        && origin != "null"
        && !state.origin_allowed(origin)
    {
        return Err(forbidden("it came from another site"));
    }
    if let Some(site) = header_str(headers, "sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return Err(forbidden("it came from another site"));
    }
    if auth == Auth::Bearer {
        return Ok(request);
    }
    if let Some(token) = header_str(headers, CSRF_HEADER) {
        return if same_secret(token.as_bytes(), state.csrf_token().as_bytes()) {
            Ok(request)
        } else {
            Err(forbidden("its form token is out of date"))
        };
    }
    let is_form = header_str(headers, "content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(forbidden("its form token is missing"));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| WebError::TooLarge)?;
    let token = form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned());
    match token {
        Some(t) if same_secret(t.as_bytes(), state.csrf_token().as_bytes()) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        Some(_) => Err(forbidden("its form token is out of date")),
        None => Err(forbidden("its form token is missing")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
        assert!(!same_secret(b"", b"a"));
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; thaw_session_80=xyz; thaw_session_8=no"));
        assert_eq!(cookie_value(&h, "thaw_session_80"), Some("xyz"));
        assert_eq!(cookie_value(&h, "thaw_session_8"), Some("no"));
        assert_eq!(cookie_value(&h, "thaw"), None);
    }
}
