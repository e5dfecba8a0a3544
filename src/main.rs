//! The `infra` binary: the allocator and a call to [`infra::run`]; everything else is the library.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: reading a large plan allocates and frees millions of small values
/// (one resource change at a time), which glibc's malloc spends about a quarter of `infra diff --plan`'s time on
/// (measured with `make bench`, see the README's Performance section). [`infra::Allocator`] is mimalloc with the
/// memory ceiling untrusted Rego policies run under.
#[global_allocator]
static ALLOCATOR: infra::Allocator = infra::Allocator;

fn main() -> ExitCode {
    infra::Allocator::configure();
    infra::run()
}
