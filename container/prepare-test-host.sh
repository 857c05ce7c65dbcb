#!/usr/bin/env bash
# Installs what the container test needs on a Debian machine without an image registry: podman with
# the runc runtime (crun refuses these machines' hybrid cgroups) and mmdebstrap for the local base
# image. Runs apt-get only when something is missing; needs root or sudo then.
set -euo pipefail
missing=()
for tool in podman runc mmdebstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
[ "${#missing[@]}" -eq 0 ] && exit 0
echo "container test: installing ${missing[*]} from Debian's packages" >&2
sudo_prefix=()
[ "$(id -u)" = 0 ] || sudo_prefix=(sudo)
"${sudo_prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap >/dev/null
