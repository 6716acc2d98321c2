# Shared helpers for scripts/run, scripts/test and .ci/run (sourced, not executed).
# Every step is idempotent and cheap when nothing changed: the Python dependencies are reinstalled only
# when pyproject.toml changes (a hash stamp in .venv), node_modules only when package-lock.json changes.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${OFFICE_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
CHROMIUM="${OFFICE_CHROMIUM:-/usr/bin/chromium}"

section() { printf '\n========== %s ==========\n' "$*"; }
info() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

_hash() { sha256sum "$@" | sha256sum | cut -c1-32; }

find_python311() {
    local candidate
    for candidate in "${OFFICE_PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [ ! -x "$PY" ] || ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
        local python
        python="$(find_python311)" || die "Python 3.11 not found (looked for python3.11 and python3; set OFFICE_PYTHON)"
        info "creating the virtual environment $VENV with $python"
        rm -rf "$VENV"
        "$python" -m venv "$VENV"
    fi
}

ensure_python_deps() {
    local stamp="$VENV/.office-deps-stamp" want
    want="$(_hash "$ROOT/pyproject.toml")"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        info "installing Python dependencies (pip install -e '.[test]')"
        # (the sed drops pip's notes about find-links folders a machine's pip.conf may name but not have)
        "$PY" -m pip install --disable-pip-version-check -q -e "$ROOT[test]" 2>&1 \
            | sed -u '/is ignored: it is neither a file nor a directory/d'
        echo "$want" >"$stamp"
    else
        info "Python dependencies up to date"
    fi
}

ensure_node_modules() {
    local stamp="$ROOT/node_modules/.office-lock-stamp" want
    command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20 with npm"
    want="$(_hash "$ROOT/package-lock.json")"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        info "installing front-end assets from package-lock.json (npm ci)"
        (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$want" >"$stamp"
    else
        info "front-end assets up to date"
    fi
}

ensure_chromium() {
    # A Chinese font too, so that screenshots of the portal show characters, not boxes.
    local have_font=""
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ] && have_font=1
    if [ -x "$CHROMIUM" ] && [ -n "$have_font" ]; then
        info "browser: $CHROMIUM"
        return 0
    fi
    if [ "$(id -u)" != "0" ]; then
        [ -x "$CHROMIUM" ] && return 0
        die "Chromium not found at $CHROMIUM; install Debian's chromium (sudo apt-get install -y chromium) or set OFFICE_CHROMIUM"
    fi
    info "installing Debian's chromium and a Chinese font for the browser tests (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null || die "apt-get install chromium failed"
    [ -x "$CHROMIUM" ] || die "chromium installed but $CHROMIUM is missing"
}

ensure_libreoffice() {
    # LibreOffice makes a document's PDF from its .docx (documents/pdf.py), poppler's pdftotext and the free
    # stand-ins for the GB/T 9704 fonts (deploy/fontconfig/office-fonts.conf) let the print-layout tests
    # read the PDF back. The tests must run, never skip: missing pieces are installed, or the command fails.
    # With --optional (the run command) a non-root user without them gets a warning: only the PDF is missing.
    local optional="" missing=()
    [ "${1:-}" = "--optional" ] && optional=1
    local soffice="${DOCUMENTS_SOFFICE_BIN:-soffice}"
    command -v "$soffice" >/dev/null 2>&1 || missing+=(libreoffice-writer)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    if command -v fc-list >/dev/null 2>&1; then
        # (read the list once: `fc-list | grep -q` fails under pipefail when grep stops reading early)
        local fonts
        fonts="$(fc-list 2>/dev/null || true)"
        grep -q "Noto Serif CJK" <<<"$fonts" || missing+=(fonts-noto-cjk)
        grep -q "AR PL UKai" <<<"$fonts" || missing+=(fonts-arphic-ukai)
        grep -q "AR PL UMing" <<<"$fonts" || missing+=(fonts-arphic-uming)
    else
        missing+=(fontconfig fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming)
    fi
    if [ "${#missing[@]}" -eq 0 ]; then
        info "LibreOffice: $(command -v "$soffice"), with the fonts for GB/T 9704 documents"
        return 0
    fi
    if [ "$(id -u)" != "0" ]; then
        local message="missing for the documents' PDF: ${missing[*]} (sudo apt-get install -y ${missing[*]}, or set DOCUMENTS_SOFFICE_BIN)"
        [ -n "$optional" ] && { info "WARNING: $message"; return 0; }
        die "$message"
    fi
    info "installing ${missing[*]} for the documents' PDF (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
    command -v "$soffice" >/dev/null 2>&1 || die "libreoffice-writer installed but $soffice is missing"
}

bootstrap() {
    ensure_venv
    ensure_python_deps
    ensure_node_modules
    export PATH="$VENV/bin:$PATH"
    cd "$ROOT"
}
