//! Law boundaries checked through the whole engine (`parse_exchange` + `analyze`): the
//! related-party 2-year window, identification before the transfer, Puerto Rico and the
//! territories under §1031(h).

use likekind_core::findings::Severity;
use likekind_core::{Format, Report, analyze, parse_exchange};

fn report(toml: &str) -> Report {
    match parse_exchange(toml, Format::Toml) {
        Ok(f) => analyze(&f, jiff::civil::date(2026, 11, 25)),
        Err(e) => panic!("rejected: {e}"),
    }
}

fn has_code(r: &Report, code: &str) -> bool {
    r.findings.iter().any(|f| f.code == code)
}

/// A delayed exchange, the identification dated `identified_on`.
fn early_identification(identified_on: &str) -> String {
    format!(
        r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "b"
fmv = "1000000"
identified_on = "{identified_on}"
[[replacement]]
id = "b"
location = "TX"
received = "2026-06-15"
price = "1000000"
"#
    )
}

/// Treas. Reg. §1.1031(k)-1(c)(2): identification in the written exchange agreement, before
/// the transfer, is made before the end of the identification period and is valid.
#[test]
fn identification_before_the_transfer_is_timely() {
    for on in ["2026-02-20", "2026-03-01", "2026-03-02"] {
        let r = report(&early_identification(on));
        let id = r.identification.as_ref().map(|i| (i.valid, i.rule));
        assert_eq!(id.map(|(v, _)| v), Some(true), "{on}: {:?}", r.findings);
        assert!(!has_code(&r, "identification_late"), "{on}");
        assert!(!has_code(&r, "replacement_not_identified"), "{on}");
        assert!(!r.has_error(), "{on}: {:?}", r.findings);
        assert_eq!(r.gain.recognized, likekind_core::Amount::ZERO, "{on}");
    }
    // The day after the identification period is still late.
    let r = report(&early_identification("2026-04-17"));
    assert!(has_code(&r, "identification_late"));
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "identification_late" && f.severity == Severity::Error)
    );
}

/// The exchange-file docs say what the engine does with an early identification (accepted,
/// timely: Treas. Reg. §1.1031(k)-1(c)(2) sets only the end of the time), never the rule they
/// once listed that the validator does not have ("not before the first transfer").
#[test]
fn the_docs_say_an_identification_before_the_transfer_is_accepted() {
    let docs = include_str!("../../../docs/exchange-file-extensions.md");
    let rule = docs
        .lines()
        .find(|l| l.starts_with("| `identified[i].identified_on`"));
    assert_eq!(rule, None, "a rule the validator does not check: {rule:?}");
    assert!(
        docs.contains("An identification dated before the first transfer is accepted and is timely: Treas. Reg.\n§1.1031(k)-1(c)(2)"),
        "the docs say what the law allows"
    );
    // And the engine does what they say.
    let r = report(&early_identification("2026-02-20"));
    assert!(!r.has_error(), "{:?}", r.findings);
}

/// A Texas property given up, one replacement at `location`.
fn texas_for(location: &str) -> String {
    format!(
        r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
state = "TX"
[[relinquished]]
id = "tx"
location = "TX"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[replacement]]
id = "there"
location = "{location}"
received = "2026-06-15"
price = "1000000"
"#
    )
}

/// IRC §1031(h) with §7701(a)(9): the United States is the States and DC, so Puerto Rico and
/// the territories are outside it.
#[test]
fn territories_are_outside_the_united_states_for_1031h() {
    use likekind_core::model::{Location, LocationKind};
    for code in ["PR", "GU", "VI", "AS", "MP", "UM"] {
        assert_eq!(LocationKind::of(code), Some(LocationKind::Territory));
        assert!(!LocationKind::Territory.is_us(), "{code}");
        assert!(Location::parse(code).is_ok_and(|l| !l.is_us()), "{code}");
        let r = report(&texas_for(code));
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "not_like_kind_foreign");
        assert!(
            f.is_some_and(|f| f.severity == Severity::Error
                && f.authority.contains("§7701(a)(9)")
                && f.path.as_deref() == Some("replacement[0].location")),
            "{code}: {:?}",
            r.findings
        );
        let u = r
            .findings
            .iter()
            .find(|f| f.code == "territory_property_uncertain");
        assert!(
            u.is_some_and(|u| u.message.contains("[U]")
                && u.authority.contains("§§932, 935")
                && u.authority.contains("§7701(a)(9)")
                && u.authority.contains("§1031(h)")
                && u.severity == Severity::Warning),
            "{code}"
        );
        assert!(r.has_error(), "{code}");
    }
    for code in ["CA", "DC", "TX"] {
        assert!(LocationKind::of(code).is_some_and(LocationKind::is_us));
        let r = report(&texas_for(code));
        assert!(!has_code(&r, "not_like_kind_foreign"), "{code}");
        assert!(!has_code(&r, "territory_property_uncertain"), "{code}");
    }
}

/// Puerto Rico for Guam, or for Mexico: both outside the United States, so §1031(h) does not
/// separate them; the territory caveat still shows.
#[test]
fn territory_for_territory_or_foreign_is_not_split_by_1031h() {
    for (given, received) in [("PR", "GU"), ("PR", "foreign:MX"), ("foreign:MX", "VI")] {
        let text =
            texas_for(received).replace("location = \"TX\"", &format!("location = \"{given}\""));
        let r = report(&text);
        assert!(
            !has_code(&r, "not_like_kind_foreign"),
            "{given}->{received}"
        );
        assert!(
            has_code(&r, "territory_property_uncertain"),
            "{given}->{received}"
        );
    }
}

/// State rules still key on the state: California property for Puerto Rico property keeps
/// California's withholding (Form 593) alongside the §1031(h) error; but the transfer is
/// taxed as a sale, so there is no deferred gain for the California clawback (FTB 3840 is
/// filed only when gain or loss went unrecognized under §1031: Cal. R&TC §§18032, 24953).
#[test]
fn california_for_puerto_rico_keeps_the_state_rules() {
    let text = texas_for("PR")
        .replace("location = \"TX\"", "location = \"CA\"")
        .replace("state = \"TX\"", "state = \"CA\"");
    let r = report(&text);
    assert!(has_code(&r, "not_like_kind_foreign"));
    let st = r.states.as_ref();
    assert!(st.is_some_and(|s| !s.form_593.is_empty()), "{st:?}");
    assert!(
        st.is_some_and(|s| s.california_clawback.is_none()),
        "{st:?}"
    );
    assert!(!has_code(&r, "california_clawback"));
}

/// Text the user reads must cite the law, never the project's own documents.
const OWN_DOCUMENTS: [&str; 4] = ["rules.md", "verification.md", ".md §", "issue "];

fn own_document_citations(what: &str, json: &str) -> Vec<String> {
    OWN_DOCUMENTS
        .iter()
        .filter(|w| json.contains(*w))
        .map(|w| format!("{what}: contains {w:?}"))
        .collect()
}

/// Every finding, explanation step (and plan finding, note and step) of every example file
/// and of constructed files that reach the rarer branches.
#[test]
fn user_facing_text_never_cites_our_own_documents() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{e}"));
            (p.display().to_string(), text)
        })
        .collect();
    assert!(files.len() >= 20, "examples found: {}", files.len());
    let disaster = r#"
[exchange]
as_of = "2026-11-25"
[disaster]
disaster_date = "2026-09-01"
postponement_date = "2027-01-15"
affected_taxpayer = true
[taxpayer]
entity = "individual"
[[relinquished]]
id = "x"
location = "TX"
acquired = "2015-01-01"
transferred = "2026-08-01"
sale_price = "100000"
adjusted_basis = "40000"
"#;
    // 2028-04-15 is a Saturday: the §7503 step and finding.
    let weekend_due = r#"
[exchange]
as_of = "2027-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "x"
location = "TX"
acquired = "2015-01-01"
transferred = "2027-11-01"
sale_price = "100000"
adjusted_basis = "40000"
[[identified]]
id = "y"
fmv = "100000"
identified_on = "2027-10-01"
"#;
    files.push(("disaster".into(), disaster.into()));
    files.push(("weekend due date".into(), weekend_due.into()));
    files.push(("texas for puerto rico".into(), texas_for("PR")));
    files.push((
        "early identification".into(),
        early_identification("2026-02-20"),
    ));
    let mut bad = Vec::new();
    for (name, text) in &files {
        let f = match parse_exchange(text, Format::Toml) {
            Ok(f) => f,
            Err(e) => panic!("{name}: {e}"),
        };
        let as_of = f.exchange.as_of.unwrap_or(jiff::civil::date(2026, 11, 25));
        let r = analyze(&f, as_of);
        let json =
            serde_json::to_string(&(&r.findings, &r.explanation)).unwrap_or_else(|e| panic!("{e}"));
        bad.extend(own_document_citations(name, &json));
        if let Ok(a) = likekind_core::plan::resolve(
            f.plan.as_ref(),
            &likekind_core::plan::Overrides::default(),
        ) && let Ok(p) = likekind_core::plan::plan(&f, &r, &a)
        {
            let json = serde_json::to_string(&p).unwrap_or_else(|e| panic!("{e}"));
            bad.extend(own_document_citations(&format!("{name} (plan)"), &json));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}
