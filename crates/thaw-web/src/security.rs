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

use std::sync::Arc;

use crate::BODY_LIMIT;
use crate::error::{WebError, json_error};
use crate::state::{AppState, BrowserSession, CodeUse, HostKind};

/// The Content Security Policy: nothing from anywhere but ourselves, no inline script or style,
/// no framing, forms post only to us. The script and the service worker may fetch from us
/// (`connect-src`), the worker and the manifest may only be ours.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
                              connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
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

/// Paths anyone on this machine may fetch: the embedded, non-private assets, and what makes Thaw
/// installable (the manifest, the service worker, the offline page it keeps). None of them holds
/// anything private; the Host check still applies to them.
fn is_public(path: &str) -> bool {
    path.starts_with("/assets/")
        || matches!(path, "/favicon.ico" | "/manifest.webmanifest" | "/sw.js" | "/offline")
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

/// Compares secrets without leaking, through timing, how much of a guess was right (`subtle`,
/// whose comparison the optimiser can't turn into an early exit). The length of our own secrets
/// is public.
pub(crate) fn same_secret(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
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

/// The session a request belongs to. Cookies count only on the app's own host name (they are
/// never set anywhere else); the bearer token works on every name of ours.
fn authenticate(
    state: &AppState,
    kind: HostKind,
    headers: &HeaderMap,
) -> Option<(Auth, Arc<BrowserSession>)> {
    if kind == HostKind::App
        && let Some(value) = cookie_value(headers, &state.cookie_name())
        && let Some(session) = state.session_for_cookie(value)
    {
        return Some((Auth::Cookie, session));
    }
    let bearer = headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")?;
    same_secret(bearer.trim().as_bytes(), state.launch_token().as_bytes())
        .then(|| (Auth::Bearer, state.api_session()))
}

/// The `token` query parameter, if any.
fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A path inside this app to send a browser to, rebuilt from what was asked for: one leading `/`,
/// then only characters that are plain in a URL path and query (letters, digits and
/// `-._~!$&'()*+,;=:@/?%`). No white space, no control characters, no backslash, no `//` at the
/// start (which browsers read as another site) and nothing that could make a bad header. `None`
/// when the input isn't such a path; callers then go to `/`.
pub(crate) fn safe_path(next: &str) -> Option<String> {
    let rest = next.strip_prefix('/')?;
    if rest.starts_with(['/', '\\']) {
        return None;
    }
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?%".contains(c);
    if !rest.chars().all(plain) {
        return None;
    }
    // A `%2f%2f` or `%5c` that a server or browser might decode later is refused too.
    let lower = rest.to_ascii_lowercase();
    if lower.starts_with("%2f")
        || lower.starts_with("%5c")
        || lower.contains("%5c")
        || ["%0", "%1", "%7f"].iter().any(|c| lower.contains(c))
    {
        return None;
    }
    Some(format!("/{rest}"))
}

async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.is_hosted() {
        return hosted_guard(state, request, next).await;
    }
    let host = header_str(request.headers(), "host").unwrap_or_default();
    let Some(kind) = state.host_kind(host) else {
        return plain(
            StatusCode::MISDIRECTED_REQUEST,
            "This address isn't served here. Open Thaw with the link `thaw serve` printed.",
        );
    };
    let path = request.uri().path().to_owned();
    if is_public(&path) {
        return next.run(request).await;
    }
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    if safe && let Some(code) = path.strip_prefix("/open/") {
        return match state.take_open_code(code) {
            CodeUse::Fresh => arrive(&state, kind, "/", request.headers(), Some(code)),
            CodeUse::Reused => used_twice(&path),
            CodeUse::Unknown => unauthorized(&path),
        };
    }
    if safe && let Some(token) = query_token(request.uri().query()) {
        return if same_secret(token.as_bytes(), state.launch_token().as_bytes()) {
            arrive(&state, kind, &path, request.headers(), None)
        } else {
            unauthorized(&path)
        };
    }
    let Some((auth, session)) = authenticate(&state, kind, request.headers()) else {
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
    AppState::in_session(session, async move {
        state.touch();
        next.run(request).await
    })
    .await
}

/// A browser arrived with the printed link or a one-time code. On the app's own host name it gets
/// a session of its own (the cookie); on 127.0.0.1 or localhost it is sent on to the app's host
/// name with a fresh one-time code, so no cookie is ever set for a name other servers share.
fn arrive(state: &AppState, kind: HostKind, path: &str, headers: &HeaderMap, code: Option<&str>) -> Response {
    let target = safe_path(path).unwrap_or_else(|| "/".to_owned());
    match kind {
        HostKind::Loopback => match state.new_open_code() {
            Ok(code) => Redirect::to(&format!("{}/open/{code}", state.app_origin())).into_response(),
            Err(err) => crate::view::error_page(err.status(), &err.to_string()),
        },
        HostKind::App => match state.new_session() {
            Ok(session) => {
                if let Some(code) = code {
                    state.note_code_opened(code, &session);
                }
                landing(state, &session, &target, headers)
            }
            Err(err) => crate::view::error_page(err.status(), &err.to_string()),
        },
    }
}

/// Sets the session cookie and sends the browser on without the token in the address.
fn landing(state: &AppState, session: &BrowserSession, target: &str, headers: &HeaderMap) -> Response {
    // No Domain attribute: the cookie is host-only, sent to this launch's random host name and
    // nowhere else.
    let cookie = format!("{}={}; HttpOnly; SameSite=Strict; Path=/", state.cookie_name(), session.secret());
    // A navigation that started on another site (or in a local file, as `thaw serve` opens the
    // browser through one, or at 127.0.0.1) would not carry a SameSite=Strict cookie across a
    // redirect. A page of our own that moves on by itself makes the next request same-site.
    let cross_site = matches!(header_str(headers, "sec-fetch-site"), Some("cross-site") | Some("same-site"));
    let mut response = if cross_site {
        let target = html_escape(target);
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

/// Escapes text for HTML with askama's escaper (the one every template uses).
fn html_escape(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html).map(|s| s.to_string()).unwrap_or_default()
}

fn unauthorized(path: &str) -> Response {
    if is_api(path) {
        return json_error(StatusCode::UNAUTHORIZED, &WebError::Unauthorized.to_string());
    }
    notice_page(
        "Please use your link",
        "Open Thaw with the link that <code>thaw serve</code> printed in your terminal. \
         It changes each time Thaw starts, so only you can open your journal.",
    )
}

/// An opening link came back after it was used: someone else may have it.
fn used_twice(path: &str) -> Response {
    if is_api(path) {
        return json_error(StatusCode::UNAUTHORIZED, &WebError::Unauthorized.to_string());
    }
    notice_page(
        "This link was already used",
        "Each opening link works once. This one came back a second time, so to keep your journal \
         private Thaw closed the window it had opened. Please open Thaw again with the link printed \
         in your terminal.",
    )
}

fn notice_page(title: &str, text: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>Thaw</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\
        <body><main class=\"narrow\" id=\"main\"><h1>{title}</h1>\
        <p>{text}</p>\
        <p class=\"quiet\">If you are in crisis right now, please call your local emergency number \
        or a crisis line.</p></main></body></html>"
    );
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
    require_token(&state.csrf_token(), request).await
}

/// The CSRF token must come with the request: in the header, or as the form's hidden field.
async fn require_token(expected: &str, request: Request) -> Result<Request, WebError> {
    let headers = request.headers();
    if let Some(token) = header_str(headers, CSRF_HEADER) {
        return if same_secret(token.as_bytes(), expected.as_bytes()) {
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
        Some(t) if same_secret(t.as_bytes(), expected.as_bytes()) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        Some(_) => Err(forbidden("its form token is out of date")),
        None => Err(forbidden("its form token is missing")),
    }
}

/// The guard of a hosted server (`thaw host`): any host name (the operator chooses it); a
/// session from the cookie or the bearer token, or else an anonymous visitor who may reach only
/// the doors (sign-in, sign-up, recovery, crisis lines, the public API routes); our own origin and
/// the CSRF token on every state-changing request.
async fn hosted_guard(state: AppState, mut request: Request, next: Next) -> Response {
    let Some(hosted) = state.hosted() else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong inside Thaw.");
    };
    let peer =
        request.extensions().get::<axum::extract::ConnectInfo<crate::hosted::ClientAddr>>().map(|c| c.0.0);
    let info = hosted.client_info(request.headers(), peer);
    let path = request.uri().path().to_owned();
    if is_public(&path) {
        return next.run(request).await;
    }
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    let headers = request.headers();
    let from_cookie = cookie_value(headers, crate::hosted::cookie_name(info.https))
        .and_then(|v| hosted.find(&state, v))
        .map(|s| (Auth::Cookie, s));
    let bearer = header_str(headers, "authorization").and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    let from_bearer = || bearer.and_then(|t| hosted.find(&state, t)).map(|s| (Auth::Bearer, s));
    let (auth, session, new_form_cookie) = match from_cookie.or_else(from_bearer) {
        Some((auth, session)) => (Some(auth), session, None),
        None => {
            if is_api(&path) && (bearer.is_some() || !crate::hosted::is_public_api(request.method(), &path)) {
                return json_error(
                    StatusCode::UNAUTHORIZED,
                    "Please sign in first (POST /api/v1/sessions), and send the token as Authorization: Bearer TOKEN. \
                     A session ends after a quiet while and at sign-out.",
                );
            }
            // Before sign-in: forms carry a token tied to a cookie of their own.
            let existing = cookie_value(headers, crate::hosted::form_cookie_name(info.https))
                .filter(|v| {
                    v.len() == 43 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                })
                .map(str::to_owned);
            let (form_cookie, fresh) = match existing {
                Some(v) => (v, false),
                None => match crate::state::random_token() {
                    Ok(t) => (t.as_str().to_owned(), true),
                    Err(err) => return crate::view::error_page(err.status(), &err.to_string()),
                },
            };
            let csrf = hosted.form_token(&form_cookie);
            let session = Arc::new(BrowserSession::with(None, Some(csrf), None));
            (None, session, fresh.then_some(form_cookie))
        }
    };
    if !safe {
        let expected = session.csrf.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default();
        let checked = match check_hosted_origin(hosted, &info, request.headers()) {
            Err(err) => Err(err),
            // Bearer clients, and sign-in or sign-up through the API (JSON, which another site
            // can't send without asking first, and the origin is checked), need no token.
            Ok(()) if auth == Some(Auth::Bearer) || (auth.is_none() && is_api(&path)) => Ok(request),
            Ok(()) => require_token(&expected, request).await,
        };
        request = match checked {
            Ok(request) => request,
            Err(err) => {
                return if is_api(&path) {
                    json_error(err.status(), &err.to_string())
                } else {
                    crate::view::error_page(err.status(), &err.to_string())
                };
            }
        };
    }
    request.extensions_mut().insert(info);
    let mut response = AppState::in_session(session, async move {
        state.touch();
        next.run(request).await
    })
    .await;
    if let Some(value) = new_form_cookie
        && !is_api(&path)
        && let Ok(v) = HeaderValue::from_str(&crate::hosted::set_cookie(
            crate::hosted::form_cookie_name(info.https),
            &value,
            info.https,
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// A state-changing request must come from a page of this server: `Origin` (when the browser
/// sends one that isn't "null") is the scheme and host the request was made to, and
/// `Sec-Fetch-Site` (when sent) says same-origin.
fn check_hosted_origin(
    hosted: &crate::hosted::Hosted,
    info: &crate::hosted::ClientInfo,
    headers: &HeaderMap,
) -> Result<(), WebError> {
    if let Some(origin) = header_str(headers, "origin")
        && origin != "null"
    {
        let scheme = if info.https { "https" } else { "http" };
        let ours = hosted.request_host(headers).map(|h| format!("{scheme}://{h}"));
        if !ours.is_some_and(|o| o.eq_ignore_ascii_case(origin)) {
            return Err(forbidden("it came from another site"));
        }
    }
    if let Some(site) = header_str(headers, "sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return Err(forbidden("it came from another site"));
    }
    Ok(())
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
    fn redirect_targets_are_rebuilt_or_refused() {
        for ok in ["/", "/journal", "/journal/abc?page=2", "/a-b_c.d~e"] {
            assert_eq!(safe_path(ok).as_deref(), Some(ok));
        }
        for bad in [
            "",
            "journal",
            "//evil.example",
            "/\\evil.example",
            "/\\/evil",
            "/\t/evil.example",
            "/\n",
            "/ evil",
            "/%2f%2fevil",
            "/%5cevil",
            "/x%0d%0aSet-Cookie:a=b",
            "/é",
            "http://evil.example/",
            "/\u{7f}",
        ] {
            assert_eq!(safe_path(bad), None, "{bad:?}");
        }
    }

    proptest::proptest! {
        /// Whatever is asked for, a target is either refused or a same-site path that is a valid
        /// header value, equal to what was asked for.
        #[test]
        fn any_redirect_target_is_refused_or_stays_on_this_site(next in "\\PC*|/[ -~\t\n\\\\%]{0,12}") {
            if let Some(path) = safe_path(&next) {
                proptest::prop_assert_eq!(&path, &next);
                proptest::prop_assert!(path.starts_with('/'));
                proptest::prop_assert!(!path.starts_with("//") && !path.starts_with("/\\"));
                proptest::prop_assert!(!path.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\'));
                proptest::prop_assert!(HeaderValue::from_str(&path).is_ok());
            }
        }
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
