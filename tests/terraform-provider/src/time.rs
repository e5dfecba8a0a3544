//! `terraform-provider-time`: infra's schema-only test provider serving the vendored hashicorp/time `time_sleep`
//! schema (the stacks wait for AcrPull propagation with it).

fn main() {
    infra_test_provider::plugin::main(infra_test_provider::schema::Served::Time);
}
