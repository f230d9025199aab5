# The verbs people type. Every target sets up what it needs on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
CDK_DEPS_STAMP := $(VENV)/.cdk-installed
DEV_STAMP := $(VENV)/.dev-installed
# The CDK CLI must read aws-cdk-lib 2.275's cloud assembly (schema 55): CLI 2.1148.0 or newer.
CDK_CLI_VERSION := 2.1148.1
CDK := node_modules/.bin/cdk
CDK_STAMP := node_modules/.aws-cdk-$(CDK_CLI_VERSION)
CDK_ARGS ?=
PORT ?= 8080
# The bot to run or deploy (its intent handlers are in handlers/ beside it): make serve BOT=examples/coffee_shop/bot.json
BOT ?=
BOT_CDK_ARGS := $(if $(BOT),-c botDefinition=$(BOT))
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve test lint fmt typecheck synth bootstrap deploy destroy bench clean system-deps browser node js-test-deps lock

## serve: run the whole chatbot locally on http://127.0.0.1:$(PORT) (BOT=path/to/bot.json picks the bot)
serve: $(RUNTIME_STAMP)
	@PORT=$(PORT) $(if $(BOT),BOT_DEFINITION=$(BOT)) $(BIN)/python -m devserver

## test: install everything the tests need, then run all of them
test: $(DEV_STAMP) system-deps js-test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

fmt: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(RUNTIME_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(CDK_DEPS_STAMP): $(RUNTIME_STAMP) requirements-cdk.txt
	$(BIN)/pip install -q -r requirements-cdk.txt
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) $(CDK_DEPS_STAMP) requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# System packages the tests use: Debian's chromium for the browser tests, node for the CDK's jsii.
system-deps: browser node

# chromium for the page's browser tests; fonts-nanum so Korean text renders in their screenshots.
browser:
	@{ command -v chromium && dpkg -s fonts-nanum; } >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-nanum; }

node:
	@command -v node >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }

# What the node tests need, installed into tests/js/node_modules with `npm ci` from tests/js/package-lock.json
# (exact pins, never global): the AWS SDK for JavaScript v3 Lex client that the emulator's JS-client test drives,
# and jsdom, the DOM the page modules' unit tests (tests/js/page) run in. Re-runs when package.json or the lock changes.
js-test-deps: tests/js/node_modules/.installed

tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json | node
	cd tests/js && npm ci --no-audit --no-fund --silent
	touch $@

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The pinned CDK CLI, installed into ./node_modules (never globally); the stamp re-installs on a new pin.
$(CDK_STAMP): | node
	npm install --no-save --no-package-lock --no-audit --no-fund --silent aws-cdk@$(CDK_CLI_VERSION)
	touch $@

## synth: print the CloudFormation template (cdk-nag runs in app.py; CDK_ARGS="-c bundle=false" skips pip)
synth: $(CDK_DEPS_STAMP) $(CDK_STAMP)
	@PATH="$(CURDIR)/$(BIN):$$PATH" $(CDK) synth $(BOT_CDK_ARGS) $(CDK_ARGS)

## lock: re-resolve the Lambda assets' hashed dependency locks (lambda-locks/; with BOT=..., its handlers' lock too)
lock: $(DEV_STAMP)
	$(BIN)/python -m cdk_chatbot.locks $(if $(BOT),--bot $(BOT))

## bootstrap: prepare the AWS account and region in your environment for CDK (once per account/region)
bootstrap: $(CDK_DEPS_STAMP) $(CDK_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(CDK) bootstrap $(CDK_ARGS)

## deploy: deploy the stack to the AWS account in your environment
deploy: $(CDK_DEPS_STAMP) $(CDK_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(CDK) deploy $(BOT_CDK_ARGS) $(CDK_ARGS)

## destroy: delete the stack (bucket, logs, secret go; API Gateway's account-wide log role stays)
destroy: $(CDK_DEPS_STAMP) $(CDK_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(CDK) destroy $(CDK_ARGS)

## bench: run the benchmark scripts and print their figures
bench: $(DEV_STAMP)
	@for b in bench/*.py; do echo "== $$b"; PYTHONPATH=. $(BIN)/python $$b || exit 1; done

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache test-output
