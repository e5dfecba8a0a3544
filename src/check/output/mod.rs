//! Report renderings.
