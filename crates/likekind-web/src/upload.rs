//! Reading a `multipart/form-data` form (a form with a file input): its text fields and its
//! files, with a too-large body answered as an error naming the file field.

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::http::StatusCode;
use likekind_server::error::{ApiError, FieldError};
use std::collections::BTreeMap;

/// A file sent by a form.
#[derive(Debug, Clone, Default)]
pub struct FilePart {
    /// The file's name as the browser sent it, without any folder.
    pub filename: String,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// A multipart form: text fields and file fields by name.
#[derive(Debug, Default)]
pub struct Parts {
    pub text: BTreeMap<String, String>,
    pub files: BTreeMap<String, FilePart>,
}

impl Parts {
    /// A text field, or "".
    pub fn get(&self, k: &str) -> &str {
        self.text.get(k).map(String::as_str).unwrap_or("")
    }
}

/// The last component of a path some browsers send as the file name (`C:\x\y.pdf`).
fn base_name(s: &str) -> String {
    s.rsplit(['/', '\\']).next().unwrap_or(s).trim().to_string()
}

/// The 413 answer for a body above `limit` bytes, on the form's `file_field`.
pub fn too_large(file_field: &str, limit: usize) -> ApiError {
    let shown = crate::fmt::bytes(i64::try_from(limit).unwrap_or(i64::MAX));
    let mut e = ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        format!("the file is too large: the limit is {shown}"),
    );
    e.detail.fields = vec![FieldError {
        path: file_field.to_string(),
        rule: "max_size".into(),
        message: format!("the file is larger than the limit of {shown}"),
    }];
    e
}

/// Reads every part of the form; `limit` is the file limit the 413 answer names (the route's
/// body limit, a little above it to leave room for the other fields, is what cuts it off).
///
/// # Errors
/// 413 (see [`too_large`]) when the body is larger than the route's limit; 400 when the body
/// is not a well-formed multipart form or a text field is not UTF-8.
pub async fn read(mut mp: Multipart, file_field: &str, limit: usize) -> Result<Parts, ApiError> {
    let mut out = Parts::default();
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(file_field, limit)
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_form",
                format!("the form could not be read: {}", e.body_text()),
            )
        }
    };
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().map(base_name);
        let content_type = field.content_type().map(str::to_string);
        let data = field.bytes().await.map_err(bad)?;
        match filename {
            Some(filename) => {
                out.files.insert(
                    name,
                    FilePart {
                        filename,
                        content_type,
                        data,
                    },
                );
            }
            None => {
                let s = String::from_utf8(data.to_vec()).map_err(|_| {
                    ApiError::field(&name, "utf8", "this field is not text (UTF-8)")
                })?;
                out.text.insert(name, s);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_folders() {
        assert_eq!(base_name(r"C:\Users\dana\deed.pdf"), "deed.pdf");
        assert_eq!(base_name("a/b/c.toml"), "c.toml");
        assert_eq!(base_name("plain.json"), "plain.json");
    }
}
