//! Bytes to text: BOMs, UTF-8, UTF-16 and detected legacy encodings.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use crate::IngestError;

/// Decodes a whole text input.
///
/// A BOM wins (UTF-8, UTF-16 LE/BE). Otherwise valid UTF-8 is taken as UTF-8;
/// anything else goes through `chardetng`, the detector Firefox uses, which
/// picks a legacy encoding such as Windows-1252 from the byte statistics.
/// A NUL byte without a UTF-16 BOM means binary data, refused.
/// `declared` is a charset named by the container (HTTP header, `<meta>`),
/// used when the bytes are not valid UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<String, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == UTF_16LE || enc == UTF_16BE {
            let (text, had_errors) = enc.decode_without_bom_handling(body);
            if had_errors && text.chars().filter(|&c| c == '\u{FFFD}').count() > text.len() / 20 {
                return Err(IngestError::Decode(format!("invalid {}", enc.name())));
            }
            return Ok(text.into_owned());
        }
        return Ok(String::from_utf8_lossy(body).into_owned());
    }
    if let Some(pos) = memchr::memchr(0, &bytes[..bytes.len().min(64 * 1024)]) {
        return Err(IngestError::Binary(pos));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    if let Some(enc) = declared.and_then(|d| Encoding::for_label(d.trim().as_bytes()))
        && enc != UTF_8
    {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return Ok(text.into_owned());
    }
    // Mostly UTF-8 with a few broken bytes (a truncated multi-byte char, a
    // stray Latin-1 byte) is still UTF-8: detection would mangle the rest.
    let lossy = String::from_utf8_lossy(bytes);
    let bad = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
    let wide = bytes.iter().filter(|&&b| b >= 0x80).count();
    if bad * 10 < wide / 3 {
        return Ok(lossy.into_owned());
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = enc.decode(bytes);
    if looks_binary(&text) {
        return Err(IngestError::Decode("bytes are not text in any known encoding".into()));
    }
    Ok(text.into_owned())
}

/// [`decode`] taking ownership, so that valid UTF-8 (the common case) is not
/// copied.
pub fn decode_owned(bytes: Vec<u8>, declared: Option<&str>) -> Result<String, IngestError> {
    if !bytes.is_empty()
        && Encoding::for_bom(&bytes).is_none()
        && memchr::memchr(0, &bytes[..bytes.len().min(64 * 1024)]).is_none()
    {
        match String::from_utf8(bytes) {
            Ok(s) => return Ok(s),
            Err(e) => return decode(e.as_bytes(), declared),
        }
    }
    decode(&bytes, declared)
}

/// Control characters other than whitespace in more than 1 % of the text.
fn looks_binary(text: &str) -> bool {
    let total = text.chars().take(65536).count().max(1);
    let ctrl =
        text.chars().take(65536).filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
    ctrl * 100 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("héllo".as_bytes(), None).unwrap(), "héllo");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("héllo".as_bytes());
        assert_eq!(decode(&b, None).unwrap(), "héllo");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Kyiv “talks”".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le, None).unwrap(), "Kyiv “talks”");
        let mut be = vec![0xFE, 0xFF];
        for u in "Kyiv".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be, None).unwrap(), "Kyiv");
    }

    #[test]
    fn windows_1252_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252
            .encode("The minister’s “caf\u{e9}” remark was the talk of the capital this week, said the café owner.");
        let text = decode(&bytes, None).unwrap();
        assert!(text.contains("“café”"), "{text}");
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(decode(b"\x7fELF\x02\x01\x00\x00", None), Err(IngestError::Binary(_))));
        assert!(matches!(decode(b"", None), Err(IngestError::Empty)));
    }
}
