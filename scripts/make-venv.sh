#!/bin/sh
# Create the project's virtual environment with pip in it.
# Debian's python3 ships venv's pip bootstrap (ensurepip) in a separate package,
# python3-venv: install it when we are root and it is missing, else say what to do.
set -eu
PYTHON="$1"
VENV="$2"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: workbench needs Python >= 3.11; '$PYTHON' is $("$PYTHON" --version 2>&1)." >&2
    exit 1
fi
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    pkg="python3-venv"
    ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing $pkg (ensurepip is missing) ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" "python$ver-venv" >/dev/null \
            || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
    else
        echo "error: '$PYTHON -m venv' needs the Debian package $pkg: run 'sudo apt-get install $pkg' and try again." >&2
        exit 1
    fi
fi
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
