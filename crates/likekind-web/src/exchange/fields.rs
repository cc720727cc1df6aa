//! The values of the exchange forms, parsed with the API's field paths.

use crate::fmt::parse_usd;
use jiff::civil::Date;
use likekind_server::error::{ApiError, ApiResult};

pub(super) fn parse_date(path: &str, s: &str) -> ApiResult<Date> {
    s.trim().parse::<Date>().map_err(|_| {
        ApiError::field(
            path,
            "date",
            "enter a date (the browser's date picker, or YYYY-MM-DD)",
        )
    })
}

pub(super) fn money(path: &str, s: &str) -> ApiResult<rust_decimal::Decimal> {
    parse_usd(s)
        .map(Into::into)
        .map_err(|m| ApiError::field(path, "money", m))
}
