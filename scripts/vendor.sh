#!/bin/sh
# Refreshes the vendored third-party files from npm: the web UI's htmx and the certificate fonts.
# Versions are pinned here and listed, with their licences, in
# internal/web/static/vendor/VENDORED.md. Run it only to upgrade; the files are committed so that
# building learnloop needs no Node.js.
set -eu
HTMX_VERSION=4.0.1
DEJAVU_VERSION=2.37.3
# The registry's integrity value for the DejaVu tarball. Pinned too, so that a tarball replaced
# on the registry under the same version is refused rather than embedded in every build.
DEJAVU_INTEGRITY=sha512-f1hd7jJbeQa1VWcw+K2KrTXS50zTMaHpVC4XIKJpNcDeYR5ajMtj/iLlQDYNvLOKamUB3ARVVCf79lNwNVztSQ==
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/internal/web/static/vendor"
fonts="$here/internal/certificate/fonts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null
tar -xzf htmx.org-$HTMX_VERSION.tgz
cp package/dist/htmx.min.js "$out/htmx.min.js"
cp package/LICENSE "$out/htmx.LICENSE"
rm -rf package
echo "vendored htmx.org $HTMX_VERSION"

# DejaVu Sans for certificates. The tarball is checked against the pinned integrity, which must
# also be what the registry states for this version, before anything is taken from it.
tgz=dejavu-fonts-ttf-$DEJAVU_VERSION.tgz
registry=$(npm view "dejavu-fonts-ttf@$DEJAVU_VERSION" dist.integrity)
if [ "$registry" != "$DEJAVU_INTEGRITY" ]; then
	echo "dejavu-fonts-ttf $DEJAVU_VERSION: the registry states integrity $registry, pinned is $DEJAVU_INTEGRITY" >&2
	exit 1
fi
npm pack --silent "dejavu-fonts-ttf@$DEJAVU_VERSION" >/dev/null
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 | tr -d '\n')"
if [ "$got" != "$DEJAVU_INTEGRITY" ]; then
	echo "$tgz: integrity $got, want $DEJAVU_INTEGRITY" >&2
	exit 1
fi
tar -xzf "$tgz"
mkdir -p "$fonts"
for f in DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSans-Oblique.ttf; do
	cp "package/ttf/$f" "$fonts/$f"
done
cp package/LICENSE "$fonts/LICENSE"
echo "vendored dejavu-fonts-ttf $DEJAVU_VERSION"
