//! The integration tests, in one binary: the library and the dev-dependencies are linked once, not once per test
//! file (30 binaries before issue 11). One module per area; `support` holds the fake Azure Resource Manager and the
//! snapshot settings (`snapshot!`, `json_snapshot!`). Run one area with a filter: `cargo test --test it diff_cli::`.

#[macro_use]
mod support;

mod app_features;
mod apps_and_jobs;
mod check_apply_rules;
mod check_azapi;
mod check_baseline;
mod check_boundaries;
mod check_cli;
mod check_evaluation;
mod check_expansion;
mod check_modules;
mod check_policy;
mod check_readme;
mod check_realworld;
mod check_references;
mod check_rules;
mod check_sarif_schema;
mod check_semantics;
mod check_suppressions;
mod check_types;
mod ci_workflows;
mod cleanup_validation;
mod cli_drift;
mod cli_render;
mod cli_shell;
mod custom_domains;
mod deploy_from_ci;
mod diff_cli;
mod diff_evaluation;
mod diff_matches_terraform;
mod diff_plan_input;
mod diff_plans;
mod diff_scenarios;
mod diff_sensitive;
mod diff_stacks;
mod diff_terraform;
mod diff_views;
mod diff_without_schema;
mod drift_azure;
mod drift_compare;
mod existing_network;
mod functions;
mod graph;
mod internal_load_balancer;
mod no_panic;
mod platform_example;
mod read_terraform_syntax;
mod readme;
mod realplan;
mod render_output;
mod schemas_passed_in;
mod security_budgets;
mod security_output;
mod security_reads;
mod security_secrets;
mod security_writes;
mod stack_schema;
mod stack_validation;
mod stack_values_literal;
mod terraform_document;
