#!/usr/bin/env bash
# A throw-away CA and a leaf certificate for `parallax.test` (and localhost, 127.0.0.1), made at
# test time with openssl: the Rust TLS tests, the browser's HTTPS tests and the nginx TLS test
# use them; nothing here is kept or trusted beyond one test run. Writes into DIR (made if
# missing): ca.pem, ca.key, leaf.pem (the leaf, then the CA: a chain), leaf.key (PKCS#8), and
# spki.txt — the base64 SHA-256 of the leaf's public key, what Chromium's
# --ignore-certificate-errors-spki-list takes. A second NAME argument changes the leaf's
# common name (the reload test tells two leaves apart by it).
set -euo pipefail
dir=${1:?usage: certs.sh DIR [NAME]}
name=${2:-parallax.test}
mkdir -p "$dir"
cd "$dir"
if [ ! -f ca.key ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -days 2 -subj "/CN=Parallax throw-away test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key.new -out leaf.csr \
  -subj "/CN=$name" 2>/dev/null
cat > leaf.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:parallax.test,DNS:localhost,IP:127.0.0.1
EXT
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile leaf.ext -out leaf.crt 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in leaf.key.new -out leaf.key.tmp
cat leaf.crt ca.pem > leaf.pem.tmp
# Replaced whole (a rename), so a server reloading on SIGHUP never reads half a file.
mv leaf.key.tmp leaf.key
mv leaf.pem.tmp leaf.pem
openssl x509 -in leaf.crt -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64 > spki.txt
rm -f leaf.csr leaf.ext leaf.key.new leaf.crt ca.srl
