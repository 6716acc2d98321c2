# Thin aliases for the two README commands and CI.
.PHONY: run test ci
run:
	scripts/run
test:
	scripts/test
ci:
	bash .ci/run
