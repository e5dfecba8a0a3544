# infra — build, test and benchmark entry points. `make test` is what CI runs (.ci/run).
CARGO ?= cargo
export TF_CLI_CONFIG_FILE ?= /dev/null

.PHONY: build render test lint tools bench fuzz clean

build:
	$(CARGO) build --workspace

## Render every stack in stacks/ into terraform/<stack>/.
render:
	$(CARGO) run --quiet -- render

## The whole test suite: the pinned lint tools (installed once), formatting, lints, unit/integration/snapshot tests,
## and the committed terraform/ is fresh.
test: tools lint
	$(CARGO) test --workspace
	$(CARGO) run --quiet -- render --check

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet

## The pinned tools tests/it/ci_workflows.rs lints the CI files with (actionlint, check-jsonschema, shellcheck,
## pre-commit), installed into .ci/tools/ (gitignored); skipped when already installed. See .ci/install-tools.
tools:
	.ci/install-tools

## Benchmarks (release build): every `[[bench]]` target under tests/benches/ (harness = false); figures go in
## closing notes.
bench:
	$(CARGO) bench --workspace

## Property tests run long, release build: every free-text stack field renders as a literal (and invalid ones are
## refused naming the field), no input panics a reader (stack, .tf/.tf.json, plan, infra.toml), random
## expressions and configurations evaluate within the evaluator's budget and bounded memory, and every graph
## label stays text. `make test` runs the same tests with a few cases each.
fuzz:
	PROPTEST_CASES=$${PROPTEST_CASES:-20000} $(CARGO) test --release --test it -- stack_values_literal:: no_panic:: graph::any_name::

clean:
	$(CARGO) clean
