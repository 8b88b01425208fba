//! Built-in TLS (rustls) with a certificate made in the test, and the reverse-proxy mode: cookies
//! are `Secure` with the `__Host-` prefix exactly when the browser sees https.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use thaw_web::TlsFiles;

use super::{PASS, set_cookie, start};

/// A request over https to 127.0.0.1:`port`, trusting only `root` (PEM); the raw answer.
fn https(port: u16, root: &str, request: &str) -> Result<String, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    let cert = CertificateDer::from_pem_slice(root.as_bytes()).map_err(|e| e.to_string())?;
    roots.add(cert).map_err(|e| e.to_string())?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let sock = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    sock.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    let mut tls = rustls::StreamOwned::new(conn, sock);
    tls.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    match tls.read_to_end(&mut out) {
        Ok(_) => {}
        // The server may close without a TLS close_notify after `Connection: close`.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => {}
        Err(e) => return Err(e.to_string()),
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[test]
fn built_in_tls_serves_https_with_secure_host_only_cookies() {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    let files = TlsFiles { cert, key };
    let s = start(move |c| c.tls = Some(files));
    assert!(s.base.starts_with("https://127.0.0.1:"), "{}", s.base);
    let port: u16 = s.base.rsplit(':').next().unwrap().parse().unwrap();
    let root = made.cert.pem();
    let status =
        https(port, &root, "GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert!(status.contains("\"unlocked\":false"), "{status}");
    // Sign-up and sign-in over https.
    let body = json!({ "username": "tide", "passphrase": PASS }).to_string();
    let post = |path: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let made_account = https(port, &root, &post("/api/v1/accounts")).unwrap();
    assert!(made_account.starts_with("HTTP/1.1 201"), "{made_account}");
    let signed_in = https(port, &root, &post("/api/v1/sessions")).unwrap();
    assert!(signed_in.starts_with("HTTP/1.1 201"), "{signed_in}");
    // Pages set their cookies Secure, with the __Host- prefix.
    let page =
        https(port, &root, "GET /signin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let cookie = page
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("{page}"));
    assert!(cookie.contains("__Host-thaw_form=") && cookie.contains("; Secure"), "{cookie}");
    // A client that doesn't trust the certificate gets nowhere; plain http to the port neither.
    let other = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    assert!(https(port, &other.cert.pem(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").is_err());
    let plain = crate::harness::raw_request(port, "GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert!(!plain.contains("\"unlocked\""), "{plain}");
}

#[test]
fn tls_files_that_cannot_be_read_stop_the_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, "not a certificate").unwrap();
    std::fs::write(&key, "not a key").unwrap();
    let db = super::cluster().database().unwrap();
    let mut config = thaw_web::HostConfig::new(super::backend(&db));
    config.tls = Some(TlsFiles { cert, key });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let err = rt.block_on(thaw_web::HostServer::bind(config)).err().expect("refused");
    assert!(err.to_string().contains("cert.pem"), "{err}");
}

#[test]
fn behind_a_proxy_the_forwarded_scheme_decides_secure_cookies() {
    let s = start(|c| c.behind_proxy = true);
    let mut c = s.client();
    let plain = c.get("/signin");
    let cookie = set_cookie(&plain, "thaw_form").expect("form cookie");
    assert!(!cookie.contains("Secure"), "{cookie}");
    c.extra.push(("X-Forwarded-Proto".into(), "https".into()));
    c.extra.push(("X-Forwarded-For".into(), "203.0.113.9".into()));
    let secure = c.get("/signin");
    let cookie = set_cookie(&secure, "__Host-thaw_form").expect("host-only form cookie");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    // The forwarded address is the one that counts for failed sign-ins: another address isn't
    // slowed down by this one's failures.
    for i in 0..11 {
        c.post_json(
            "/api/v1/sessions",
            &json!({ "username": format!("n{i}"), "passphrase": "nope nope nope" }),
        );
    }
    let slowed =
        c.post_json("/api/v1/sessions", &json!({ "username": "fresh-name", "passphrase": "nope nope nope" }));
    assert_eq!(slowed.status, 429, "{}", slowed.body);
    let mut elsewhere = s.client();
    elsewhere.extra.push(("X-Forwarded-For".into(), "198.51.100.4".into()));
    elsewhere
        .post_json("/api/v1/sessions", &json!({ "username": "fresh-name2", "passphrase": "nope nope nope" }))
        .status(401);
    // Without --behind-proxy the headers are ignored.
    let direct = start(|_| {});
    let mut d = direct.client();
    d.extra.push(("X-Forwarded-Proto".into(), "https".into()));
    let r = d.get("/signin");
    assert!(set_cookie(&r, "thaw_form").is_some_and(|c| !c.contains("Secure")));
}
