//! `terraform-provider-azurerm`: infra's schema-only test provider. One binary serves three providers, chosen
//! by the file name it is started as (`schema::Served::for_program`): `terraform-provider-azurerm` the vendored
//! azurerm 4.79.0 schemas, `terraform-provider-time` the vendored hashicorp/time `time_sleep` schema,
//! `terraform-provider-corpus` the plan corpus's hand-made `hashicorp/corpus` provider. The harness links it
//! under each name (`harness::provider_dir`).

fn main() {
    let served = infra_test_provider::schema::Served::for_program(std::env::args_os().next().as_deref());
    infra_test_provider::plugin::main(served);
}
