#![allow(dead_code)]
pub mod arm;
pub mod fake_arm;
#[macro_use]
pub mod snapshots;
