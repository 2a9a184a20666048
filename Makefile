# powerlist — the commands a user types. `make serve` and `make test` install what they need first.
PY          ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
PYTHON      := $(BIN)/python
PELICAN     := $(BIN)/pelican
POWERLIST   := $(BIN)/powerlist
DATA        ?= .
OUTPUTDIR   ?= output
PORT        ?= 8000
BENCH_ARGS  ?=

INSTALLED_PY  := $(VENV)/.installed
INSTALLED_NPM := node_modules/.installed

.PHONY: help install html serve devserver publish clean github test bench validate typecheck docs

help:
	@echo "make serve      build the sample site and serve it on http://127.0.0.1:$(PORT)"
	@echo "make test       run every test (installs what it needs)"
	@echo "make html       build the site into $(OUTPUTDIR)/ (DATA=folder for another data set)"
	@echo "make devserver  rebuild when items/, laws/, content/ or theme/ change, and serve"
	@echo "make publish    production build (publishconf.py)"
	@echo "make github     publish to GitHub Pages (gh-pages branch, via ghp-import)"
	@echo "make bench      benchmarks on synthetic data"
	@echo "make validate   check the data (powerlist validate)"
	@echo "make docs       regenerate docs/cli.md and docs/settings.md"

install: $(INSTALLED_PY) $(INSTALLED_NPM)

$(INSTALLED_PY): pyproject.toml
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -e '.[dev]'
	touch $@

$(INSTALLED_NPM): package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

validate: install
	$(POWERLIST) validate $(DATA)

html: install
	$(POWERLIST) build $(DATA) -o $(OUTPUTDIR)

serve: html
	@echo "Serving $(OUTPUTDIR)/ on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory $(OUTPUTDIR)

devserver: install
	$(POWERLIST) devserver $(DATA) -o $(OUTPUTDIR) --port $(PORT)

publish: install
	$(POWERLIST) build $(DATA) -o $(OUTPUTDIR) --settings publishconf.py

github: publish
	$(BIN)/ghp-import -m "Publish site" -b gh-pages $(OUTPUTDIR)
	git push origin gh-pages

clean:
	rm -rf $(OUTPUTDIR) .pytest_cache

typecheck: install
	$(BIN)/mypy powerlist

test: install
	$(BIN)/mypy powerlist
	$(BIN)/lint-imports
	$(PYTHON) -m pytest -q

docs: install
	$(PYTHON) -m powerlist.cli.reference

bench: install
	$(PYTHON) scripts/bench.py $(BENCH_ARGS)
