#!/usr/bin/env bash
# Installs smppgw from this unpacked tarball as a systemd service. Run as root:  ./install.sh
# Layout: /opt/smppgw (jar, launcher), /etc/smppgw (configuration), /var/lib/smppgw (data).
# Re-running upgrades the jar and units and keeps an existing configuration.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
command -v java >/dev/null || { echo "install.sh: Java 17 is needed (apt install openjdk-17-jre-headless)" >&2; exit 1; }

install -d -m 0755 /opt/smppgw /opt/smppgw/bin
install -m 0644 "$here/smppgw.jar" /opt/smppgw/smppgw.jar
install -m 0755 "$here/bin/smppgw" /opt/smppgw/bin/smppgw
install -m 0644 "$here/README.md" /opt/smppgw/README.md
ln -sf /opt/smppgw/bin/smppgw /usr/local/bin/smppgw   # the CLI on the PATH: smppgw status, pause, reload, report
install -m 0644 "$here/systemd/smppgw.service" /etc/systemd/system/smppgw.service
install -m 0644 "$here/systemd/smppgw.sysusers.conf" /usr/lib/sysusers.d/smppgw.conf
install -m 0644 "$here/systemd/smppgw.tmpfiles.conf" /usr/lib/tmpfiles.d/smppgw.conf
systemd-sysusers /usr/lib/sysusers.d/smppgw.conf
systemd-tmpfiles --create /usr/lib/tmpfiles.d/smppgw.conf

install -d -m 0750 -g smppgw /etc/smppgw
for f in jvm.env logback.xml logback-json.xml logback-file.xml; do
  install -m 0640 -g smppgw "$here/config/$f" "/etc/smppgw/$f"   # managed by the package: replaced on upgrade
done
if [ ! -f /etc/smppgw/gateway.yaml ]; then
  sed 's|^data-dir: .*|data-dir: /var/lib/smppgw        # journal, queues, state|' "$here/config/gateway.yaml" > /etc/smppgw/gateway.yaml.new
  chgrp smppgw /etc/smppgw/gateway.yaml.new && chmod 0640 /etc/smppgw/gateway.yaml.new
  mv /etc/smppgw/gateway.yaml.new /etc/smppgw/gateway.yaml
  echo "install.sh: wrote /etc/smppgw/gateway.yaml (the embedded simulator: edit operators before real traffic)"
fi
SMPPGW_JAR=/opt/smppgw/smppgw.jar SMPPGW_HOME=/opt/smppgw SMPPGW_JVM_ENV=/etc/smppgw/jvm.env \
  /opt/smppgw/bin/smppgw check-config /etc/smppgw/gateway.yaml >/dev/null
systemctl daemon-reload 2>/dev/null || echo "install.sh: systemd is not running here; run systemctl daemon-reload on the target"
echo "install.sh: done. Start with: systemctl enable --now smppgw; status: smppgw status --config /etc/smppgw/gateway.yaml (as root or a member of group smppgw)"
