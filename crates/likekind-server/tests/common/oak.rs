//! The exchange several money tests share: oak sold on 2026-03-02 ($1,000,000, $300,000 of
//! debt paid off, $30,000 of costs: $670,000 comes to the intermediary); elm ($600,000) and
//! ash ($400,000) identified on 2026-03-15.

use serde_json::{Value, json};

/// The oak sale with the properties `identified`.
pub fn oak_file(identified: Value) -> Value {
    json!({
        "exchange": {"name": "Oak for Elm"},
        "taxpayer": {"name": "Pat Doe", "entity": "individual"},
        "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01", "transferred": "2026-03-02",
                           "sale_price": "1000000", "adjusted_basis": "400000",
                           "liabilities_relieved": "300000", "exchange_expenses": "30000"}],
        "identified": identified,
    })
}

/// Elm ($600,000) and ash ($400,000), identified on 2026-03-15.
pub fn elm_and_ash() -> Value {
    json!([
        {"id": "elm", "description": "Elm Plaza, 400 Elm St", "fmv": "600000", "identified_on": "2026-03-15"},
        {"id": "ash", "description": "Ash Court, 9 Ash Rd", "fmv": "400000", "identified_on": "2026-03-15"}
    ])
}

/// A purchase closing as the file records it.
pub fn closing(id: &str, received: &str, price: &str) -> Value {
    json!({"id": id, "location": "TX", "received": received, "price": price, "liabilities_assumed": "0"})
}

/// A new firm (`firm`) whose coordinator opened, on 2026-05-01, the exchange "Doe" of oak
/// with elm and ash identified: (admin, coordinator, the exchange's id).
pub async fn oak_opened(t: &super::TestApp, firm: &str) -> (super::As, super::As, String) {
    let (admin, _, _) = t.signup(firm).await;
    let (coord, _) = t.user(&admin, "coordinator").await;
    let (s, ex) = t
        .on(jiff::civil::date(2026, 5, 1))
        .post(
            "/api/exchanges",
            &coord,
            json!({"name": "Doe", "file": oak_file(elm_and_ash())}),
        )
        .await;
    assert_eq!(s, axum::http::StatusCode::CREATED, "{ex}");
    let id = ex["id"].as_str().unwrap().to_string();
    (admin, coord, id)
}
