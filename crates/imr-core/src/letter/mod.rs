//! Final Determination Letters: reading them into a [`Determination`](crate::Determination) and
//! writing them back out.

pub mod citation;
pub mod html;
pub mod read;
pub mod write;

pub use read::read_letter;
