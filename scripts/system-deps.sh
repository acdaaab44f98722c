#!/usr/bin/env bash
# Install Debian's packages the tests need (PostgreSQL + PostGIS, Chromium, gettext) when missing.
set -euo pipefail
need=()
command -v pg_virtualenv >/dev/null || need+=(postgresql postgresql-contrib)
[ -d /usr/share/postgresql/15/extension ] && ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need+=(postgresql-15-postgis-3)
command -v chromium >/dev/null || need+=(chromium)
command -v msgfmt >/dev/null || need+=(gettext)
python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
