//! Reading an exchange file's or a book's bytes as text, with an error a person can act on.
//!
//! Exchange files are UTF-8: TOML 1.0 ("A TOML file must be a valid UTF-8 encoded Unicode
//! document") and JSON exchanged between systems (RFC 8259 section 8.1: "MUST be encoded
//! using UTF-8"). Files saved by older Windows tools are often UTF-16 or a legacy code page;
//! the error says which, and where (position: the byte's, counted from 1), instead of "stream did not contain valid UTF-8".

/// A whole file's bytes as UTF-8 text, or why not (the place named by line and byte).
pub fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    decode(bytes, true)
}

/// One line's bytes (of a JSON Lines book, whose entry already names the line).
pub fn utf8_line(bytes: Vec<u8>) -> Result<String, String> {
    decode(bytes, false)
}

fn decode(bytes: Vec<u8>, whole_file: bool) -> Result<String, String> {
    if let Some(which) = utf16(&bytes) {
        return Err(format!(
            "the text is {which}, not UTF-8: save it as UTF-8 and check it again"
        ));
    }
    // No exchange file holds a zero byte: TOML 1.0 allows no control character but tab in
    // strings or comments unescaped (U+0000 to U+0008 named), and JSON (RFC 8259 sections 2
    // and 7) allows only space, tab and line ends between values and requires U+0000 to U+001F
    // to be escaped in strings. Images, spreadsheets and word-processor files hold zero bytes,
    // often before any byte that is not UTF-8, so the file is named for what it is.
    if bytes.contains(&0) {
        return Err(if whole_file {
            "this is not a text file (it holds a zero byte): \
             choose the exchange file itself, saved as UTF-8"
        } else {
            "the line is not text (it holds a zero byte)"
        }
        .to_string());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        let place = if whole_file {
            format!("at line {line}, position {column}")
        } else {
            format!("at position {column} of the line")
        };
        format!(
            "the text is not UTF-8 (byte {:#04X} {place}; a file saved in a legacy code page \
             such as Windows-1252 does this): save it as UTF-8 and check it again",
            bytes[at]
        )
    })
}

/// "UTF-16 (little-endian)" or "(big-endian)" when the bytes start with that byte order mark,
/// or without one, with an ASCII character as UTF-16 writes it (a zero byte after or before
/// it): an exchange file starts with one (a bracket, a brace, a letter, a space or `#`).
pub fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => Some("UTF-16 (little-endian)"),
        [0xFE, 0xFF, ..] => Some("UTF-16 (big-endian)"),
        [a, 0, ..] if a.is_ascii() && *a != 0 => Some("UTF-16 (little-endian)"),
        [0, b, ..] if b.is_ascii() && *b != 0 => Some("UTF-16 (big-endian)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_text_passes_through() {
        assert_eq!(
            utf8("a = \"é\"\n".as_bytes().to_vec()).as_deref(),
            Ok("a = \"é\"\n")
        );
    }

    #[test]
    fn a_legacy_byte_is_named_by_line_and_place() {
        let e = utf8(b"a = 1\nname = \"Caf\xe9\"\n".to_vec()).unwrap_err();
        assert!(e.contains("byte 0xE9 at line 2, position 12;"), "{e}");
        assert!(e.contains("save it as UTF-8"), "{e}");
    }

    #[test]
    fn a_line_names_only_the_place_in_the_line() {
        let e = utf8_line(b"{\"name\": \"Caf\xe9\"}".to_vec()).unwrap_err();
        assert!(e.contains("(byte 0xE9 at position 14 of the line;"), "{e}");
    }

    #[test]
    fn a_file_that_is_not_text_is_named_so() {
        let e = utf8(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".to_vec()).unwrap_err();
        assert!(e.starts_with("this is not a text file"), "{e}");
        assert!(
            utf8(b"PK\x03\x04\x14\x00".to_vec())
                .unwrap_err()
                .contains("zero byte")
        );
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_named() {
        let le: Vec<u8> = "[exchange]"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(utf8(le).unwrap_err().contains("UTF-16 (little-endian)"));
        let be: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(utf8(be).unwrap_err().contains("UTF-16 (big-endian)"));
    }

    #[test]
    fn utf16_is_named() {
        let e = utf8(vec![0xFF, 0xFE, b'{', 0]).unwrap_err();
        assert!(e.contains("UTF-16 (little-endian)"), "{e}");
        let e = utf8(vec![0xFE, 0xFF, 0, b'{']).unwrap_err();
        assert!(e.contains("UTF-16 (big-endian)"), "{e}");
    }
}
