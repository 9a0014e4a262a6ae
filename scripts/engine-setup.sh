#!/usr/bin/env bash
# Makes a real Docker engine answer on /var/run/docker.sock and gives it the
# base image the tests build FROM. Idempotent; needs root on a Debian machine
# when something is missing. No image registry is reachable here, so the base
# image is busybox from Debian's package, imported with `docker import`.
set -euo pipefail

BASE_IMAGE=${BERTH_TEST_BASE_IMAGE:-berth-test/busybox:latest}
DOCKERD_LOG=${BERTH_DOCKERD_LOG:-/var/log/berth-dockerd.log}
# docker-registry and apache2-utils (htpasswd): the private registry that pull and
# push tests start on a port of their own (test/support/registry.ts).
# podman: the private Podman API service of test/support/podman.ts (nothing is
# started here; the tests run their own on a socket in /tmp).
APT_PACKAGES=(docker.io busybox-static docker-compose shellcheck docker-registry apache2-utils podman)

say() { printf 'engine-setup: %s\n' "$*"; }

engine_answers() {
  timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

missing_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  echo "${missing[@]:-}"
}

missing=$(missing_packages)
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    say "missing Debian packages ($missing) and not root: install them and start dockerd first"; exit 1
  fi
  say "installing $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
fi

if ! engine_answers; then
  if ! command -v dockerd >/dev/null; then say "dockerd is not installed"; exit 1; fi
  if [ "$(id -u)" != 0 ]; then say "no engine answers and starting dockerd needs root"; exit 1; fi
  say "starting dockerd (log: $DOCKERD_LOG)"
  # A dockerd that died leaves its pid file behind and refuses to start again.
  pgrep -x dockerd >/dev/null || rm -f /var/run/docker.pid
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    engine_answers && break
    sleep 1
  done
  engine_answers || { say "dockerd did not answer within 60 s; last lines of its log:"; tail -n 20 "$DOCKERD_LOG"; exit 1; }
fi
say "engine ready: Docker $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  say "creating $BASE_IMAGE from busybox-static"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/www"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $("$rootfs/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' -c 'LABEL berth.test.base=1' \
    - "$BASE_IMAGE" >/dev/null
fi
say "base image $BASE_IMAGE ready"
