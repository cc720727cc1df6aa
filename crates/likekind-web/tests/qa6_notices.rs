//! QA6 on the pages: a notice waiting for signature is judged again as the identification
//! stands (s10b), and staff record a signed paper revocation after day 45 with its evidence
//! (s01).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::*;

/// The notices' sign actions on a page.
fn sign_actions(body: &str) -> Vec<String> {
    body.match_indices("/sign\"")
        .map(|(i, _)| {
            let start = body[..i].rfind("action=\"").unwrap() + 8;
            body[start..i].to_string()
        })
        .collect()
}

async fn submit(app: &axum::Router, b: &mut Browser, page: &str, rows: &[(&str, &str)]) {
    b.get(app, &format!("{page}/identify")).await;
    let mut form = vec![("identified_on", "2026-04-20")];
    form.extend_from_slice(rows);
    let r = b.post(app, &format!("{page}/identify"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_notice_that_would_over_identify_is_not_offered_for_signature() {
    let (app, _store, _d) = app().await;
    let (_a, mut client, id) = funded(&app).await;
    let page = format!("/exchanges/{id}");
    submit(
        &app,
        &mut client,
        &page,
        &[
            ("id_0", "a"),
            ("desc_0", "1 A St, Austin TX"),
            ("fmv_0", "900,000"),
            ("id_1", "b"),
            ("desc_1", "1 B St, Austin TX"),
            ("fmv_1", "900,000"),
            ("id_2", "c"),
            ("desc_2", "1 C St, Austin TX"),
            ("fmv_2", "900,000"),
        ],
    )
    .await;
    submit(
        &app,
        &mut client,
        &page,
        &[
            ("id_0", "d"),
            ("desc_0", "1 D St, Austin TX"),
            ("fmv_0", "100,000"),
        ],
    )
    .await;
    let r = client.get(&app, &page).await;
    let signs = sign_actions(&r.body);
    assert_eq!(signs.len(), 2, "both valid alone: {}", r.body);
    let r = client.post(&app, &format!("{}/sign", signs[0]), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = client.get(&app, &page).await;
    assert!(sign_actions(&r.body).is_empty(), "{}", r.body);
    assert!(
        r.body
            .contains("Judged valid when submitted, but not as the identification stands today"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            "4 properties would be identified, worth $2,800,000.00, 280% of the $1,000,000.00"
        ),
        "{}",
        r.body
    );
    // Signing it anyway (a stale page): refused in words, nothing signed.
    let r = client.post(&app, &format!("{}/sign", signs[1]), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("the 95% rule"), "{}", r.body);
}

#[tokio::test]
async fn staff_record_a_signed_paper_revocation_after_day_45() {
    let (app, store, _d) = app().await;
    let (mut a, mut client, id) = funded(&app).await;
    let page = format!("/exchanges/{id}");
    submit(
        &app,
        &mut client,
        &page,
        &[
            ("id_0", "elm"),
            ("desc_0", "400 Elm St, Austin TX"),
            ("fmv_0", "600,000"),
        ],
    )
    .await;
    let r = client.get(&app, &page).await;
    let sign = format!("{}/sign", sign_actions(&r.body)[0]);
    let r = client.post(&app, &sign, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let nid = sign.split('/').nth(4).unwrap().to_string();
    let revoke = format!("{page}/notices/{nid}/revoke");

    // June 1, after day 45 (May 16): the client still cannot; staff get the paper record.
    let later = app_on(&store, |c| c.today = Some(jiff::civil::date(2026, 6, 1)));
    let r = client.get(&later, &page).await;
    assert!(r.body.contains("these notices can no longer be revoked"));
    assert!(!r.body.contains("Revoke this notice"));
    a.get(&later, &page).await;
    let r = a
        .multipart(
            &later,
            &format!("{page}/documents"),
            &[("kind", "identification_notice")],
            &[("file", "revocation.pdf", b"%PDF signed revocation")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&later, &page).await;
    assert!(
        r.body
            .contains("the client can no longer revoke these notices"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Revoke this notice"), "{}", r.body);
    assert!(r.body.contains(&format!(
        "<label for=\"rev-{nid}-document\">Scanned signed revocation</label>"
    )));
    assert!(r.body.contains(&format!(
        "<label for=\"rev-{nid}-received\">Received by</label>"
    )));
    let doc = option_value(&r.body, "revocation.pdf (uploaded");
    // Without its evidence: refused, each input named.
    let r = a
        .post(
            &later,
            &revoke,
            &[("revoked_on", "2026-05-10"), ("written", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("attach the scanned revocation signed by the taxpayer"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("name the person who received the signed revocation"),
        "{}",
        r.body
    );
    // With it, the held $670,000 would go earlier: refused unless an admin gives a reason.
    a.get(&later, &page).await;
    let evidence = [
        ("revoked_on", "2026-05-10"),
        ("written", "yes"),
        ("document_id", doc.as_str()),
        ("received_by", "Quinn Clerk"),
    ];
    let r = a.post(&later, &revoke, &evidence).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("an administrator may make the change with a written reason"),
        "{}",
        r.body
    );
    // Said at the reason's input, not as a problem of "the file".
    assert!(!r.body.contains("The file:"), "{}", r.body);
    a.get(&later, &page).await;
    let mut with_reason = evidence.to_vec();
    with_reason.push((
        "override_reason",
        "the signed revocation reached us on May 10",
    ));
    let r = a.post(&later, &revoke, &with_reason).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = a.get(&later, &page).await;
    assert!(r.body.contains("revoked on May 10, 2026"), "{}", r.body);
}
