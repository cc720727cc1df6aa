//! The strategies for one exchange file, one file each. Every figure starts from the
//! engine's reports: the report of the file as entered and the report of the same file with
//! no replacement property (the exchange as if it failed, a fully taxable sale). Nothing here
//! recomputes Form 8824.

mod complete_1031;
mod dst_fallback;
mod failed_gain_to_qof;
mod installment_sale;
mod partial_as_entered;
mod partial_boot_to_qof;
mod related_trigger;
mod sell_pay_tax;

pub(crate) use complete_1031::complete_1031;
pub(crate) use dst_fallback::dst_fallback;
pub(crate) use failed_gain_to_qof::failed_gain_to_qof;
pub(crate) use installment_sale::installment_sale;
pub(crate) use partial_as_entered::partial_as_entered;
pub(crate) use partial_boot_to_qof::partial_boot_to_qof;
pub(crate) use sell_pay_tax::sell_pay_tax;
