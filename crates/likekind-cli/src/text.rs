//! Reading an exchange file's or a book's bytes as text, with an error a person can act on.
//!
//! Exchange files are UTF-8: TOML 1.0 ("A TOML file must be a valid UTF-8 encoded Unicode
//! document") and JSON exchanged between systems (RFC 8259 section 8.1: "MUST be encoded
//! using UTF-8"). Files saved by older Windows tools are often UTF-16 or a legacy code page;
//! the error says which, and where (position: the byte's, counted from 1), instead of "stream did not contain valid UTF-8".

/// A whole file's bytes as UTF-8 text, or why not (the place named by line and byte).
pub(crate) fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    decode(bytes, true)
}

/// One line's bytes (of a JSON Lines book, whose entry already names the line).
pub(crate) fn utf8_line(bytes: Vec<u8>) -> Result<String, String> {
    decode(bytes, false)
}

fn decode(bytes: Vec<u8>, whole_file: bool) -> Result<String, String> {
    if let Some(which) = utf16(&bytes) {
        return Err(format!(
            "the text is {which}, not UTF-8: save it as UTF-8 and check it again"
        ));
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

/// "UTF-16 (little-endian)" or "(big-endian)" when the bytes start with that byte order mark.
pub(crate) fn utf16(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        Some("UTF-16 (little-endian)")
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some("UTF-16 (big-endian)")
    } else {
        None
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
    fn utf16_is_named() {
        let e = utf8(vec![0xFF, 0xFE, b'{', 0]).unwrap_err();
        assert!(e.contains("UTF-16 (little-endian)"), "{e}");
        let e = utf8(vec![0xFE, 0xFF, 0, b'{']).unwrap_err();
        assert!(e.contains("UTF-16 (big-endian)"), "{e}");
    }
}
