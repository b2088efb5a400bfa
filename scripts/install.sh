# Install what the app needs; sourced by run.sh and test.sh from the repository root.
#
# System packages (Debian 12): Python with venv and pip, the libraries and fonts WeasyPrint
# needs to render letters to PDF, and the PDF tools the letter tests check the output with
# (poppler-utils: pdftotext, pdfdetach, pdfinfo; qpdf), and Chromium, which Playwright drives for
# the public pages' browser tests (Playwright cannot download browsers here). Python packages:
# requirements-dev.txt into .venv, reinstalled only when a requirements file changed (a sha256
# stamp inside .venv). Translations are committed compiled (translations/*/LC_MESSAGES/*.mo),
# so nothing here compiles them; tests/public/test_catalogs.py checks they match the .po files.

SYSTEM_PACKAGES=(
    python3 python3-venv python3-pip
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
    fonts-dejavu-core shared-mime-info
    poppler-utils qpdf
    chromium
)
VENV=.venv
REQUIREMENTS_STAMP="$VENV/.requirements.sha256"

install_system_packages() {
    if ! command -v dpkg >/dev/null; then
        echo "install: not a Debian system; make sure these (or their equivalents) are installed:" \
            "${SYSTEM_PACKAGES[*]}" >&2
        return 0
    fi
    local missing=() package
    for package in "${SYSTEM_PACKAGES[@]}"; do
        if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
            missing+=("$package")
        fi
    done
    ((${#missing[@]} == 0)) && return 0

    local sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null; then
            sudo=(sudo)
        else
            echo "install: missing system packages: ${missing[*]}; install them as root." >&2
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null; then
        echo "install: missing system packages: ${missing[*]}; apt-get is unavailable," \
            "install them by hand." >&2
        return 1
    fi
    echo "install: apt-get install ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

create_virtualenv() {
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        echo "install: Python 3.11 or newer is needed; python3 is $(python3 --version 2>&1)." >&2
        return 1
    }
    # A venv whose interpreter moved or was removed cannot be repaired in place.
    if [[ -d "$VENV" ]] && ! "$VENV/bin/python" -c '' 2>/dev/null; then
        echo "install: $VENV is broken; creating it again"
        rm -rf "$VENV"
    fi
    if [[ ! -d "$VENV" ]]; then
        echo "install: python3 -m venv $VENV"
        python3 -m venv "$VENV"
    fi
}

install_python_packages() {
    local digest
    digest=$(sha256sum requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
    if [[ -f "$REQUIREMENTS_STAMP" && "$(<"$REQUIREMENTS_STAMP")" == "$digest" ]]; then
        return 0
    fi
    echo "install: pip install -r requirements-dev.txt"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r requirements-dev.txt
    echo "$digest" >"$REQUIREMENTS_STAMP"
}

install_everything() {
    install_system_packages
    create_virtualenv
    install_python_packages
}
