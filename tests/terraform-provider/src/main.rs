//! `terraform-provider-azurerm`: infra's schema-only test provider serving the vendored azurerm 4.79.0 schemas.

fn main() {
    infra_test_provider::plugin::main(infra_test_provider::schema::Served::Azurerm);
}
