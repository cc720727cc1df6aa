//! Gain: the money of the closings, Form 8824 Parts I–III, the character of the gain and its
//! recapture, the basis of what was received and the multi-asset exchange groups.

pub mod balance;
pub mod basis;
pub mod character;
pub mod form8824;
pub mod multi_asset;
pub mod recapture;
