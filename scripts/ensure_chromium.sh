#!/usr/bin/env bash
# Les tests de bout en bout pilotent le Chromium de Debian (jamais de navigateur téléchargé).
set -eu
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Chromium absent : installez le paquet Debian 'chromium' (sudo apt-get install chromium)." >&2
  exit 1
fi
echo "Installation de chromium (paquet Debian)…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
