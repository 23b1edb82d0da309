//! Plain-text files: UTF-8 (with or without a byte-order mark), else Windows-1250, the
//! encoding of older Polish office exports.

use super::Extracted;

/// The text of a plain-text file, as one page.
pub fn extract(bytes: &[u8]) -> Extracted {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1250.decode(bytes).0.into_owned(),
    };
    Extracted {
        pages: vec![text.replace("\r\n", "\n").replace('\r', "\n")],
        paged: false,
        headings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn utf8_and_windows_1250() {
        assert_eq!(
            super::extract("\u{feff}źdźbło\r\n".as_bytes()).pages,
            ["źdźbło\n"]
        );
        // "łąka" in Windows-1250.
        assert_eq!(super::extract(&[0xb3, 0xb9, b'k', b'a']).pages, ["łąka"]);
    }
}
