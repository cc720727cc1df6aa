//! Many rows in one statement. Each statement is a round trip to the database (for SQLite,
//! to its worker thread and back: two wake-ups), which costs more than writing a row, so the
//! writers that store many rows at once (a bulk import, an exchange's milestones and search
//! words) put them in a few multi-row statements.

/// `($1, $2), ($3, $4)` for `rows` rows of `cols` values: one statement inserts many rows.
pub(crate) fn placeholders(rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(r * cols + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

/// Keys per statement when a batch's rows are looked up, locked, cleared or remembered by
/// key: a batch of a few hundred exchanges needs one or two statements, far below either
/// database's limit on bound values.
pub(crate) const IN_LIST: usize = 300;

/// `$2, $3, $4` for a list of `n` values after `first - 1` others (`IN (…)`).
pub(crate) fn list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_value_once() {
        assert_eq!(placeholders(1, 3), "($1, $2, $3)");
        assert_eq!(placeholders(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(placeholders(0, 3), "");
        assert_eq!(list(2, 3), "$2, $3, $4");
    }
}
