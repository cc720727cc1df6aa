//! A validated exchange: what parsing yields. The exchange file passed every input rule
//! (types, ranges, cross-field rules), and the facts several rules share are derived from it
//! once: the first transfer, which starts both periods (IRC §1031(a)(3); Treas. Reg.
//! §1.1031(k)-1(b)(2)), and the aggregate FMV given up, which the 200% rule and the
//! identification measure against (Treas. Reg. §1.1031(k)-1(c)(4)(i)).
//!
//! It reads as the file it wraps (`Deref`), serializes as that file, and can only be made by
//! validation: [`crate::parse_exchange`] or [`Exchange::validate`]. Changing a fact after
//! validation goes through a method that keeps the derived facts true.

use crate::amount::Amount;
use crate::input::errors::InputErrors;
use crate::model::ExchangeFile;
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::ops::Deref;

/// An exchange file that passed validation, with its derived facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    file: ExchangeFile,
    first_transfer: Option<Date>,
    relinquished_fmv: Amount,
}

impl Exchange {
    /// Validates `file` and derives its facts.
    ///
    /// # Errors
    /// Every input rule the file breaks, each naming its field.
    pub fn validate(file: ExchangeFile) -> Result<Exchange, InputErrors> {
        crate::validate::validate(&file)?;
        Ok(Exchange::derive(file))
    }

    fn derive(file: ExchangeFile) -> Exchange {
        let first_transfer = file.first_transfer();
        let relinquished_fmv = file.relinquished_fmv();
        Exchange {
            file,
            first_transfer,
            relinquished_fmv,
        }
    }

    /// The validated file.
    pub fn file(&self) -> &ExchangeFile {
        &self.file
    }

    /// Gives the file back (to edit it; editing means validating again).
    pub fn into_file(self) -> ExchangeFile {
        self.file
    }

    /// Judges the exchange as of `d` (the CLI's `--as-of`): the report date is no fact of the
    /// exchange, so nothing derived changes.
    pub fn set_as_of(&mut self, d: Date) {
        self.file.exchange.as_of = Some(d);
    }

    /// The first transfer of relinquished property (`None` when nothing is given up).
    pub fn first_transfer(&self) -> Option<Date> {
        self.first_transfer
    }

    /// The aggregate FMV of the property given up (its sale prices).
    pub fn relinquished_fmv(&self) -> Amount {
        self.relinquished_fmv
    }
}

impl Deref for Exchange {
    type Target = ExchangeFile;
    fn deref(&self) -> &ExchangeFile {
        &self.file
    }
}

impl AsRef<ExchangeFile> for Exchange {
    fn as_ref(&self) -> &ExchangeFile {
        &self.file
    }
}

impl From<Exchange> for ExchangeFile {
    fn from(e: Exchange) -> ExchangeFile {
        e.file
    }
}

impl Serialize for Exchange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.file.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Format, parse_exchange};

    #[test]
    fn parsing_yields_the_derived_facts_and_serializes_as_the_file() {
        #[allow(clippy::expect_used)]
        let x = parse_exchange(
            r#"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2015-01-10"
transferred = "2026-03-09"
sale_price = "300000"
adjusted_basis = "100000"
[[relinquished]]
id = "b"
location = "TX"
acquired = "2015-01-10"
transferred = "2026-03-02"
sale_price = "200000"
adjusted_basis = "100000"
"#,
            Format::Toml,
        )
        .expect("valid");
        assert_eq!(x.first_transfer(), Some(jiff::civil::date(2026, 3, 2)));
        assert_eq!(x.relinquished_fmv(), crate::Amount::from(500_000));
        assert_eq!(
            serde_json::to_value(&x).ok(),
            serde_json::to_value(x.file()).ok()
        );
    }
}
