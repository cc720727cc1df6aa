//! The page scan: what a person reads on a rendered page (the text between the tags, not the
//! attributes a machine reads such as `datetime=`, `value=`, `href=`) holds no field path
//! (`[0].`), no `_id`, no snake_case code, no enum name, no bare or unformatted amount, no ISO
//! date and no UUID. Every HTML page a test [`crate::Browser`] fetches is scanned.

/// The text a person reads: tags and their attributes removed; scripts, styles, the
/// exchange file's own editor (a `<textarea>` holding the file as typed) and a secret shown
/// once to be copied (`<code class="secret">`) left out.
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        let after = &rest[i..];
        let skip_to = ["script", "style", "textarea", "code class=\"secret\""]
            .iter()
            .find_map(|t| {
                let open = format!("<{t}");
                let name = t.split(' ').next().unwrap_or(t);
                after
                    .get(..open.len())
                    .filter(|h| h.eq_ignore_ascii_case(&open))
                    .and_then(|_| {
                        after
                            .find(&format!("</{name}>"))
                            .map(|e| e + name.len() + 3)
                    })
            });
        let end = match skip_to {
            Some(e) => e,
            None => match after.find('>') {
                Some(e) => e + 1,
                None => after.len(),
            },
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The problems a person would meet on the page, each with a little of its context.
pub fn problems(html: &str) -> Vec<String> {
    let text = visible_text(html);
    let mut found = Vec::new();
    let ctx = |i: usize| -> String {
        let a = text.floor_char_boundary(i.saturating_sub(40));
        let b = text.ceil_char_boundary((i + 40).min(text.len()));
        text[a..b].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let b = text.as_bytes();
    // Tokens: runs of letters, digits, '_', '.', '[', ']', '-', ':', '/', '@'.
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && (is_word_byte(b[i]) || b"._[]-:/@".contains(&b[i])) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let tok = text[start..i].trim_end_matches(['.', ':', '-']);
        let prev = if start == 0 { b' ' } else { b[start - 1] };
        let web = tok.contains("://") || tok.contains('@') || tok.contains('/');
        if tok.contains("].")
            || (tok.contains('[') && tok.bytes().any(|c| c.is_ascii_digit()) && tok.contains(']'))
        {
            found.push(format!("field path {tok:?}: …{}…", ctx(start)));
        } else if !web
            && tok.split('.').any(|part| {
                part.contains('_')
                    && part.split('_').all(|p| {
                        !p.is_empty()
                            && p.bytes()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                    })
            })
        {
            found.push(format!("snake_case code {tok:?}: …{}…", ctx(start)));
        } else if !web && tok.ends_with("_id") {
            found.push(format!("an _id {tok:?}: …{}…", ctx(start)));
        }
        // An ISO date.
        let tb = tok.as_bytes();
        for k in 0..tb.len().saturating_sub(9) {
            let w = &tb[k..k + 10];
            let iso = w.iter().enumerate().all(|(j, c)| match j {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
            let lone = k == 0 || !tb[k - 1].is_ascii_digit();
            if iso && lone && !web {
                found.push(format!("ISO date {:?}: …{}…", &tok[k..k + 10], ctx(start)));
                break;
            }
        }
        // A UUID.
        if tok.len() >= 36
            && tok
                .split('-')
                .map(str::len)
                .collect::<Vec<_>>()
                .windows(5)
                .any(|w| w == [8, 4, 4, 4, 12])
        {
            found.push(format!("UUID {tok:?}: …{}…", ctx(start)));
        }
        // An enum name: two or more capitalised words run together (CamelCase).
        let humps = tok
            .bytes()
            .enumerate()
            .filter(|(j, c)| *j > 0 && c.is_ascii_uppercase() && tb[j - 1].is_ascii_lowercase())
            .count();
        if humps >= 2 && tb[0].is_ascii_uppercase() && tok.bytes().all(|c| c.is_ascii_alphabetic())
        {
            found.push(format!("enum name {tok:?}: …{}…", ctx(start)));
        }
        // A bare amount: digits, a point, two digits, not after "$" or a thousands comma;
        // or a long run of digits (cents, e.g. 70000000).
        if !web && prev != b'$' && prev != b',' && !text[..start].ends_with('§') {
            let int = tb.iter().take_while(|c| c.is_ascii_digit()).count();
            let two = int > 0
                && tb.get(int) == Some(&b'.')
                && tb.len() >= int + 3
                && tb[int + 1..int + 3].iter().all(u8::is_ascii_digit)
                && tb.get(int + 3).is_none_or(|c| !c.is_ascii_digit());
            let ratio = int == 1 && matches!(tb[0], b'0' | b'1');
            if two && !ratio && b.get(start + int + 3) != Some(&b'%') {
                found.push(format!("bare amount {tok:?}: …{}…", ctx(start)));
            } else if int >= 7 && int == tb.len() && !text[..start].ends_with("SSRN ") {
                found.push(format!("unformatted number {tok:?}: …{}…", ctx(start)));
            }
        }
    }
    found
}

/// Fails the test when a page shows a person a code.
pub fn assert_in_words(what: &str, html: &str) {
    let p = problems(html);
    assert!(
        p.is_empty(),
        "{what}: the page shows a person codes instead of words:\n  {}",
        p.join("\n  ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_finds_what_people_must_not_read() {
        for bad in [
            "<p>properties[0].id: id \"elm\" is identified twice</p>",
            "<p>exchange.funds_released_on is not given</p>",
            "<li>multi_asset_j1_differs</li>",
            "<p>4 properties worth 4400000.00</p>",
            "<p>a posting of 70000000</p>",
            "<p>(ExchangePeriodEnd)</p>",
            "<td>2026-11-15</td>",
            "<td>by 0190f0a2-1c2b-7def-8abc-0123456789ab</td>",
            "<p>client_id</p>",
        ] {
            assert!(!problems(bad).is_empty(), "missed {bad}");
        }
        for fine in [
            r#"<td><time datetime="2026-11-15">Nov 15, 2026</time></td>"#,
            r#"<input name="sale_price" value="1000000.00"><a href="/exchanges/0190f0a2-1c2b-7def-8abc-0123456789ab">Oak</a>"#,
            "<p>$4,400,000.00 and 95% of 0.95; Rev. Rul. 72-456; America/Los_Angeles</p>",
            "<script>var a_b = 1;</script><p>likekind</p>",
        ] {
            assert!(problems(fine).is_empty(), "{fine}: {:?}", problems(fine));
        }
    }
}
