pub mod normalize;
pub mod roles;
