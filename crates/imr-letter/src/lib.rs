//! Final Determination Letters: reading them into a [`Determination`](imr_core::Determination) and
//! writing them back out.

pub mod citation;
pub mod html;
pub mod read;
pub mod write;

pub use read::read_letter;
