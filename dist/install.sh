#!/usr/bin/env bash
# Installs smppgw from this unpacked tarball as a systemd service. Run as root:  ./install.sh
# Layout: /opt/smppgw (jar, launcher), /etc/smppgw (configuration), /var/lib/smppgw (data), /usr/local/bin/smppgw (CLI).
# Re-running upgrades the jar and units and keeps an existing configuration.
#
#   ./install.sh --prefix DIR   the same layout under DIR (DIR/opt/smppgw, DIR/etc/smppgw, DIR/var/lib/smppgw,
#                               DIR/usr/local/bin/smppgw), relocated so it runs from there: to try a release, or to
#                               test one, without root. Users, groups and systemd are left alone (units are copied only).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?install.sh: --prefix needs a directory}"; shift 2 ;;
    --prefix=*) prefix="${1#*=}"; shift ;;
    -h|--help) sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$prefix" ]; then
  mkdir -p "$prefix"
  prefix="$(cd "$prefix" && pwd)"
else
  [ "$(id -u)" = 0 ] || { echo "install.sh: run as root (or use --prefix DIR)" >&2; exit 1; }
fi
command -v java >/dev/null || { echo "install.sh: Java 17 is needed (apt install openjdk-17-jre-headless)" >&2; exit 1; }

opt="$prefix/opt/smppgw"
etc="$prefix/etc/smppgw"
data="$prefix/var/lib/smppgw"
group=()
if [ -z "$prefix" ] || getent group smppgw >/dev/null 2>&1; then
  group=(-g smppgw)
fi

install -d -m 0755 "$opt" "$opt/bin" "$prefix/usr/local/bin" "$prefix/etc/systemd/system" \
  "$prefix/usr/lib/sysusers.d" "$prefix/usr/lib/tmpfiles.d"
install -m 0644 "$here/smppgw.jar" "$opt/smppgw.jar"
if [ -n "$prefix" ]; then
  # the launcher looks for its configuration in /etc/smppgw: here, under the prefix
  sed "s|/etc/smppgw|$etc|g" "$here/bin/smppgw" > "$opt/bin/smppgw.new"
  chmod 0755 "$opt/bin/smppgw.new" && mv "$opt/bin/smppgw.new" "$opt/bin/smppgw"
else
  install -m 0755 "$here/bin/smppgw" "$opt/bin/smppgw"
fi
install -m 0644 "$here/README.md" "$opt/README.md"
ln -sf "$opt/bin/smppgw" "$prefix/usr/local/bin/smppgw"   # the CLI on the PATH: smppgw status, pause, reload, report
install -m 0644 "$here/systemd/smppgw.service" "$prefix/etc/systemd/system/smppgw.service"
install -m 0644 "$here/systemd/smppgw.sysusers.conf" "$prefix/usr/lib/sysusers.d/smppgw.conf"
install -m 0644 "$here/systemd/smppgw.tmpfiles.conf" "$prefix/usr/lib/tmpfiles.d/smppgw.conf"
if [ -z "$prefix" ]; then
  systemd-sysusers /usr/lib/sysusers.d/smppgw.conf
  systemd-tmpfiles --create /usr/lib/tmpfiles.d/smppgw.conf
else
  install -d -m 0750 "$data"
fi

install -d -m 0750 "${group[@]}" "$etc"
for f in jvm.env logback.xml logback-json.xml logback-file.xml; do
  install -m 0640 "${group[@]}" "$here/config/$f" "$etc/$f"   # managed by the package: replaced on upgrade
done
if [ ! -f "$etc/gateway.yaml" ]; then
  sed "s|^data-dir: .*|data-dir: $data        # journal, queues, state|" "$here/config/gateway.yaml" > "$etc/gateway.yaml.new"
  if [ ${#group[@]} -gt 0 ]; then chgrp smppgw "$etc/gateway.yaml.new"; fi
  chmod 0640 "$etc/gateway.yaml.new"
  mv "$etc/gateway.yaml.new" "$etc/gateway.yaml"
  echo "install.sh: wrote $etc/gateway.yaml (the embedded simulator: edit operators before real traffic)"
fi
SMPPGW_JAR="$opt/smppgw.jar" SMPPGW_HOME="$opt" SMPPGW_JVM_ENV="$etc/jvm.env" \
  "$opt/bin/smppgw" check-config "$etc/gateway.yaml" >/dev/null
if [ -z "$prefix" ]; then
  systemctl daemon-reload 2>/dev/null || echo "install.sh: systemd is not running here; run systemctl daemon-reload on the target"
  echo "install.sh: done. Start with: systemctl enable --now smppgw; status: smppgw status (as root or a member of group smppgw)"
else
  echo "install.sh: done under $prefix. Run: $prefix/usr/local/bin/smppgw run; status: $prefix/usr/local/bin/smppgw status"
fi
