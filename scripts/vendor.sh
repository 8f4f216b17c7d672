#!/bin/sh
# Refreshes the vendored front-end files from npm. Versions are pinned here and listed, with their
# licences, in internal/web/static/vendor/VENDORED.md. Run it only to upgrade; the files are
# committed so that building learnloop needs no Node.js.
set -eu
HTMX_VERSION=4.0.1
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/internal/web/static/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null
tar -xzf htmx.org-$HTMX_VERSION.tgz
cp package/dist/htmx.min.js "$out/htmx.min.js"
cp package/LICENSE "$out/htmx.LICENSE"
echo "vendored htmx.org $HTMX_VERSION"
