#!/bin/sh
# Regenerates the signed bundle fixtures used by dev.ringbridge.ffi.bundle tests.
#
# Needs minisign (Debian: apt-get install minisign) and, for the sample fixtures, cargo.
# The tests themselves need neither: they read the files this script writes.
#
#   ./make-fixtures.sh                 sign everything; build the sample library like the Maven build does
#   ./make-fixtures.sh --library PATH  sign everything; use an already built libsync_demo.so
#   ./make-fixtures.sh --new-keys      also replace the two test key pairs (every signature changes)
#
# Run it whenever BundleSampleTest fails with "fixtures out of date": the sample plugin's source
# (plugins/sync-demo), Cargo.lock or the Rust toolchain changed, so the library built from this
# checkout no longer has the bytes the committed signature covers. The release build is
# byte-reproducible across checkout directories with the same toolchain (no RUSTFLAGS needed:
# the release profile keeps no debug info, and crate paths in panic messages are relative).
#
# Everything written is deterministic: Ed25519 signatures are, and every trusted comment is fixed,
# so running the script twice on the same inputs changes no file.
#
# The secret keys in keys/ are TEST-ONLY, committed on purpose, and protect nothing. Never sign
# anything real with them and never trust their public keys outside these tests.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../../.." && pwd)
library=""
new_keys=no
while [ $# -gt 0 ]; do
  case "$1" in
    --library) library=$2; shift 2 ;;
    --new-keys) new_keys=yes; shift ;;
    *) echo "usage: $0 [--library PATH] [--new-keys]" >&2; exit 2 ;;
  esac
done
command -v minisign >/dev/null || { echo "minisign not found (apt-get install minisign)" >&2; exit 1; }

cd "$here"
mkdir -p keys fake sample

# --- keys -----------------------------------------------------------------------------------------
for name in trusted other; do
  if [ "$new_keys" = yes ] || [ ! -f "keys/$name.pub" ]; then
    # -W: no password, so the tests' fixtures can be re-signed without a prompt.
    minisign -G -W -f -p "keys/$name.pub" -s "keys/$name.TEST-ONLY.key" </dev/null >/dev/null
  fi
done
trusted_key=$(sed -n 2p keys/trusted.pub)

sign() { # sign KEY FILE SIGNATURE [-l]
  key=$1; file=$2; out=$3; shift 3
  minisign -S "$@" -s "keys/$key.TEST-ONLY.key" -m "$file" -x "$out" \
    -c "ringbridge TEST-ONLY fixture signature, key $key" \
    -t "ringbridge test fixture $(basename "$file") key $key" </dev/null >/dev/null
}

manifest() { # manifest LIBRARY_ENTRY SHA256 > manifest.json (format 1.0: plugin and platforms as plugins/sync-demo/pom.xml writes them, plus public_key)
  cat <<EOF
{
  "bundle_version": "1.0",
  "plugin": {
    "name": "sync-demo",
    "version": "0.1.0",
    "description": "ringbridge sample plugin: echo, sleep and test handlers"
  },
  "platforms": {
    "linux-x86_64": {
      "variants": {
        "release": {
          "library": "$1",
          "checksum": "sha256:$2"
        }
      }
    }
  },
  "public_key": "$trusted_key"
}
EOF
}

# --- fake: a stand-in library for the rejection tests; it never reaches dlopen -------------------
printf 'ringbridge bundle test fixture: not a shared library\n' > fake/libfake.so
{ cat fake/libfake.so; printf 'tampered\n'; } > fake/libfake-tampered.so
manifest lib/linux-x86_64/release/libfake.so "$(sha256sum fake/libfake.so | cut -d' ' -f1)" > fake/manifest.json
# Names the tampered library's checksum, so only the library's own signature can catch it.
manifest lib/linux-x86_64/release/libfake.so "$(sha256sum fake/libfake-tampered.so | cut -d' ' -f1)" > fake/manifest-tampered-lib.json
for file in fake/libfake.so fake/manifest.json fake/manifest-tampered-lib.json; do
  sign trusted "$file" "$file.minisig"
done
sign trusted fake/libfake.so fake/libfake.so.legacy.minisig -l
sign trusted fake/manifest.json fake/manifest.json.legacy.minisig -l
sign other fake/libfake.so fake/libfake.so.other.minisig
sign other fake/manifest.json fake/manifest.json.other.minisig

# --- sample: signatures over the real library this checkout builds -------------------------------
if [ -z "$library" ]; then
  target=$(mktemp -d)
  trap 'rm -rf "$target"' EXIT
  # The same command and flags as the cargo-build execution in plugins/sync-demo/pom.xml.
  (cd "$repo/plugins/sync-demo" && CARGO_TARGET_DIR="$target" cargo build --release --offline --locked --quiet)
  library="$target/release/libsync_demo.so"
fi
cp "$library" sample/libsync_demo.so
manifest lib/linux-x86_64/release/libsync_demo.so "$(sha256sum sample/libsync_demo.so | cut -d' ' -f1)" > sample/manifest.json
sign trusted sample/manifest.json sample/manifest.json.minisig
sign trusted sample/libsync_demo.so sample/libsync_demo.so.minisig
# The library itself is not committed: the tests take the one the build just made and compare its
# sha256 with the one in sample/manifest.json.
rm sample/libsync_demo.so

echo "fixtures written; sample library sha256 $(sed -n 's/.*"sha256:\([0-9a-f]*\)".*/\1/p' sample/manifest.json)"
