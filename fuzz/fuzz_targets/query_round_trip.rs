//! Fuzz target: `properties::query_round_trip`.
#![no_main]

#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::query_round_trip(data));
