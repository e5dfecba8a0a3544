//! Generates the gRPC server code for the plugin protocol. `protoc` comes from the
//! `protoc-bin-vendored` crate, so a fresh clone needs nothing beyond a Rust toolchain.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // Build scripts are single-threaded; prost-build reads PROTOC below.
    std::env::set_var("PROTOC", protoc);
    let protos = ["proto/tfplugin6.proto", "proto/plugin.proto", "proto/health.proto"];
    for p in &protos {
        println!("cargo:rerun-if-changed={p}");
    }
    tonic_prost_build::configure()
        .build_client(false)
        .compile_protos(&protos, &["proto"])?;
    Ok(())
}
