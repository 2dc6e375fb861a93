# The two set-up commands of the project, and a few more. See README.md.
.PHONY: run test matrix bench load i18n setup stop-db clean

run:            ## install what is missing, create crm_demo, serve on 127.0.0.1:8069
	bash scripts/run.sh

test:           ## fresh database, every test, install matrix; ends with "N passed, N failed"
	bash scripts/test.sh

matrix:         ## only the install matrix (each addon alone, editions uninstall)
	bash scripts/matrix.sh

bench:          ## the benchmarks of tests/bench/, each printing its figures
	bash scripts/bench.sh

load:           ## load test: reps, managers, GM over RPC for 120 s on 200,000 customers (CRM_LOAD_*)
	bash scripts/load.sh

i18n:           ## refresh .pot files, merge them into zh_CN.po, list untranslated terms
	bash scripts/i18n.sh

setup:          ## only the venv, the system packages and PostgreSQL
	bash -c 'source scripts/lib.sh && ensure_system_packages && ensure_venv && ensure_pg'

stop-db:        ## stop the project-local PostgreSQL cluster
	bash -c 'source scripts/lib.sh && stop_embedded_pg'

clean: stop-db  ## remove the venv, the local cluster, filestore and logs
	rm -rf .venv .local
