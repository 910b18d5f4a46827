//! The HTTP API over loopback, against the real `chorus serve`: routes,
//! fields and statuses of PRODUCT.md, every answer checked against the
//! server's own `/openapi.json`; errors; the token; the rate limit; escaping;
//! malformed requests; and a bounded load test with writers and readers.

mod serving;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;
use serving::{Resp, Server, enc, fixtures, request};

/// Validates `v` against an OpenAPI 3.0 schema (the subset the spec uses:
/// `$ref`, `type`, `nullable`, `required`, `properties`, `items`, `enum`,
/// `minimum`).
fn validate(spec: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        let target = &spec["components"]["schemas"][name];
        assert!(!target.is_null(), "dangling $ref {r}");
        return validate(spec, target, v, at);
    }
    if v.is_null() {
        return if schema.get("nullable") == Some(&Value::Bool(true)) || schema.get("type").is_none() {
            Ok(())
        } else {
            Err(format!("{at}: null where the spec says {}", schema["type"]))
        };
    }
    let ok = match schema.get("type").and_then(Value::as_str) {
        None => true,
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        Some(t) => return Err(format!("{at}: unknown type {t}")),
    };
    if !ok {
        return Err(format!("{at}: {v} is not {}", schema["type"]));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{at}: {v} not in {e:?}"));
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64())
        && n < min
    {
        return Err(format!("{at}: {n} below {min}"));
    }
    for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
        let k = r.as_str().unwrap();
        if v.get(k).is_none() {
            return Err(format!("{at}: missing required {k}"));
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (k, s) in props {
            if let Some(x) = v.get(k) {
                validate(spec, s, x, &format!("{at}.{k}"))?;
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(spec, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// Checks that the spec documents this status for this operation and that
/// the body matches the documented schema; returns the body.
fn conforms(spec: &Value, method: &str, route: &str, r: &Resp) -> Value {
    let op = &spec["paths"][route][method];
    assert!(!op.is_null(), "{method} {route} is not in the spec");
    let doc = &op["responses"][r.status.to_string()];
    assert!(!doc.is_null(), "{method} {route} answered {} which the spec does not list: {}", r.status, r.text());
    let ct = r.header("content-type").unwrap_or("");
    assert!(ct.starts_with("application/json"), "{method} {route}: content type {ct}");
    let body = r.json();
    let schema = &doc["content"]["application/json"]["schema"];
    if let Err(e) = validate(spec, schema, &body, "body") {
        panic!("{method} {route} {}: {e}\n{}", r.status, r.text());
    }
    body
}

fn fresh() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    (dir, db)
}

fn post_fixtures(s: &Server, spec: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, source) in [
        ("01_valley_post.txt", "Valley Post"),
        ("02_hill_herald.txt", "Hill Herald"),
        ("03_dale_news.txt", "Dale News"),
    ] {
        let body = std::fs::read(fixtures().join(name)).unwrap();
        let r = s.post(&format!("/api/articles?source={}", enc(source)), "text/plain; charset=utf-8", &body);
        assert_eq!(r.status, 201, "{}", r.text());
        let b = conforms(spec, "post", "/api/articles", &r);
        out.push((b["article"].as_str().unwrap().to_string(), b["story"].as_str().unwrap().to_string()));
    }
    out
}

#[test]
fn the_api_does_what_product_md_says() {
    let (_d, db) = fresh();
    let s = Server::start(&db, &[]);
    let spec = s.get("/openapi.json").json();

    let r = s.get("/api/stories");
    let b = conforms(&spec, "get", "/api/stories", &r);
    assert_eq!(b["stories"], serde_json::json!([]));
    assert!(b["next"].is_null());

    let ids = post_fixtures(&s, &spec);
    // A story is named by its first article in canonical order: a later
    // article that sorts first renames it, and the old name still finds it.
    let now = |st: &str| s.get(&format!("/api/stories/{st}")).json()["id"].as_str().unwrap_or_default().to_string();
    let story = now(&ids[0].1);
    assert!(ids.iter().any(|(a, _)| *a == story), "a story is named by one of its articles: {story}");
    assert!(ids.iter().all(|(_, st)| now(st) == story), "the three reports of one event make one story");

    // The same article again: 200 with the existing ids.
    let again = s.post(
        "/api/articles?source=Valley%20Post",
        "text/plain",
        &std::fs::read(fixtures().join("01_valley_post.txt")).unwrap(),
    );
    assert_eq!(again.status, 200);
    let b = conforms(&spec, "post", "/api/articles", &again);
    assert_eq!((b["article"].as_str().unwrap(), b["story"].as_str().unwrap()), (ids[0].0.as_str(), story.as_str()));

    // JSON and HTML bodies.
    let other = serde_json::json!({"title": "Orchard frost ruins apple crop in Kessel",
        "text": "A late frost destroyed most of the apple blossom in Kessel on Sunday night, growers said.",
        "url": "https://kessel-courier.example/frost", "source": "Kessel Courier", "published": "2024-04-14"});
    let r = s.post("/api/articles", "application/json", other.to_string().as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let frost = conforms(&spec, "post", "/api/articles", &r);
    let page = "<html><head><title>Tram line opens in Brenford</title><meta property=\"og:site_name\" content=\"Brenford Daily\"></head><body><article><h1>Tram line opens in Brenford</h1><p>The new tram line between the station and the university opened on Friday after three years of work.</p><p>The mayor rode the first tram and said the line would carry 20,000 passengers a day.</p></article></body></html>";
    let r =
        s.post("/api/articles?url=https%3A%2F%2Fbrenford.example%2Ftram", "text/html; charset=utf-8", page.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    conforms(&spec, "post", "/api/articles", &r);

    // One story, exactly as in the report contract, with its analysis.
    let r = s.get(&format!("/api/stories/{story}"));
    let st = conforms(&spec, "get", "/api/stories/{id}", &r);
    assert_eq!(st["id"], story.as_str());
    assert_eq!(st["articles"].as_array().unwrap().len(), 3);
    assert!(!st["conflicts"].as_array().unwrap().is_empty(), "the fixture's conflicting figures are found");
    assert!(!st["quotes"].as_array().unwrap().is_empty());
    let r = s.get("/api/stories/no-such-story");
    assert_eq!(r.status, 404);
    conforms(&spec, "get", "/api/stories/{id}", &r);

    // The list: counts, sort orders, paging, filters.
    let r = s.get("/api/stories?sort=biggest");
    let b = conforms(&spec, "get", "/api/stories", &r);
    let first = &b["stories"][0];
    assert_eq!(first["id"], story.as_str());
    assert_eq!((first["article_count"].as_u64(), first["source_count"].as_u64()), (Some(3), Some(3)));
    assert!(first["independent_count"].as_u64().unwrap() >= 1);
    let r = s.get("/api/stories?sort=newest");
    let newest = conforms(&spec, "get", "/api/stories", &r);
    let order: Vec<&str> = newest["stories"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(order.len(), 3);
    assert_ne!(order[0], story, "the story updated first is listed last");
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/stories?limit=1&sort=biggest&cursor={}", enc(c)),
            None => "/api/stories?limit=1&sort=biggest".to_string(),
        };
        let b = conforms(&spec, "get", "/api/stories", &s.get(&path));
        seen.extend(b["stories"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_string()));
        match b["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
    let by = |q: &str| -> Vec<String> {
        let b = conforms(&spec, "get", "/api/stories", &s.get(&format!("/api/stories?{q}")));
        b["stories"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(by("q=crane"), vec![story.clone()]);
    assert_eq!(by("source=kessel%20courier"), vec![frost["story"].as_str().unwrap().to_string()]);
    assert_eq!(by("source=brenford.example").len(), 1, "a URL host is a source too");
    assert_eq!(by("from=2024-04-14&to=2024-04-14"), vec![frost["story"].as_str().unwrap().to_string()]);
    assert!(by("from=2024-04-15&to=2024-04-30").iter().all(|id| *id != frost["story"].as_str().unwrap()));

    // Search.
    let r = s.get("/api/search?q=harbour%20master&limit=2");
    let b = conforms(&spec, "get", "/api/search", &r);
    let hits = b["articles"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["story"] == story.as_str() && !h["snippet"].as_str().unwrap().is_empty()));
    let next = b["next"].as_str().unwrap();
    let b = conforms(&spec, "get", "/api/search", &s.get(&format!("/api/search?q=harbour%20master&cursor={next}")));
    assert_eq!(b["articles"].as_array().unwrap().len(), 1);
    assert!(b["next"].is_null());
    let b = conforms(&spec, "get", "/api/search", &s.get("/api/search?q=frost&source=Kessel%20Courier"));
    assert_eq!(b["articles"].as_array().unwrap().len(), 1);

    // Health.
    let b = conforms(&spec, "get", "/healthz", &s.get("/healthz"));
    assert_eq!((b["articles"].as_u64(), b["stories"].as_u64()), (Some(5), Some(3)));

    // Delete: the opener goes, the story keeps its other articles under
    // the next one's id.
    let r = s.delete(&format!("/api/articles/{}", ids[0].0));
    let b = conforms(&spec, "delete", "/api/articles/{id}", &r);
    assert_eq!(r.status, 200);
    assert_eq!(b["story"], ids[1].0.as_str());
    let st = s.get(&format!("/api/stories/{}", ids[1].0)).json();
    assert_eq!(st["articles"].as_array().unwrap().len(), 2);
    assert!(!st.to_string().contains(&ids[0].0), "re-analysed without the removed article");
    let r = s.delete(&format!("/api/articles/{}", ids[0].0));
    assert_eq!(r.status, 404);
    conforms(&spec, "delete", "/api/articles/{id}", &r);
}

/// Method, documented route, request target, content type, body, expected
/// status.
type ErrorCase = (&'static str, &'static str, String, Option<&'static str>, Vec<u8>, u16);

#[test]
fn errors_are_json_with_the_documented_status() {
    let (_d, db) = fresh();
    let s = Server::start(&db, &["--max-body", "2000"]);
    let spec = s.get("/openapi.json").json();
    let cases: Vec<ErrorCase> = vec![
        ("get", "/api/stories", "/api/stories?limit=0".into(), None, vec![], 400),
        ("get", "/api/stories", "/api/stories?limit=101".into(), None, vec![], 400),
        ("get", "/api/stories", "/api/stories?limit=ten".into(), None, vec![], 400),
        ("get", "/api/stories", "/api/stories?sort=oldest".into(), None, vec![], 400),
        ("get", "/api/stories", "/api/stories?cursor=xyz".into(), None, vec![], 400),
        ("get", "/api/stories", "/api/stories?from=2024-13-01".into(), None, vec![], 400),
        ("get", "/api/stories", "/api/stories?to=yesterday".into(), None, vec![], 400),
        ("get", "/api/search", "/api/search".into(), None, vec![], 400),
        ("get", "/api/search", "/api/search?q=".into(), None, vec![], 400),
        ("get", "/api/search", "/api/search?q=x&cursor=-1".into(), None, vec![], 400),
        ("post", "/api/articles", "/api/articles".into(), None, b"hello".to_vec(), 415),
        ("post", "/api/articles", "/api/articles".into(), Some("image/png"), b"\x89PNG".to_vec(), 415),
        ("post", "/api/articles", "/api/articles".into(), Some("application/json"), b"{not json".to_vec(), 400),
        ("post", "/api/articles", "/api/articles".into(), Some("application/json"), b"[1,2]".to_vec(), 400),
        ("post", "/api/articles", "/api/articles".into(), Some("application/json"), br#"{"title":"x"}"#.to_vec(), 400),
        (
            "post",
            "/api/articles",
            "/api/articles".into(),
            Some("application/json"),
            br#"{"text":"Body.","title":5}"#.to_vec(),
            400,
        ),
        ("post", "/api/articles", "/api/articles".into(), Some("text/plain"), b"   \n ".to_vec(), 400),
        ("post", "/api/articles", "/api/articles".into(), Some("text/html"), b"<!-- -->".to_vec(), 400),
        ("post", "/api/articles", "/api/articles".into(), Some("text/html"), b"no markup".to_vec(), 400),
        (
            "post",
            "/api/articles",
            "/api/articles".into(),
            Some("application/json"),
            br#"{"text":"Body.","id":" "}"#.to_vec(),
            400,
        ),
        ("get", "/api/stories", "/api/stories?from=".into(), None, vec![], 400),
        ("post", "/api/articles", "/api/articles".into(), Some("text/plain"), b"a\x00b".to_vec(), 400),
        (
            "post",
            "/api/articles",
            "/api/articles".into(),
            Some("text/html"),
            b"<html><body><p>Binary \x00 data</p></body></html>".to_vec(),
            400,
        ),
        ("post", "/api/articles", "/api/articles".into(), Some("text/plain"), b"Follow us on Twitter".to_vec(), 422),
        ("post", "/api/articles", "/api/articles".into(), Some("text/plain"), vec![b'a'; 5000], 413),
        ("delete", "/api/articles/{id}", "/api/articles/nothing-here".into(), None, vec![], 404),
    ];
    for (method, route, target, ct, body, want) in cases {
        let headers: Vec<(&str, &str)> = ct.map(|c| vec![("Content-Type", c)]).unwrap_or_default();
        let r = request(s.addr, &method.to_uppercase(), &target, &headers, &body);
        assert_eq!(r.status, want, "{method} {target}: {}", r.text());
        let b = conforms(&spec, method, route, &r);
        assert!(!b["error"].as_str().unwrap().is_empty());
    }
    // Outside the documented routes: JSON errors too.
    for (method, target, want) in
        [("GET", "/api/nothing", 404), ("PUT", "/api/stories", 405), ("PATCH", "/api/articles/x", 405)]
    {
        let r = request(s.addr, method, target, &[], b"");
        assert_eq!(r.status, want, "{method} {target}");
        assert!(r.json()["error"].is_string());
    }
}

#[test]
fn a_token_guards_the_write_endpoints() {
    let (_d, db) = fresh();
    let s = Server::start(&db, &["--token", "s3cret-token"]);
    let spec = s.get("/openapi.json").json();
    let body = serving::article_json(1, "ferry strike", "Marsh Bulletin");
    let r = s.post("/api/articles", "application/json", body.as_bytes());
    assert_eq!(r.status, 401);
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    conforms(&spec, "post", "/api/articles", &r);
    let wrong = [("Content-Type", "application/json"), ("Authorization", "Bearer nope")];
    assert_eq!(request(s.addr, "POST", "/api/articles", &wrong, body.as_bytes()).status, 401);
    let right = [("Content-Type", "application/json"), ("Authorization", "Bearer s3cret-token")];
    let r = request(s.addr, "POST", "/api/articles", &right, body.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["article"].as_str().unwrap().to_string();
    assert_eq!(s.delete(&format!("/api/articles/{id}")).status, 401);
    assert_eq!(s.get("/api/stories").status, 200, "reading needs no token");
    let r = request(s.addr, "DELETE", &format!("/api/articles/{id}"), &[("Authorization", "Bearer s3cret-token")], b"");
    assert_eq!(r.status, 200);
}

#[test]
fn a_rate_limit_answers_429_when_set() {
    let (_d, db) = fresh();
    let s = Server::start(&db, &["--rate-limit", "2"]);
    let statuses: Vec<Resp> = (0..12).map(|_| s.get("/healthz")).collect();
    let limited: Vec<&Resp> = statuses.iter().filter(|r| r.status == 429).collect();
    assert!(!limited.is_empty(), "a burst over the limit is refused");
    assert!(statuses[0].status == 200);
    let r = limited[0];
    assert!(r.header("retry-after").is_some());
    assert!(r.json()["error"].is_string());
    // Off by default.
    let (_d2, db2) = fresh();
    let s2 = Server::start(&db2, &[]);
    assert!((0..30).all(|_| s2.get("/healthz").status == 200));
}

#[test]
fn article_text_is_always_escaped() {
    let (_d, db) = fresh();
    let s = Server::start(&db, &[]);
    let evil = serde_json::json!({
        "title": "Council vote <script>alert('title')</script> ends in tie",
        "source": "<b>Bold</b> Gazette",
        "text": "The council vote on the harbour plan ended in a tie on Monday. <script>alert(\"x\")</script>\nMembers said \"<img src=x onerror=alert(1)> is not a plan\" after the vote.",
    });
    let r = s.post("/api/articles", "application/json", evil.to_string().as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let story = r.json()["story"].as_str().unwrap().to_string();
    for path in ["/".to_string(), format!("/stories/{story}"), "/?q=%3Cscript%3E".to_string()] {
        let r = s.get(&path);
        assert_eq!(r.status, 200, "{path}");
        let html = r.text();
        assert!(!html.contains("<script"), "{path}: raw script tag in\n{html}");
        assert!(!html.contains("<img"), "{path}: raw img tag");
        assert!(!html.contains("<b>Bold"), "{path}: raw markup from the source name");
        let csp = r.header("content-security-policy").unwrap_or("");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
    }
    let page = s.get(&format!("/stories/{story}")).text();
    assert!(page.contains("&lt;script&gt;"), "the title is shown, as text");
}

#[test]
fn no_request_however_malformed_gets_a_server_error() {
    let (_d, db) = fresh();
    let s = Server::start(&db, &[]);
    let long = "a".repeat(20_000);
    let targets = [
        "/../../../../etc/passwd".to_string(),
        "/assets/../../Cargo.toml".to_string(),
        "/assets/%2e%2e/%2e%2e/Cargo.toml".to_string(),
        "/stories/%2e%2e%2fCargo.toml".to_string(),
        "/stories/%ff%fe".to_string(),
        "/api/stories/%ff%fe".to_string(),
        "/api/stories/%".to_string(),
        "/api/stories?limit=%ff".to_string(),
        "/api/stories?q=%22%22%22(((*".to_string(),
        "/api/stories?q=NEAR(a%20b)%20OR%20-".to_string(),
        "/api/search?q=%00%01".to_string(),
        "/api/search?q=%22unbalanced".to_string(),
        "/api/search?q=*".to_string(),
        format!("/api/search?q={long}"),
        "/api/stories?from=9999-12-31&to=9999-12-31".to_string(),
        "/api/stories?cursor=999999999999999.999999999999999.999999999999999".to_string(),
        "/api/search?q=a&cursor=999999999".to_string(),
        "/?sort=%ff".to_string(),
        "/?from=not-a-date".to_string(),
        "/openapi.json?x=%zz".to_string(),
        "//api//stories".to_string(),
    ];
    for t in &targets {
        for method in ["GET", "POST", "DELETE", "HEAD", "OPTIONS"] {
            let r = request(s.addr, method, t, &[("Content-Type", "application/json")], b"{}");
            assert!(r.status < 500, "{method} {t}: {}", r.status);
            assert!(!r.text().contains("[workspace]") && !r.text().contains("root:x:"), "{method} {t} leaked a file");
        }
    }
    let raws: Vec<Vec<u8>> = vec![
        b"GARBAGE\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"GET /api/stories HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".to_vec(),
        b"POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain; charset=bogus\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello".to_vec(),
        b"POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\n\xff\xfe\xfd\xfc".to_vec(),
        format!("GET /api/stories HTTP/1.1\r\nHost: x\r\nX-Long: {}\r\n\r\n", "b".repeat(100_000)).into_bytes(),
    ];
    for raw in raws {
        let r = serving::raw_request(s.addr, &raw);
        assert!(r.status < 500, "{:?}: {}", String::from_utf8_lossy(&raw[..raw.len().min(60)]), r.status);
    }
    assert_eq!(s.get("/healthz").status, 200, "still serving");
}

#[test]
fn the_spec_lists_every_route_of_product_md() {
    let (_d, db) = fresh();
    let s = Server::start(&db, &[]);
    let spec = s.get("/openapi.json").json();
    for (route, method) in [
        ("/api/stories", "get"),
        ("/api/stories/{id}", "get"),
        ("/api/search", "get"),
        ("/api/sources", "get"),
        ("/api/articles", "post"),
        ("/api/articles/{id}", "delete"),
        ("/healthz", "get"),
        ("/openapi.json", "get"),
    ] {
        let op = &spec["paths"][route][method];
        assert!(op.is_object(), "{method} {route}");
        for (status, resp) in op["responses"].as_object().unwrap() {
            let schema = &resp["content"]["application/json"]["schema"];
            assert!(schema.is_object(), "{method} {route} {status} has no JSON schema");
        }
    }
    conforms(&spec, "get", "/openapi.json", &s.get("/openapi.json"));
}

/// Several writers (HTTP clients and a concurrent `chorus ingest` process
/// on the same file) while readers query: no error, no article lost.
#[test]
fn writers_and_readers_together_lose_nothing() {
    const WRITERS: usize = 3;
    const PER_WRITER: usize = 25;
    const BY_PROCESS: usize = 40;
    let (dir, db) = fresh();
    let s = Arc::new(Server::start(&db, &[]));
    let corpus = dir.path().join("batch.jsonl");
    let lines: String = (0..BY_PROCESS)
        .map(|i| serving::article_json(10_000 + i, ["orchard frost", "tram opening"][i % 2], "Fen Times") + "\n")
        .collect();
    std::fs::write(&corpus, lines).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for k in 0..2 {
        let (s, done) = (s.clone(), done.clone());
        readers.push(std::thread::spawn(move || {
            let mut bad = Vec::new();
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                let paths =
                    ["/api/stories?sort=biggest&limit=5", "/api/search?q=council", "/api/stories?q=volunteers", "/"];
                let r = s.get(paths[(n + k) % paths.len()]);
                if r.status != 200 {
                    bad.push(format!("{}: {}", r.status, r.text()));
                }
                if let Some(first) = s.get("/api/stories?limit=1").json()["stories"][0]["id"].as_str() {
                    let r = s.get(&format!("/api/stories/{first}"));
                    if r.status != 200 {
                        bad.push(format!("story {first}: {} {}", r.status, r.text()));
                    }
                }
                n += 1;
            }
            (n, bad)
        }));
    }
    let process = Command::new(serving::bin())
        .args(["ingest", "--quiet", "--batch", "8", "--db"])
        .arg(&db)
        .arg(&corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let s = s.clone();
            std::thread::spawn(move || {
                let mut bad = Vec::new();
                for i in 0..PER_WRITER {
                    let n = w * 1000 + i;
                    let topic = ["ferry strike", "bridge repair", "harbour fire"][n % 3];
                    let body = serving::article_json(n, topic, ["Marsh Bulletin", "Valley Post", "Hill Herald"][w]);
                    let r = s.post("/api/articles", "application/json", body.as_bytes());
                    if r.status != 201 {
                        bad.push(format!("{}: {}", r.status, r.text()));
                    }
                }
                bad
            })
        })
        .collect();
    let mut errors: Vec<String> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    let out = process.wait_with_output().unwrap();
    assert!(out.status.success(), "ingest process: {}", String::from_utf8_lossy(&out.stderr));
    done.store(true, Ordering::Relaxed);
    let mut reads = 0;
    for r in readers {
        let (n, bad) = r.join().unwrap();
        reads += n;
        errors.extend(bad);
    }
    assert!(errors.is_empty(), "{} failed requests: {:?}", errors.len(), errors);
    assert!(reads > 0);
    let health = s.get("/healthz").json();
    assert_eq!(health["articles"].as_u64(), Some((WRITERS * PER_WRITER + BY_PROCESS) as u64), "no article lost");
    drop(s);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let problems = rt.block_on(async {
        use chorus_store::Store;
        chorus_store::SqliteStore::open(Path::new(&db)).unwrap().check().await.unwrap()
    });
    assert!(problems.is_empty(), "{problems:?}");
}
