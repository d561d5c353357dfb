//! Aurum Circle photo analysis and scoring core.
//!
//! Every module except `abi` is safe Rust; `abi` holds the C-ABI exports and the only pointer
//! conversions. The same code is compiled natively (tests, bench) and to `wasm32-unknown-unknown`.
#![deny(unsafe_code)]

pub mod abi;
pub mod decode;
pub mod embed;
pub mod encode;
pub mod error;
pub mod exif;
pub mod face;
pub mod features;
pub mod image;
pub mod index;
pub mod model;
pub mod pipeline;
pub mod simd;
