#!/usr/bin/env bash
# Installs what escalator needs to build and test, from Debian 12 packages only.
# Idempotent: a package already present is not fetched again, so `make run` and
# `make test` call this every time at no cost.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev        # Asio, Beast, MSM
  librocksdb-dev          # the case store
  nlohmann-json3-dev      # JSON everywhere
  doctest-dev             # unit tests
  libssl-dev              # SHA-256, signatures, WeChat crypto
  libexpected-dev         # tl::expected for Result<T>
  libpugixml-dev          # XML (hotline and WeChat messages)
  rapidjson-dev           # byte offsets of JSON keys, so workflow errors can name the line
  libcsv-dev              # RFC 4180 CSV, for org directories kept as spreadsheets
  libsimdjson-dev         # stored events read back at the speed of hashing them (replay, audit)
  clang libclang-rt-14-dev  # libFuzzer and the sanitizers, for the fuzz targets make test runs
  curl                    # the tests run the curl commands the service and docs print
  openssl                 # the TLS test makes its certificate with the openssl command
  libcli11-dev            # the command line's parser
  help2man                # the man page, made from --help
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# valijson is header-only, but its Debian package depends on Qt, Poco and MariaDB.
# Take just its headers from the .deb into the build tree.
valijson_root="${1:-build}/_deps/valijson"
if [ ! -f "$valijson_root/usr/include/valijson/validator.hpp" ]; then
  echo "install-deps: unpacking valijson headers into $valijson_root"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq libvalijson-dev)
  mkdir -p "$valijson_root"
  dpkg -x "$tmp"/libvalijson-dev_*.deb "$valijson_root"
  rm -rf "$tmp"
fi

# promtool checks the service's /metrics in a test. The prometheus package
# would also install and start a Prometheus server, so take just promtool.
promtool_root="${1:-build}/_deps/prometheus"
if [ ! -x "$promtool_root/usr/bin/promtool" ]; then
  echo "install-deps: unpacking promtool into $promtool_root"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq prometheus)
  mkdir -p "$promtool_root"
  dpkg -x "$tmp"/prometheus_*.deb "$promtool_root"
  rm -rf "$tmp"
fi

# The OpenAPI linter a test runs over docs/openapi.json, from npm into the
# build tree (Node 20's npm; nothing global, nothing in the source tree).
node_root="${1:-build}/_deps/node"
if [ ! -x "$node_root/node_modules/.bin/redocly" ]; then
  command -v npm >/dev/null || { echo "install-deps: npm (Node 20) is needed for the OpenAPI linter" >&2; exit 1; }
  echo "install-deps: installing @redocly/cli into $node_root"
  npm install --prefix "$node_root" --no-audit --no-fund --loglevel=error @redocly/cli@2.77.0
fi

# Independent implementations the webhook tests check signatures and events
# against: Standard Webhooks' own library and the CloudEvents SDK.
if [ ! -f "$node_root/node_modules/standardwebhooks/package.json" ] || [ ! -f "$node_root/node_modules/cloudevents/package.json" ]; then
  command -v npm >/dev/null || { echo "install-deps: npm (Node 20) is needed for the webhook oracles" >&2; exit 1; }
  echo "install-deps: installing standardwebhooks and cloudevents into $node_root"
  npm install --prefix "$node_root" --no-audit --no-fund --loglevel=error standardwebhooks@1.3.0 cloudevents@10.0.0
fi
