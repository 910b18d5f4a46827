//! WARC archives (`.warc`, `.warc.gz`): HTTP responses holding HTML become
//! articles, `path` being `FILE#RECORD` (the record's 1-based position).
//!
//! A hand-written streaming parser rather than the `warc` crate: that crate
//! stops at the first bad record, while an archive of millions of responses
//! (Common Crawl's CC-NEWS) routinely holds a truncated or damaged one, and
//! one bad record must cost that record only. Memory stays constant: one
//! record's payload is held at a time (plus one batch of HTML being extracted
//! in parallel), never the archive.
//!
//! Resynchronisation after damage:
//! - gzip: CC-NEWS and most crawlers write one gzip member per record. A
//!   member that fails to inflate is reported for the record it held; reading
//!   resumes at the next gzip member header, and a candidate header that does
//!   not inflate into a WARC record is skipped silently (the magic bytes also
//!   occur by chance inside compressed data).
//! - inside a stream (a plain `.warc`, or many records in one member): after
//!   a bad record header, lines are skipped up to the next `WARC/1.` line.

use std::io::{self, BufRead, Read};

use chorus_model::Article;
use rayon::prelude::*;

use super::{Event, Reader};
use crate::date::normalize_date;
use crate::formats::html::{decode_html, extract_page};
use crate::{IngestError, MAX_RECORD_BYTES};

pub struct WarcReader;

impl Reader for WarcReader {
    fn read(&self, name: &str, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
        read_warc(name, input, emit);
    }
}

/// Longest header line accepted. Real WARC and HTTP header lines are under a
/// few KiB (long URLs included); past this the "header" is binary garbage.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Largest header block (all lines) of one record.
const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// HTML records are extracted in parallel batches of at most this many
/// records or [`BATCH_BYTES`], whichever comes first. Big enough to keep
/// every core busy (extraction costs milliseconds a page), small enough that
/// memory stays a few tens of MiB whatever the archive's size.
const BATCH_RECORDS: usize = 128;
const BATCH_BYTES: usize = 48 * 1024 * 1024;

const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Reads a WARC stream, gzip-compressed or not, emitting events in record
/// order.
pub fn read_warc(name: &str, input: &mut dyn BufRead, emit: &mut dyn FnMut(Event)) {
    let mut raw = Raw::new(input);
    let mut st = State::new(name, emit);
    match raw.ensure(2) {
        Ok(head) if head.len() >= 2 && head[..2] == GZIP_MAGIC[..2] => read_members(&mut raw, &mut st),
        Ok(_) => {
            if let Err(e) = st.parse_stream(&mut raw) {
                st.stream_error(&e);
            }
        }
        Err(e) => st.error_at_file(IngestError::Io(e)),
    }
    st.finish();
    if st.records == 0 && !st.any_event {
        (st.emit)(Event::Error(IngestError::Format("no WARC records found".into()).at(name)));
    }
}

/// Reads gzip members one after the other, resynchronising on the next member
/// header after a damaged one.
fn read_members(raw: &mut Raw, st: &mut State) {
    let mut resyncing = false;
    loop {
        match raw.ensure(GZIP_MAGIC.len()) {
            Ok([]) => return,
            Ok(head) if head.starts_with(&GZIP_MAGIC) => {}
            Ok(_) => {
                if !resyncing {
                    st.error_after_last("bytes that are not a gzip member");
                    resyncing = true;
                }
                match raw.skip_to(&GZIP_MAGIC) {
                    Ok(true) => continue,
                    Ok(false) => return,
                    Err(e) => return st.stream_error(&e),
                }
            }
            Err(e) => return st.stream_error(&e),
        }
        let before = st.records;
        let start = raw.offset;
        st.quiet = resyncing;
        let mut member = io::BufReader::with_capacity(64 * 1024, flate2::bufread::GzDecoder::new(&mut *raw));
        let result = st.parse_stream(&mut member).and_then(|()| {
            // Whatever the parser left (a torn record's tail) must still
            // inflate cleanly for the member to count as sound.
            io::copy(&mut member, &mut io::sink()).map(|_| ())
        });
        drop(member);
        st.quiet = false;
        match result {
            Ok(()) => {
                resyncing = false;
                st.flush_pending();
            }
            Err(e) => {
                // A false member header met while resynchronising is skipped
                // silently; real damage is reported once.
                if !(resyncing && st.records == before) {
                    st.member_error(&e);
                }
                resyncing = true;
                // Never retry the same header; but a member that failed only
                // in its checksum has left the reader on the next member.
                if raw.offset == start {
                    raw.consume(1);
                }
                if let Err(e) = raw.skip_to(&GZIP_MAGIC) {
                    return st.stream_error(&e);
                }
            }
        }
    }
}

/// A record's HTML, waiting for extraction.
struct Job {
    path: String,
    url: Option<String>,
    date: Option<String>,
    charset: Option<String>,
    body: Vec<u8>,
}

enum Item {
    Ready(Event),
    Html(Job),
}

struct State<'a> {
    name: &'a str,
    emit: &'a mut dyn FnMut(Event),
    /// Records seen so far (the number of the current one).
    records: usize,
    /// Whether the current record has been started but not finished.
    in_record: bool,
    /// The last complete record of the current gzip member, held back until
    /// the member's checksum confirms it.
    pending: Option<Item>,
    batch: Vec<Item>,
    batch_bytes: usize,
    /// While resynchronising, a candidate that does not start with a WARC
    /// header is skipped without an error.
    quiet: bool,
    any_event: bool,
}

impl<'a> State<'a> {
    fn new(name: &'a str, emit: &'a mut dyn FnMut(Event)) -> Self {
        State {
            name,
            emit,
            records: 0,
            in_record: false,
            pending: None,
            batch: Vec::new(),
            batch_bytes: 0,
            quiet: false,
            any_event: false,
        }
    }

    fn path(&self, record: usize) -> String {
        format!("{}#{record}", self.name)
    }

    /// Parses records from one decompressed stream until it ends. Returns an
    /// error only for I/O (a damaged gzip member); bad records are reported
    /// and skipped.
    fn parse_stream(&mut self, r: &mut dyn BufRead) -> io::Result<()> {
        let mut line = Vec::new();
        let mut hunting = false;
        loop {
            if !read_line(r, &mut line)? {
                return Ok(());
            }
            let text = trim_eol(&line);
            if text.is_empty() {
                continue;
            }
            if !text.starts_with(b"WARC/") {
                if !hunting && !self.quiet {
                    self.error_after_last("text where a WARC record header should start");
                }
                hunting = true;
                continue;
            }
            hunting = false;
            self.quiet = false;
            self.flush_pending();
            self.records += 1;
            self.in_record = true;
            let n = self.records;
            let item = match self.read_record(r, n) {
                Ok(item) => item,
                Err(RecordError::Io(e)) => return Err(e),
                Err(RecordError::Bad(msg)) => {
                    hunting = true;
                    Item::Ready(Event::Error(IngestError::Format(msg).at(self.path(n))))
                }
            };
            self.in_record = false;
            self.pending = Some(item);
        }
    }

    fn read_record(&mut self, r: &mut dyn BufRead, n: usize) -> Result<Item, RecordError> {
        let headers = read_headers(r)?;
        let get = |k: &str| headers.iter().find(|(h, _)| h.eq_ignore_ascii_case(k)).map(|(_, v)| v.as_str());
        let length: u64 = get("Content-Length")
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| RecordError::Bad("record has no valid Content-Length".into()))?;
        let kind = get("WARC-Type").unwrap_or("unknown").trim().to_ascii_lowercase();
        let url = get("WARC-Target-URI").map(|u| u.trim().trim_start_matches('<').trim_end_matches('>').to_string());
        let date = get("WARC-Date").and_then(normalize_date);
        let block_type = get("Content-Type").unwrap_or("").to_ascii_lowercase();
        let wanted = match kind.as_str() {
            "response" => block_type.is_empty() || block_type.contains("application/http"),
            "resource" => is_html_type(&block_type),
            _ => false,
        };
        if !wanted || length > MAX_RECORD_BYTES as u64 {
            let copied = io::copy(&mut r.take(length), &mut io::sink())?;
            if copied < length {
                return Err(truncated(copied, length));
            }
            if wanted {
                return Err(RecordError::Bad(format!(
                    "record of {length} bytes is over the {MAX_RECORD_BYTES}-byte limit"
                )));
            }
            return Ok(Item::Ready(Event::Skipped(format!("warc:{kind}"))));
        }
        let mut block = Vec::with_capacity(length as usize);
        r.take(length).read_to_end(&mut block)?;
        if (block.len() as u64) < length {
            return Err(truncated(block.len() as u64, length));
        }
        let path = self.path(n);
        if kind == "resource" {
            return Ok(Item::Html(Job { path, url, date, charset: charset_of(&block_type), body: block }));
        }
        Ok(match http_html(block) {
            Ok((body, charset)) => Item::Html(Job { path, url, date, charset, body }),
            Err(skip) => Item::Ready(Event::Skipped(skip)),
        })
    }

    /// A damaged gzip member: the record it held (or the last one read, when
    /// the damage showed only in the member's checksum) becomes an error.
    fn member_error(&mut self, e: &io::Error) {
        let msg = format!("damaged compressed data ({e}); skipped to the next record");
        if self.in_record || self.pending.is_none() {
            if !self.in_record {
                self.records += 1;
            }
            self.in_record = false;
            self.flush_pending();
            let path = self.path(self.records);
            self.push(Item::Ready(Event::Error(IngestError::Format(msg).at(path))));
        } else {
            let path = self.path(self.records);
            self.pending = Some(Item::Ready(Event::Error(IngestError::Format(msg).at(path))));
            self.flush_pending();
        }
    }

    /// An I/O error that ends the stream.
    fn stream_error(&mut self, e: &io::Error) {
        self.flush_pending();
        let at = if self.in_record { self.path(self.records) } else { self.name.to_string() };
        self.push(Item::Ready(Event::Error(IngestError::Format(format!("cannot read further: {e}")).at(at))));
    }

    fn error_at_file(&mut self, e: IngestError) {
        let name = self.name.to_string();
        self.push(Item::Ready(Event::Error(e.at(name))));
    }

    /// Damage between records, named after the last record read.
    fn error_after_last(&mut self, what: &str) {
        self.flush_pending();
        let msg = if self.records == 0 {
            format!("{what} at the start of the archive")
        } else {
            format!("{what} after record {}; skipped to the next record", self.records)
        };
        let name = self.name.to_string();
        self.push(Item::Ready(Event::Error(IngestError::Format(msg).at(name))));
    }

    fn flush_pending(&mut self) {
        if let Some(item) = self.pending.take() {
            self.push(item);
        }
    }

    fn push(&mut self, item: Item) {
        if let Item::Html(job) = &item {
            self.batch_bytes += job.body.len();
        }
        self.batch.push(item);
        if self.batch.len() >= BATCH_RECORDS || self.batch_bytes >= BATCH_BYTES {
            self.run_batch();
        }
    }

    /// Extracts the batch's HTML in parallel and emits everything in order.
    fn run_batch(&mut self) {
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        let events: Vec<Event> = batch
            .into_par_iter()
            .map(|item| match item {
                Item::Ready(e) => e,
                Item::Html(job) => extract_job(job),
            })
            .collect();
        for e in events {
            self.any_event = true;
            (self.emit)(e);
        }
    }

    fn finish(&mut self) {
        self.flush_pending();
        self.run_batch();
    }
}

fn extract_job(job: Job) -> Event {
    let Job { path, url, date, charset, body } = job;
    let result = decode_html(&body, charset.as_deref()).and_then(|html| extract_page(&path, &html, url.as_deref()));
    match result {
        Ok(article) => Event::Article(with_fallback_date(article, date)),
        Err(e) => Event::Error(e.at(path)),
    }
}

/// The page's own publication date wins; the capture date stands in for it.
fn with_fallback_date(mut a: Article, capture: Option<String>) -> Article {
    if a.published.is_none() {
        a.published = capture;
    }
    a
}

enum RecordError {
    Io(io::Error),
    Bad(String),
}

impl From<io::Error> for RecordError {
    fn from(e: io::Error) -> Self {
        RecordError::Io(e)
    }
}

fn truncated(got: u64, want: u64) -> RecordError {
    RecordError::Bad(format!("truncated record: {got} of {want} bytes"))
}

/// Reads `Name: value` lines up to the blank line that ends a header block.
fn read_headers(r: &mut dyn BufRead) -> Result<Vec<(String, String)>, RecordError> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut line = Vec::new();
    let mut total = 0;
    loop {
        if !read_line(r, &mut line)? {
            return Err(RecordError::Bad("truncated record: the header never ends".into()));
        }
        total += line.len();
        if total > MAX_HEADER_BYTES {
            return Err(RecordError::Bad("record header over 1 MiB".into()));
        }
        let text = trim_eol(&line);
        if text.is_empty() {
            return Ok(headers);
        }
        let text = String::from_utf8_lossy(text);
        if text.starts_with([' ', '\t']) {
            // A folded continuation line.
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(text.trim());
            }
            continue;
        }
        match text.split_once(':') {
            Some((k, v)) => headers.push((k.trim().to_string(), v.trim().to_string())),
            None => return Err(RecordError::Bad(format!("malformed header line: {:.80}", text))),
        }
    }
}

/// Reads one line (with its `\n`) into `buf`. `false` at the end of input.
/// A line over [`MAX_LINE_BYTES`] is cut there, so garbage without newlines
/// cannot grow memory.
fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.clear();
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(!buf.is_empty());
        }
        let room = MAX_LINE_BYTES.saturating_sub(buf.len());
        match memchr::memchr(b'\n', &avail[..avail.len().min(room)]) {
            Some(i) => {
                buf.extend_from_slice(&avail[..=i]);
                r.consume(i + 1);
                return Ok(true);
            }
            None => {
                let take = avail.len().min(room);
                buf.extend_from_slice(&avail[..take]);
                r.consume(take);
                if buf.len() >= MAX_LINE_BYTES {
                    return Ok(true);
                }
            }
        }
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn is_html_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "text/html" || essence == "application/xhtml+xml"
}

fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The HTML body of an HTTP response with its charset, or the kind of skip
/// (`warc:response:http-4xx`, `warc:response:not-html`).
fn http_html(block: Vec<u8>) -> Result<(Vec<u8>, Option<String>), String> {
    let split = memchr::memmem::find(&block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| memchr::memmem::find(&block, b"\n\n").map(|i| (i, i + 2)));
    let Some((head_end, body_start)) = split else {
        return Err("warc:response:no-http-header".into());
    };
    let head = String::from_utf8_lossy(&block[..head_end]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .filter(|l| l.starts_with("HTTP/"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| "warc:response:no-http-header".to_string())?;
    if !(200..300).contains(&status) {
        return Err(format!("warc:response:http-{}xx", status / 100));
    }
    let header = |name: &str| {
        head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_ascii_lowercase())
        })
    };
    let content_type = header("Content-Type").unwrap_or_default();
    let mut body = block;
    body.drain(..body_start);
    if header("Transfer-Encoding").is_some_and(|t| t.contains("chunked"))
        && let Some(plain) = dechunk(&body)
    {
        body = plain;
    }
    if let Some(enc) = header("Content-Encoding").filter(|e| e.contains("gzip") || e.contains("deflate")) {
        let mut out = Vec::new();
        let ok = if body.starts_with(&GZIP_MAGIC[..2]) {
            flate2::read::GzDecoder::new(&body[..]).take(MAX_RECORD_BYTES as u64).read_to_end(&mut out).is_ok()
        } else if enc.contains("deflate") {
            flate2::read::ZlibDecoder::new(&body[..]).take(MAX_RECORD_BYTES as u64).read_to_end(&mut out).is_ok()
        } else {
            false
        };
        if ok {
            body = out;
        }
    }
    let html = if content_type.is_empty() { sniff_html(&body) } else { is_html_type(&content_type) };
    if !html {
        return Err("warc:response:not-html".into());
    }
    Ok((body, charset_of(&content_type)))
}

/// Whether a body without a declared type starts like an HTML page.
fn sniff_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body")
}

/// Undoes HTTP chunked transfer coding, or `None` if the body is not chunked
/// after all (crawlers often store the body already decoded but keep the
/// header).
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    loop {
        let line_end = at + memchr::memmem::find(&body[at..], b"\r\n")?;
        let size_text = std::str::from_utf8(&body[at..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        at = line_end + 2;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(at..at.checked_add(size)?)?);
        at += size + 2;
        if at > body.len() {
            return Some(out);
        }
    }
}

/// A buffered reader over the raw (compressed) input that can look ahead a
/// few bytes across refills, which `BufRead` alone cannot, to recognise gzip
/// member headers.
struct Raw<'a> {
    inner: &'a mut dyn BufRead,
    buf: Vec<u8>,
    pos: usize,
    /// Bytes consumed so far.
    offset: u64,
}

impl<'a> Raw<'a> {
    fn new(inner: &'a mut dyn BufRead) -> Self {
        Raw { inner, buf: Vec::new(), pos: 0, offset: 0 }
    }

    fn available(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// At least `n` bytes ahead (fewer only at the end of input).
    fn ensure(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.available() < n {
            let more = match self.inner.fill_buf() {
                Ok(m) => m,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if more.is_empty() {
                break;
            }
            if self.pos > 0 {
                self.buf.drain(..self.pos);
                self.pos = 0;
            }
            let take = more.len();
            self.buf.extend_from_slice(more);
            self.inner.consume(take);
        }
        Ok(&self.buf[self.pos..])
    }

    /// Skips to the next occurrence of `magic`; `false` at the end of input.
    fn skip_to(&mut self, magic: &[u8]) -> io::Result<bool> {
        loop {
            let ahead = self.ensure(magic.len())?;
            if ahead.len() < magic.len() {
                let n = ahead.len();
                self.consume(n);
                return Ok(false);
            }
            match memchr::memmem::find(ahead, magic) {
                Some(i) => {
                    self.consume(i);
                    return Ok(true);
                }
                None => {
                    let n = ahead.len() - (magic.len() - 1);
                    self.consume(n);
                }
            }
        }
    }
}

impl Read for Raw<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let ahead = self.fill_buf()?;
        let n = ahead.len().min(out.len());
        out[..n].copy_from_slice(&ahead[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Raw<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.available() == 0 {
            self.buf.clear();
            self.pos = 0;
            return self.inner.fill_buf();
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        if self.available() == 0 {
            self.inner.consume(amt);
            self.offset += amt as u64;
        } else {
            let amt = amt.min(self.available());
            self.pos += amt;
            self.offset += amt as u64;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    const PAGE: &str = "<html><head><title>Canal dredging starts</title></head><body><article>\
        <p>Dredging of the old canal began on Wednesday, the port authority said, after a decade of silt \
        had left the waterway too shallow for the barges that once carried grain to the coast.</p>\
        <p>The work is expected to take eighteen months and will be paid for by a regional fund, officials \
        told reporters gathered at the lock gates on the edge of town.</p></article></body></html>";

    /// One WARC record as bytes.
    pub fn record(kind: &str, url: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-09-14T08:30:00Z\r\nWARC-Target-URI: {url}\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    pub fn http_response(status: &str, content_type: &str, body: &str) -> Vec<u8> {
        format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}", body.len())
            .into_bytes()
    }

    pub fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn sample_records() -> Vec<Vec<u8>> {
        vec![
            record("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
            record(
                "request",
                "https://canal.example/news/1",
                "application/http; msgtype=request",
                b"GET / HTTP/1.1\r\n\r\n",
            ),
            record(
                "response",
                "https://canal.example/news/1",
                "application/http; msgtype=response",
                &http_response("200 OK", "text/html; charset=utf-8", PAGE),
            ),
            record(
                "response",
                "https://canal.example/logo.png",
                "application/http; msgtype=response",
                &http_response("200 OK", "image/png", "PNG"),
            ),
            record("metadata", "https://canal.example/news/1", "application/warc-fields", b"fetchTimeMs: 12\r\n"),
        ]
    }

    fn read(bytes: &[u8]) -> Vec<Event> {
        let mut out = Vec::new();
        read_warc("crawl.warc.gz", &mut &bytes[..], &mut |e| out.push(e));
        out
    }

    fn summary(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Event::Article(a) => format!("article {}", a.path),
                Event::Error(err) => format!("error {}", err.path),
                Event::Skipped(k) => format!("skip {k}"),
            })
            .collect()
    }

    #[test]
    fn plain_warc_reads_responses_and_counts_skips() {
        let bytes: Vec<u8> = sample_records().concat();
        let ev = read(&bytes);
        assert_eq!(
            summary(&ev),
            [
                "skip warc:warcinfo",
                "skip warc:request",
                "article crawl.warc.gz#3",
                "skip warc:response:not-html",
                "skip warc:metadata"
            ]
        );
        let Event::Article(a) = &ev[2] else { unreachable!() };
        assert_eq!(a.url.as_deref(), Some("https://canal.example/news/1"));
        assert_eq!(a.published.as_deref(), Some("2024-09-14T08:30:00+00:00"));
        assert!(a.text.contains("Dredging of the old canal"));
    }

    #[test]
    fn multi_member_gzip_with_a_damaged_member_goes_on() {
        let recs = sample_records();
        let mut bytes = Vec::new();
        for (i, r) in recs.iter().enumerate() {
            let mut member = gz(r);
            if i == 1 {
                // Damage the deflate data in the middle of the request record.
                let mid = member.len() / 2;
                for b in &mut member[mid..mid + 4] {
                    *b ^= 0x5a;
                }
            }
            bytes.extend(member);
        }
        let ev = read(&bytes);
        let s = summary(&ev);
        assert_eq!(s[0], "skip warc:warcinfo");
        assert_eq!(s[1], "error crawl.warc.gz#2", "{s:?}");
        assert!(s.contains(&"article crawl.warc.gz#3".to_string()), "{s:?}");
        assert_eq!(s.last().unwrap(), "skip warc:metadata");
    }

    #[test]
    fn checksum_damage_names_the_record_and_keeps_the_next() {
        let recs = sample_records();
        let mut bytes = Vec::new();
        for (i, r) in recs.iter().enumerate() {
            let mut member = gz(r);
            if i == 2 {
                let crc = member.len() - 8;
                member[crc] ^= 0xff;
            }
            bytes.extend(member);
        }
        let s = summary(&read(&bytes));
        assert_eq!(
            s,
            [
                "skip warc:warcinfo",
                "skip warc:request",
                "error crawl.warc.gz#3",
                "skip warc:response:not-html",
                "skip warc:metadata"
            ]
        );
    }

    #[test]
    fn archive_cut_inside_a_member() {
        let recs = sample_records();
        let mut bytes: Vec<u8> = recs.iter().take(4).flat_map(|r| gz(r)).collect();
        let last = gz(&recs[4]);
        bytes.extend_from_slice(&last[..last.len() / 2]);
        let s = summary(&read(&bytes));
        assert_eq!(s.len(), 5, "{s:?}");
        assert_eq!(s[2], "article crawl.warc.gz#3");
        assert_eq!(s[4], "error crawl.warc.gz#5");
    }

    #[test]
    fn truncated_last_record_is_reported() {
        let recs = sample_records();
        let mut bytes: Vec<u8> = recs[..3].concat();
        bytes.extend_from_slice(&recs[3][..recs[3].len() / 2]);
        let s = summary(&read(&gz(&bytes)));
        assert_eq!(s[2], "article crawl.warc.gz#3");
        assert_eq!(s[3], "error crawl.warc.gz#4", "{s:?}");
    }

    #[test]
    fn garbage_between_records_resyncs_on_next_header() {
        let recs = sample_records();
        let mut bytes = recs[0].clone();
        bytes.extend_from_slice(b"\x00\x01 garbage line\r\nmore junk\r\n");
        bytes.extend_from_slice(&recs[2]);
        let s = summary(&read(&bytes));
        assert_eq!(s, ["skip warc:warcinfo", "error crawl.warc.gz", "article crawl.warc.gz#2"]);
    }

    #[test]
    fn chunked_and_gzipped_http_bodies() {
        let chunked = format!("{:x}\r\n{PAGE}\r\n0\r\n\r\n", PAGE.len());
        let block =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n{chunked}");
        let (body, _) = http_html(block.into_bytes()).unwrap();
        assert_eq!(body, PAGE.as_bytes());
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(gz(PAGE.as_bytes()));
        assert_eq!(http_html(block).unwrap().0, PAGE.as_bytes());
        assert_eq!(http_html(http_response("404 Not Found", "text/html", "x")).unwrap_err(), "warc:response:http-4xx");
    }

    #[test]
    fn not_a_warc_is_an_error() {
        let ev = read(b"just some text\nwith lines\n");
        assert!(ev.iter().all(|e| matches!(e, Event::Error(_))), "{ev:?}");
        assert!(!ev.is_empty());
    }
}
