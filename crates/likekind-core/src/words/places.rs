//! The names of the places a property's `location` code can name: the States, DC and the
//! US territories by their two-letter postal codes, other countries by their ISO 3166-1
//! alpha-2 codes (the names as people commonly write them); and the way back, from a place
//! a person types ("California", "ca", "Mexico", "MX") to its `location` code.

/// The States, DC and the US territories and possessions, by postal code.
const US: [(&str, &str); 57] = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("PR", "Puerto Rico"),
    ("GU", "Guam"),
    ("VI", "US Virgin Islands"),
    ("AS", "American Samoa"),
    ("MP", "Northern Mariana Islands"),
    ("UM", "US Minor Outlying Islands"),
];

/// Countries other than the United States, by ISO 3166-1 alpha-2 code, in code order.
const COUNTRIES: [(&str, &str); 248] = [
    ("AD", "Andorra"),
    ("AE", "United Arab Emirates"),
    ("AF", "Afghanistan"),
    ("AG", "Antigua and Barbuda"),
    ("AI", "Anguilla"),
    ("AL", "Albania"),
    ("AM", "Armenia"),
    ("AO", "Angola"),
    ("AQ", "Antarctica"),
    ("AR", "Argentina"),
    ("AS", "American Samoa"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("AW", "Aruba"),
    ("AX", "Åland Islands"),
    ("AZ", "Azerbaijan"),
    ("BA", "Bosnia and Herzegovina"),
    ("BB", "Barbados"),
    ("BD", "Bangladesh"),
    ("BE", "Belgium"),
    ("BF", "Burkina Faso"),
    ("BG", "Bulgaria"),
    ("BH", "Bahrain"),
    ("BI", "Burundi"),
    ("BJ", "Benin"),
    ("BL", "Saint Barthélemy"),
    ("BM", "Bermuda"),
    ("BN", "Brunei Darussalam"),
    ("BO", "Bolivia"),
    ("BQ", "Bonaire, Sint Eustatius and Saba"),
    ("BR", "Brazil"),
    ("BS", "Bahamas"),
    ("BT", "Bhutan"),
    ("BV", "Bouvet Island"),
    ("BW", "Botswana"),
    ("BY", "Belarus"),
    ("BZ", "Belize"),
    ("CA", "Canada"),
    ("CC", "Cocos (Keeling) Islands"),
    ("CD", "Democratic Republic of the Congo"),
    ("CF", "Central African Republic"),
    ("CG", "Congo"),
    ("CH", "Switzerland"),
    ("CI", "Côte d'Ivoire"),
    ("CK", "Cook Islands"),
    ("CL", "Chile"),
    ("CM", "Cameroon"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CU", "Cuba"),
    ("CV", "Cabo Verde"),
    ("CW", "Curaçao"),
    ("CX", "Christmas Island"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DJ", "Djibouti"),
    ("DK", "Denmark"),
    ("DM", "Dominica"),
    ("DO", "Dominican Republic"),
    ("DZ", "Algeria"),
    ("EC", "Ecuador"),
    ("EE", "Estonia"),
    ("EG", "Egypt"),
    ("EH", "Western Sahara"),
    ("ER", "Eritrea"),
    ("ES", "Spain"),
    ("ET", "Ethiopia"),
    ("FI", "Finland"),
    ("FJ", "Fiji"),
    ("FK", "Falkland Islands"),
    ("FM", "Micronesia"),
    ("FO", "Faroe Islands"),
    ("FR", "France"),
    ("GA", "Gabon"),
    ("GB", "United Kingdom"),
    ("GD", "Grenada"),
    ("GE", "Georgia"),
    ("GF", "French Guiana"),
    ("GG", "Guernsey"),
    ("GH", "Ghana"),
    ("GI", "Gibraltar"),
    ("GL", "Greenland"),
    ("GM", "Gambia"),
    ("GN", "Guinea"),
    ("GP", "Guadeloupe"),
    ("GQ", "Equatorial Guinea"),
    ("GR", "Greece"),
    ("GS", "South Georgia and the South Sandwich Islands"),
    ("GT", "Guatemala"),
    ("GU", "Guam"),
    ("GW", "Guinea-Bissau"),
    ("GY", "Guyana"),
    ("HK", "Hong Kong"),
    ("HM", "Heard Island and McDonald Islands"),
    ("HN", "Honduras"),
    ("HR", "Croatia"),
    ("HT", "Haiti"),
    ("HU", "Hungary"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IM", "Isle of Man"),
    ("IN", "India"),
    ("IO", "British Indian Ocean Territory"),
    ("IQ", "Iraq"),
    ("IR", "Iran"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("JE", "Jersey"),
    ("JM", "Jamaica"),
    ("JO", "Jordan"),
    ("JP", "Japan"),
    ("KE", "Kenya"),
    ("KG", "Kyrgyzstan"),
    ("KH", "Cambodia"),
    ("KI", "Kiribati"),
    ("KM", "Comoros"),
    ("KN", "Saint Kitts and Nevis"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("KW", "Kuwait"),
    ("KY", "Cayman Islands"),
    ("KZ", "Kazakhstan"),
    ("LA", "Laos"),
    ("LB", "Lebanon"),
    ("LC", "Saint Lucia"),
    ("LI", "Liechtenstein"),
    ("LK", "Sri Lanka"),
    ("LR", "Liberia"),
    ("LS", "Lesotho"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("LY", "Libya"),
    ("MA", "Morocco"),
    ("MC", "Monaco"),
    ("MD", "Moldova"),
    ("ME", "Montenegro"),
    ("MF", "Saint Martin"),
    ("MG", "Madagascar"),
    ("MH", "Marshall Islands"),
    ("MK", "North Macedonia"),
    ("ML", "Mali"),
    ("MM", "Myanmar"),
    ("MN", "Mongolia"),
    ("MO", "Macao"),
    ("MP", "Northern Mariana Islands"),
    ("MQ", "Martinique"),
    ("MR", "Mauritania"),
    ("MS", "Montserrat"),
    ("MT", "Malta"),
    ("MU", "Mauritius"),
    ("MV", "Maldives"),
    ("MW", "Malawi"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("MZ", "Mozambique"),
    ("NA", "Namibia"),
    ("NC", "New Caledonia"),
    ("NE", "Niger"),
    ("NF", "Norfolk Island"),
    ("NG", "Nigeria"),
    ("NI", "Nicaragua"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NP", "Nepal"),
    ("NR", "Nauru"),
    ("NU", "Niue"),
    ("NZ", "New Zealand"),
    ("OM", "Oman"),
    ("PA", "Panama"),
    ("PE", "Peru"),
    ("PF", "French Polynesia"),
    ("PG", "Papua New Guinea"),
    ("PH", "Philippines"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("PM", "Saint Pierre and Miquelon"),
    ("PN", "Pitcairn"),
    ("PR", "Puerto Rico"),
    ("PS", "Palestine"),
    ("PT", "Portugal"),
    ("PW", "Palau"),
    ("PY", "Paraguay"),
    ("QA", "Qatar"),
    ("RE", "Réunion"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("RU", "Russia"),
    ("RW", "Rwanda"),
    ("SA", "Saudi Arabia"),
    ("SB", "Solomon Islands"),
    ("SC", "Seychelles"),
    ("SD", "Sudan"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("SH", "Saint Helena, Ascension and Tristan da Cunha"),
    ("SI", "Slovenia"),
    ("SJ", "Svalbard and Jan Mayen"),
    ("SK", "Slovakia"),
    ("SL", "Sierra Leone"),
    ("SM", "San Marino"),
    ("SN", "Senegal"),
    ("SO", "Somalia"),
    ("SR", "Suriname"),
    ("SS", "South Sudan"),
    ("ST", "Sao Tome and Principe"),
    ("SV", "El Salvador"),
    ("SX", "Sint Maarten"),
    ("SY", "Syria"),
    ("SZ", "Eswatini"),
    ("TC", "Turks and Caicos Islands"),
    ("TD", "Chad"),
    ("TF", "French Southern Territories"),
    ("TG", "Togo"),
    ("TH", "Thailand"),
    ("TJ", "Tajikistan"),
    ("TK", "Tokelau"),
    ("TL", "Timor-Leste"),
    ("TM", "Turkmenistan"),
    ("TN", "Tunisia"),
    ("TO", "Tonga"),
    ("TR", "Türkiye"),
    ("TT", "Trinidad and Tobago"),
    ("TV", "Tuvalu"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("UA", "Ukraine"),
    ("UG", "Uganda"),
    ("UM", "US Minor Outlying Islands"),
    ("UY", "Uruguay"),
    ("UZ", "Uzbekistan"),
    ("VA", "Vatican City"),
    ("VC", "Saint Vincent and the Grenadines"),
    ("VE", "Venezuela"),
    ("VG", "British Virgin Islands"),
    ("VI", "US Virgin Islands"),
    ("VN", "Vietnam"),
    ("VU", "Vanuatu"),
    ("WF", "Wallis and Futuna"),
    ("WS", "Samoa"),
    ("YE", "Yemen"),
    ("YT", "Mayotte"),
    ("ZA", "South Africa"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
];

/// The US territories and possessions: outside the United States for §1031(h) (IRC
/// §7701(a)(9)).
const TERRITORIES: [&str; 6] = ["PR", "GU", "VI", "AS", "MP", "UM"];

/// A State's, DC's or US territory's name from its two-letter code, and whether it is a
/// territory.
pub(super) fn us(code: &str) -> Option<(&'static str, bool)> {
    US.iter()
        .find(|(c, _)| *c == code)
        .map(|(c, n)| (*n, TERRITORIES.contains(c)))
}

/// A country's name from its ISO 3166-1 alpha-2 code (`MX` → "Mexico").
pub(super) fn country(code: &str) -> Option<&'static str> {
    COUNTRIES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| COUNTRIES[i].1)
}

/// The few other ways people commonly write a place of the tables (lower case, without
/// periods): not a second table, only what the names above do not say.
const ALIASES: [(&str, &str); 6] = [
    ("washington dc", "DC"),
    ("virgin islands", "VI"),
    ("usvi", "VI"),
    ("uk", "foreign:GB"),
    ("great britain", "foreign:GB"),
    ("england", "foreign:GB"),
];

/// What [`words::location`](super::location) adds after a place's name, and what a form
/// adds to a country named like a State ("Georgia (country)"): read past when typed back
/// (as [`plain`] has them).
const QUALIFIERS: [&str; 3] = [
    "(outside the united states)",
    "(a us territory outside the united states)",
    "(country)",
];

/// A place as typed, compared: lower case, periods dropped, commas read as spaces, spaces
/// single, trimmed.
fn plain(s: &str) -> String {
    s.replace('.', "")
        .replace(',', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The `location` code of a place a person typed: a State, DC or US territory by its name or
/// postal code ("California", "ca", "Puerto Rico", "PR"), another country by its name or
/// ISO code ("Mexico", "MX", "Georgia (country)"), or the code itself ("foreign:MX"). A two-
/// letter code is a State's or territory's before a country's ("CA" is California, Canada is
/// "Canada"). A US territory stays a territory code ("PR", not "foreign:PR"): the engine
/// treats it as outside the United States for §1031(h) (IRC §7701(a)(9)) and says what else
/// applies there (IRC §§932, 935). `None` when the words name no place of the tables, or the
/// United States as a whole.
pub fn location_code(typed: &str) -> Option<String> {
    let mut t = plain(typed);
    if let Some(cc) = t.strip_prefix("foreign:") {
        let cc = cc.trim().to_uppercase();
        return country(&cc).map(|_| abroad(&cc));
    }
    // "Georgia (country)" is the country, whatever a State is called.
    let mut foreign = false;
    for q in QUALIFIERS {
        if let Some(rest) = t.strip_suffix(q) {
            foreign = q == "(country)";
            t = rest.trim().to_string();
            break;
        }
    }
    if let Some((_, code)) = ALIASES.iter().find(|(a, _)| *a == t) {
        return Some((*code).to_string());
    }
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        let cc = t.to_uppercase();
        if !foreign && us(&cc).is_some() {
            return Some(cc);
        }
        return country(&cc).map(|_| abroad(&cc));
    }
    let named = |&(c, n): &(&'static str, &'static str)| (plain(n) == t).then_some(c);
    if !foreign && let Some(c) = US.iter().find_map(named) {
        return Some(c.to_string());
    }
    COUNTRIES.iter().find_map(named).map(abroad)
}

/// The code of a place outside the States and DC from its ISO code: a US territory's own code
/// (the engine's territory, IRC §7701(a)(9)), another country's `foreign:XX`.
fn abroad(cc: &str) -> String {
    match us(cc) {
        Some((_, true)) => cc.to_string(),
        _ => format!("foreign:{cc}"),
    }
}

/// A `location` code as a form shows it back, in words: "California", "Puerto Rico",
/// "Mexico", "Georgia (country)" (a country named like a State says so, so that it is read
/// back as the country). A code that names nothing is given as it is.
pub fn place_name(code: &str) -> String {
    let code = code.trim();
    if let Some(cc) = code.strip_prefix("foreign:") {
        let state_named = |n: &str| US.iter().any(|(c, s)| *s == n && !TERRITORIES.contains(c));
        return match country(cc) {
            Some(n) if state_named(n) => format!("{n} (country)"),
            Some(n) => n.to_string(),
            None => code.to_string(),
        };
    }
    us(code).map_or_else(|| code.to_string(), |(n, _)| n.to_string())
}

/// Every place a form suggests, as [`place_name`] says it: the States and DC, the US
/// territories, then the other countries (those that are US territories once, as territories).
pub fn place_names() -> impl Iterator<Item = String> {
    US.iter().map(|(_, n)| (*n).to_string()).chain(
        COUNTRIES
            .iter()
            .filter(|(c, _)| !TERRITORIES.contains(c))
            .map(|(c, _)| place_name(&format!("foreign:{c}"))),
    )
}

/// Whether a property's description already ends with its place: the State's (or
/// territory's) code or name, or the country's name, case aside, after any punctuation and a
/// ZIP code ("12 Oak St, Sacramento CA", "…, Sacramento, California 95814."), so that the
/// place is not said twice beside it.
pub fn ends_with_place(description: &str, code: &str) -> bool {
    let words: Vec<String> = description
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    // A ZIP code after the State (12345, or 12345-6789, the hyphen read as a break).
    let digits = |w: &String, n: usize| w.len() == n && w.chars().all(|c| c.is_ascii_digit());
    let end = match words.as_slice() {
        [.., a, b] if digits(a, 5) && digits(b, 4) => words.len() - 2,
        [.., a] if digits(a, 5) => words.len() - 1,
        _ => words.len(),
    };
    let words = &words[..end];
    let ends_with = |name: &str| {
        let n: Vec<String> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        !n.is_empty() && words.ends_with(&n)
    };
    let code = code.trim();
    match code.strip_prefix("foreign:") {
        Some(cc) => country(cc).is_some_and(ends_with),
        None => us(code).is_some_and(|(n, _)| ends_with(code) || ends_with(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QA: the forms asked for "State (two letters) or foreign:XX"; a place is typed in words
    /// or by its code and stored in the exchange file's format.
    #[test]
    fn places_typed_in_words_or_codes_give_the_file_code() {
        for (typed, code) in [
            ("California", "CA"),
            ("  california ", "CA"),
            ("ca", "CA"),
            ("CA", "CA"),
            ("Canada", "foreign:CA"),
            ("Mexico", "foreign:MX"),
            ("MX", "foreign:MX"),
            ("mexico (outside the United States)", "foreign:MX"),
            ("foreign:mx", "foreign:MX"),
            ("District of Columbia", "DC"),
            ("Washington, D.C.", "DC"),
            ("New  York", "NY"),
            ("Georgia", "GA"),
            ("Georgia (country)", "foreign:GE"),
            ("GE", "foreign:GE"),
            // A territory stays the engine's territory (IRC §7701(a)(9)), however typed.
            ("Puerto Rico", "PR"),
            ("pr", "PR"),
            ("foreign:PR", "PR"),
            (
                "Puerto Rico (a US territory, outside the United States)",
                "PR",
            ),
            ("U.S. Virgin Islands", "VI"),
            ("UK", "foreign:GB"),
            ("United Kingdom", "foreign:GB"),
        ] {
            assert_eq!(location_code(typed).as_deref(), Some(code), "{typed}");
        }
        for typed in [
            "",
            "Atlantis",
            "XX",
            "US",
            "United States",
            "foreign:US",
            "foreign:",
        ] {
            assert_eq!(location_code(typed), None, "{typed}");
        }
    }

    /// Shown back in a form, a code reads as the place, and reads back as the same code.
    #[test]
    fn a_code_is_shown_back_in_words_that_read_back_the_same() {
        assert_eq!(place_name("CA"), "California");
        assert_eq!(place_name("foreign:MX"), "Mexico");
        assert_eq!(place_name("foreign:GE"), "Georgia (country)");
        assert_eq!(place_name("PR"), "Puerto Rico");
        let names: Vec<String> = place_names().collect();
        assert!(names.len() > 290, "{}", names.len());
        for n in &names {
            let code = location_code(n).unwrap_or_else(|| panic!("{n}"));
            assert_eq!(&place_name(&code), n, "{code}");
            assert!(
                crate::model::LocationKind::of(&code).is_some(),
                "{n}: {code} is not a file code"
            );
        }
        // Each place once.
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
    }

    /// QA: "Sacramento CA, CA" on the identification notice: a description that ends with its
    /// place already says it.
    #[test]
    fn a_description_ending_with_its_place_is_seen() {
        for (d, code) in [
            ("12 Oak St, Sacramento CA", "CA"),
            ("12 Oak St, Sacramento, ca.", "CA"),
            ("12 Oak St, Sacramento, California 95814", "CA"),
            ("12 Oak St, Sacramento, CA 95814-1234", "CA"),
            ("1 Main St, New York, New York", "NY"),
            ("Lot 4, Cancún, Mexico", "foreign:MX"),
            ("Calle 5, San Juan, PR", "PR"),
        ] {
            assert!(ends_with_place(d, code), "{d} / {code}");
        }
        for (d, code) in [
            ("12 Oak St, Sacramento", "CA"),
            ("Cabin near Lake Tahoe, NV", "CA"),
            ("Oak Street Industrial", "CA"),
            ("1 Main St, York", "NY"),
            ("Casa", "CA"),
            ("", "CA"),
            ("Lot 4, Cancún", "foreign:MX"),
        ] {
            assert!(!ends_with_place(d, code), "{d} / {code}");
        }
    }
}
