//! The web page in a real browser: headless Chromium opens the story list,
//! clicks into a story and finds its conflicts and quotes on the page, then
//! checks the page at a phone's width. Driven over the DevTools protocol.
//!
//! Skipped with a message when no Chromium is installed; fails instead when
//! `CI` is set (`.ci/setup/chromium.sh` installs it there). Set
//! `CHORUS_SCREENSHOTS=DIR` to keep screenshots of what the browser showed.

mod serving;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serving::{Server, chorus, fixtures};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    session: Option<String>,
    events: Vec<Value>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn launch(exe: &PathBuf) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start chromium");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("ws://") {
                    let _ = tx.send(line[at..].trim().to_string());
                }
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(60)).expect("chromium did not open its DevTools port");
        let (ws, _) = tungstenite::connect(url.as_str()).expect("cannot reach chromium's DevTools");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        }
        let mut b = Browser { child, _profile: profile, ws, next_id: 0, session: None, events: Vec::new() };
        let target = b.call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = b.call("Target.attachToTarget", json!({"targetId": target_id, "flatten": true}));
        b.session = Some(attached["sessionId"].as_str().unwrap().to_string());
        b.call("Page.enable", json!({}));
        b.call("Runtime.enable", json!({}));
        b
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = &self.session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let v = self.read();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
            self.events.push(v);
        }
    }

    fn read(&mut self) -> Value {
        loop {
            match self.ws.read().expect("DevTools connection failed") {
                Message::Text(t) => return serde_json::from_str(t.as_str()).unwrap(),
                Message::Close(_) => panic!("chromium closed the DevTools connection"),
                _ => {}
            }
        }
    }

    /// Waits for an event (already seen since the last wait, or coming).
    fn wait_event(&mut self, method: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
                self.events.drain(..=i);
                return;
            }
            assert!(Instant::now() < deadline, "no {method} event");
            let v = self.read();
            self.events.push(v);
        }
    }

    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call("Runtime.evaluate", json!({"expression": expr, "returnByValue": true, "awaitPromise": true}));
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {}", r["exceptionDetails"]);
        r["result"]["value"].clone()
    }

    fn navigate(&mut self, url: &str) {
        self.events.clear();
        self.call("Page.navigate", json!({"url": url}));
        self.wait_event("Page.loadEventFired");
    }

    fn screenshot(&mut self, name: &str) {
        let Some(dir) = std::env::var_os("CHORUS_SCREENSHOTS") else { return };
        let r = self.call("Page.captureScreenshot", json!({"format": "png", "captureBeyondViewport": true}));
        let png = decode_base64(r["data"].as_str().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(PathBuf::from(dir).join(name), png).unwrap();
    }
}

/// Standard base64 (what DevTools sends screenshots in).
fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => 0,
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=' && !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &c)| acc | (val(c) << (18 - 6 * i)));
        let take = chunk.len() - 1;
        for i in 0..take {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[test]
fn a_reader_clicks_into_a_story_and_sees_its_conflicts_and_quotes() {
    let Some(exe) = find_chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI is set but no chromium is installed (.ci/setup/chromium.sh)");
        eprintln!("SKIPPED: no chromium found (install Debian's `chromium` to run the browser test)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let (code, _, err) = chorus(&["ingest", fixtures().to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let server = Server::start(&db, &[]);
    let base = format!("http://{}", server.addr);
    let story_id = server.get("/api/stories").json()["stories"][0]["id"].as_str().unwrap().to_string();
    let story = server.get(&format!("/api/stories/{story_id}")).json();

    let mut b = Browser::launch(&exe);
    b.navigate(&format!("{base}/"));
    let listed = b.eval("[...document.querySelectorAll('a.story-link')].map(a => a.textContent)");
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0], story["headline"]);
    let badges = b.eval("document.querySelector('ol.stories li').innerText");
    assert!(badges.as_str().unwrap().contains("3 outlets"), "{badges}");
    b.screenshot("list.png");

    // Click, as a reader would.
    b.events.clear();
    b.eval("document.querySelector('a.story-link').click()");
    b.wait_event("Page.loadEventFired");
    let path = b.eval("location.pathname");
    assert_eq!(path, format!("/stories/{story_id}"));
    let shown = b.eval(
        "({conflicts: [...document.querySelectorAll('.conflict')].map(e => e.innerText),
           quotes: [...document.querySelectorAll('blockquote')].map(e => e.innerText),
           text: document.body.innerText,
           all: document.body.textContent})",
    );
    let conflicts = story["conflicts"].as_array().unwrap();
    assert!(!conflicts.is_empty(), "the fixture story has conflicts");
    assert_eq!(shown["conflicts"].as_array().unwrap().len(), conflicts.len());
    let conflict_text: Vec<&str> = shown["conflicts"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    let conflict_text = conflict_text.join("\n");
    for c in conflicts {
        for p in c["positions"].as_array().unwrap() {
            let v = p["value"].as_str().unwrap();
            assert!(conflict_text.contains(v.trim()), "{v:?} not shown in {conflict_text}");
        }
    }
    // Quotes several outlets give are shown side by side, one box per
    // wording; every wording of every quote is on the page.
    let quotes = story["quotes"].as_array().unwrap();
    let texts = |q: &Value| -> Vec<String> {
        q["variants"].as_array().unwrap().iter().map(|v| v["text"].as_str().unwrap().to_string()).collect()
    };
    let side_by_side: Vec<String> =
        quotes.iter().filter(|q| q["variants"].as_array().unwrap().len() > 1).flat_map(texts).collect();
    assert!(side_by_side.len() >= 2, "the fixture quote is worded differently by each outlet");
    let boxes = shown["quotes"].as_array().unwrap();
    assert_eq!(boxes.len(), side_by_side.len());
    for v in &side_by_side {
        assert!(boxes.iter().any(|q| q.as_str().unwrap().contains(v.as_str())), "quote variant {v:?} not shown");
    }
    for v in quotes.iter().flat_map(texts) {
        assert!(shown["all"].as_str().unwrap().contains(v.as_str()), "quote {v:?} not on the page");
    }
    let text = shown["text"].as_str().unwrap();
    for s in story["summary"].as_array().unwrap() {
        assert!(text.contains(s["text"].as_str().unwrap()), "summary sentence missing");
    }
    b.screenshot("story.png");

    // A phone's width: nothing wider than the screen (tables scroll inside
    // their own box).
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}),
    );
    b.navigate(&format!("{base}/stories/{story_id}"));
    let width = b.eval("document.documentElement.scrollWidth").as_f64().unwrap();
    assert!(width <= 391.0, "the story page is {width}px wide on a 390px screen");
    b.screenshot("story-phone.png");
    b.navigate(&format!("{base}/"));
    let width = b.eval("document.documentElement.scrollWidth").as_f64().unwrap();
    assert!(width <= 391.0, "the list is {width}px wide on a 390px screen");
    b.screenshot("list-phone.png");
}
