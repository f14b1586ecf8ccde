#!/usr/bin/env bash
# The service ending TLS itself (docs/access.md, "TLS"): with a certificate
# and key it speaks HTTPS only, prints an https URL, and a client that trusts
# the certificate reads through it with its key; a plain-HTTP client gets no
# answer, and a certificate that cannot be read stops the start, named.
set -euo pipefail
escalator="$1"
source "$(dirname "$0")/serve_support.sh"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
"$escalator" keys add --file "$work/keys.json" --name 审计 --role auditor >"$work/auditor.txt"
auditor=$(grep -o 'esk_[0-9a-f]*_[A-Za-z0-9_-]*' "$work/auditor.txt")

# A certificate that is not one stops the start, naming it.
if "$escalator" serve --data "$work/bad" --port 0 --tls-cert "$work/keys.json" --tls-key "$work/key.pem" \
  >"$work/bad.out" 2>&1; then
  echo "serve started with a keys file for a certificate"; exit 1
fi
grep -q 'http.tls.certificate: .*keys.json' "$work/bad.out" || { cat "$work/bad.out"; exit 1; }
# Half of the pair is a usage error.
if "$escalator" serve --data "$work/bad" --port 0 --tls-cert "$work/cert.pem" >"$work/half.out" 2>&1; then
  echo "serve started with a certificate and no key"; exit 1
fi

start_serve "$escalator" --keys "$work/keys.json" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"
grep -q "listening on https://$address" "$work/out" || { cat "$work/out"; echo "no https URL printed"; exit 1; }
https="https://$address"
[ "$(curl -s --cacert "$work/cert.pem" -o /dev/null -w '%{http_code}' "$https/healthz")" = 200 ]
curl -s -f --cacert "$work/cert.pem" --tlsv1.2 --tls-max 1.2 "$https/healthz" >/dev/null ||
  { echo "TLS 1.2 refused"; exit 1; }
[ "$(curl -s --cacert "$work/cert.pem" -o /dev/null -w '%{http_code}' "$https/v1/cases")" = 401 ]
curl -s -f --cacert "$work/cert.pem" "$https/v1/cases" -H "Authorization: Bearer $auditor" | grep -q '"cases":\[\]'
# Kept alive: two requests over one connection.
curl -s -f --cacert "$work/cert.pem" "$https/healthz" "$https/readyz" -o /dev/null -o /dev/null
# A client that does not trust the certificate is refused by its own TLS.
if curl -s -f "$https/healthz" >/dev/null 2>&1; then echo "an untrusted certificate was accepted"; exit 1; fi
# Plain HTTP to the TLS port gets no HTTP answer.
if curl -s -f --max-time 5 "http://$address/healthz" >/dev/null 2>&1; then echo "plain HTTP was answered"; exit 1; fi
# Still answering after the failed handshakes.
[ "$(curl -s --cacert "$work/cert.pem" -o /dev/null -w '%{http_code}' "$https/healthz")" = 200 ]
stop_serve
grep -q '^escalator serve: stopped' "$work/out"
