# docgen — 两条命令：make demo（安装并生成示例）与 make test（安装并运行全部测试）
SHELL := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLES := $(filter-out examples/batch-notice.yaml,$(wildcard examples/*.yaml))
FORMATS ?= -f docx -f pdf

# System packages: free CJK fonts for the PDF (Noto CJK, AR PL KaitiM GB, WenQuanYi Zen Hei,
# Liberation for Latin), fontconfig, and for the tests LibreOffice + poppler to check the .docx
# and Chromium for the browser tests of docgen serve (driven by Playwright, never downloaded).
RUNTIME_DEBS := fonts-noto-cjk fonts-arphic-gkai00mp fonts-wqy-zenhei fonts-liberation2 fontconfig
TEST_DEBS    := libreoffice-writer-nogui poppler-utils chromium

.PHONY: demo test bench fonts system-deps test-deps clean help

help:
	@echo "make demo   安装依赖（含系统字体），把 examples/ 中的示例生成到 outputs/"
	@echo "make test   安装依赖（含 LibreOffice），运行全部测试"
	@echo "make bench  运行基准测试，结果写入 bench/RESULTS.md"

demo: $(STAMP) fonts
	@for f in $(EXAMPLES); do $(BIN)/docgen render "$$f" $(FORMATS) -o outputs || exit $$?; done
	@# The batch example has one deliberately broken row (see README), so exit code 1 is expected.
	@$(BIN)/docgen batch examples/batch-notice.yaml --data examples/units.csv $(FORMATS) \
	  -o outputs/batch --name "{序号}-{单位}"; rc=$$?; [ $$rc -le 1 ] || exit $$rc

test: $(STAMP) fonts test-deps
	$(BIN)/python -m pytest -q

bench: $(STAMP) fonts test-deps
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python bench/run.py

fonts: $(STAMP) fandol-fonts
	$(BIN)/docgen fonts build

# Fandol faces (FandolFang 仿宋 — the PDF's body face —, FandolKai, FandolHei, FandolSong; GPL +
# font exception) from Debian's texlive-lang-chinese (49 MB): only the font files are extracted,
# TeX is not installed. Idempotent: nothing happens when the folder already holds
# FandolFang-Regular.otf. Needs root or sudo; refreshes the package lists once if the download fails.
FANDOL_DIR ?= /usr/local/share/fonts/fandol
FANDOL_SRC := ./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
.PHONY: fandol-fonts
fandol-fonts: system-deps
	@if [ ! -f "$(FANDOL_DIR)/FandolFang-Regular.otf" ]; then \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	  tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cd $$tmp && \
	  { apt-get download -q texlive-lang-chinese || \
	    { $$SUDO apt-get update -q && apt-get download -q texlive-lang-chinese; }; } && \
	  dpkg-deb --fsys-tarfile texlive-lang-chinese_*.deb | \
	    tar -x -C $$tmp --wildcards '$(FANDOL_SRC)/Fandol[FHKS]*.otf' && \
	  $$SUDO mkdir -p "$(FANDOL_DIR)" && \
	  $$SUDO cp -p $$tmp/$(FANDOL_SRC)/Fandol*.otf "$(FANDOL_DIR)/" && \
	  $$SUDO chmod 644 "$(FANDOL_DIR)"/Fandol*.otf && \
	  $$SUDO fc-cache "$(FANDOL_DIR)" && echo "已安装 Fandol 字体到 $(FANDOL_DIR)"; \
	fi

# Install Debian packages only when some are missing (needs root or sudo).
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "安装系统软件包：$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

system-deps:
	$(call install_debs,$(RUNTIME_DEBS))

test-deps:
	$(call install_debs,$(TEST_DEBS))

$(STAMP): pyproject.toml | system-deps
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更新版本"'
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV) || { \
	  $(MAKE) --no-print-directory python-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q -e '.[test,serve]'
	@touch $@

.PHONY: python-venv
python-venv:
	$(call install_debs,python3-venv)

clean:
	rm -rf $(VENV) outputs/*.docx outputs/*.pdf outputs/*.png .pytest_cache
