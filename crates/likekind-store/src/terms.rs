//! The words an exchange is found by on the dashboard: its name, its client's and its
//! taxpayer's names, its properties' names and descriptions, lower-cased, one row per word in
//! `exchange_terms`, written with the exchange's summary. A search word matches the words that
//! start with it, read as a range of that table's primary key.

use crate::{ExchangeRow, Result};
use sqlx::{Any, Row, Transaction};

/// The longest word kept (longer words are cut: a prefix still finds them).
const MAX_WORD: usize = 40;
/// The most words kept per exchange.
const MAX_TERMS: usize = 400;

/// The words of a text: runs of letters and digits, lower-cased, cut at 40 characters.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().take(MAX_WORD).collect())
        .collect()
}

/// The first string after every string that starts with `w` (in byte order): the end of a
/// prefix range. `None` when there is none (a word of only U+10FFFF).
pub fn prefix_end(w: &str) -> Option<String> {
    let mut chars: Vec<char> = w.chars().collect();
    while let Some(last) = chars.pop() {
        let mut n = u32::from(last) + 1;
        if n == 0xD800 {
            n = 0xE000;
        }
        if let Some(c) = char::from_u32(n) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The searchable words of an exchange, given its client's name.
fn terms_of(ex: &ExchangeRow, client_name: Option<&str>) -> Vec<String> {
    let mut text = vec![ex.name.clone()];
    if let Some(c) = client_name {
        text.push(c.to_string());
    }
    if let Ok(f) = serde_json::from_str::<serde_json::Value>(&ex.file) {
        if let Some(n) = f["taxpayer"]["name"].as_str() {
            text.push(n.to_string());
        }
        for list in ["relinquished", "identified", "replacement"] {
            for p in f[list].as_array().into_iter().flatten() {
                for k in ["id", "description"] {
                    if let Some(s) = p[k].as_str() {
                        text.push(s.to_string());
                    }
                }
            }
        }
    }
    let mut out: Vec<String> = text.iter().flat_map(|t| words(t)).collect();
    out.sort();
    out.dedup();
    out.truncate(MAX_TERMS);
    out
}

/// Words per statement (three values each; see [`crate::rows`]).
const TERMS_PER_INSERT: usize = 100;

/// Writes the search words of several exchanges that have none stored: their clients' names
/// in one query, the words of all of them in a few multi-row statements.
pub(crate) async fn insert(tx: &mut Transaction<'_, Any>, exs: &[&ExchangeRow]) -> Result<()> {
    let names = client_names(tx, exs).await?;
    let rows: Vec<(&ExchangeRow, String)> = exs
        .iter()
        .flat_map(|ex| {
            let client = ex
                .client_id
                .as_ref()
                .and_then(|c| names.get(c))
                .map(String::as_str);
            terms_of(ex, client).into_iter().map(move |t| (*ex, t))
        })
        .collect();
    for chunk in rows.chunks(TERMS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO exchange_terms (firm_id, term, exchange_id) VALUES {}",
            crate::rows::placeholders(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (ex, t) in chunk {
            q = q.bind(&ex.firm_id).bind(t).bind(&ex.id);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The names of the exchanges' clients, by user id (a name is a searchable word).
async fn client_names(
    tx: &mut Transaction<'_, Any>,
    exs: &[&ExchangeRow],
) -> Result<std::collections::HashMap<String, String>> {
    let mut ids: Vec<&str> = exs.iter().filter_map(|e| e.client_id.as_deref()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::rows::IN_LIST) {
        let sql = format!(
            "SELECT id, name FROM users WHERE id IN ({})",
            crate::rows::list(1, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut **tx).await? {
            names.insert(r.try_get("id")?, r.try_get("name")?);
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_runs_of_letters_and_digits() {
        assert_eq!(
            words("12 Oak St, Sacramento-CA"),
            ["12", "oak", "st", "sacramento", "ca"]
        );
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(prefix_end("oak").as_deref(), Some("oal"));
        assert_eq!(prefix_end("az").as_deref(), Some("a{"));
        assert!("oak street" < prefix_end("oak").unwrap().as_str());
    }
}
