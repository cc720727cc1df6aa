//! After the exchange: depreciation of the replacement (Treas. Reg. §1.168(i)-6) and its MACRS
//! tables, a straddle across tax years, death of the taxpayer and the states that claw back
//! or track deferred gain.

pub mod death;
pub mod depreciation;
pub mod macrs;
pub mod states;
pub mod straddle;
