#!/usr/bin/env bash
# Rebuild the vendored front-end assets (run via `make assets`).
# Outputs are committed so `make demo` / `make test` never need npm.
set -euo pipefail

FRONTEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$FRONTEND_DIR/.." && pwd)"
STATIC="$ROOT/caseaudit/static"
GOVUK_DIST="$FRONTEND_DIR/node_modules/govuk-frontend/dist/govuk"

DJANGO_HTMX_VERSION="1.29.0"
HTMX_SHA256="71ea67185bfa8c98c39d31717c6fce5d852370fcdfd129db4543774d3145c0de" # htmx 2.0.10
PYTHON="${PYTHON:-python3}"

cd "$FRONTEND_DIR"
npm ci --ignore-scripts --no-audit --no-fund

# Stylesheet
mkdir -p "$STATIC/caseaudit"
npx --no-install sass --no-source-map --style=compressed --load-path=node_modules \
  src/app.scss "$STATIC/caseaudit/app.css"

# govuk-frontend JS and assets (no fonts: GDS Transport is not used)
rm -rf "$STATIC/govuk"
mkdir -p "$STATIC/govuk/assets"
cp "$GOVUK_DIST/govuk-frontend.min.js" "$STATIC/govuk/govuk-frontend.min.js"
cp -R "$GOVUK_DIST/assets/images" "$STATIC/govuk/assets/images"
cp "$GOVUK_DIST/assets/manifest.json" "$STATIC/govuk/assets/manifest.json"
if [ -d "$GOVUK_DIST/assets/rebrand" ]; then
  cp -R "$GOVUK_DIST/assets/rebrand" "$STATIC/govuk/assets/rebrand"
fi

# axe-core for the accessibility tests
mkdir -p "$ROOT/tests/vendor"
cp node_modules/axe-core/axe.min.js "$ROOT/tests/vendor/axe.min.js"

# htmx 2, taken from the django-htmx wheel (set SKIP_HTMX=1 to keep the committed copy)
if [ "${SKIP_HTMX:-0}" != "1" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: \
    "django-htmx==$DJANGO_HTMX_VERSION" -d "$tmp"
  mkdir -p "$STATIC/htmx"
  "$PYTHON" - "$tmp" "$STATIC/htmx/htmx.min.js" "$HTMX_SHA256" <<'PY'
import glob, hashlib, sys, zipfile
tmp, dest, expected = sys.argv[1:]
(wheel,) = glob.glob(f"{tmp}/django_htmx-*.whl")
data = zipfile.ZipFile(wheel).read("django_htmx/static/django_htmx/htmx-2.min.js")
if hashlib.sha256(data).hexdigest() != expected:
    sys.exit("htmx-2.min.js checksum mismatch")
with open(dest, "wb") as f:
    f.write(data)
PY
fi

# Every url() in the CSS must resolve to a copied file.
missing=0
while IFS= read -r url; do
  if [ ! -f "$STATIC/govuk/${url#/static/govuk/}" ]; then
    echo "missing asset for CSS url: $url" >&2
    missing=1
  fi
done < <(grep -o 'url([^)]*)' "$STATIC/caseaudit/app.css" | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sort -u)
if grep -q "GDS Transport" "$STATIC/caseaudit/app.css"; then
  echo "app.css mentions GDS Transport" >&2
  missing=1
fi
[ "$missing" -eq 0 ]

echo "Built: $STATIC/caseaudit/app.css ($(wc -c < "$STATIC/caseaudit/app.css") bytes)"
