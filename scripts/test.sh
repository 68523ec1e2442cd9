#!/usr/bin/env bash
# Runs the whole Sluice test suite from a fresh machine: installs the services the tests use (PostgreSQL, OpenSSH,
# Chromium) from Debian's packages, starts them on 127.0.0.1 only, runs every test project, and stops them again.
#   scripts/test.sh                 # everything
#   scripts/test.sh --filter Foo    # extra arguments go to `dotnet test`
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

need_packages=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_packages+=(postgresql)
[ -x /usr/sbin/sshd ] || need_packages+=(openssh-server)
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "==> installing ${need_packages[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${need_packages[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/sluice-test-services.XXXXXX)
chmod 755 "$WORK"   # the postgres user must reach its folder inside
cleanup() {
  if [ -f "$WORK/pg/data/postmaster.pid" ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$WORK/pg/data" stop -m fast >/dev/null 2>&1 || true
  fi
  [ -f "$WORK/sshd.pid" ] && kill "$(cat "$WORK/sshd.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# PostgreSQL: a private cluster on a free loopback port (initdb refuses root, so it runs as postgres).
if [ "$(id -u)" -eq 0 ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  PGPORT=$(free_port)
  install -d -o postgres "$WORK/pg"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$WORK/pg/data" -A trust >/dev/null
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$WORK/pg/data" -w -l "$WORK/pg/log" \
    -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  export SLUICE_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
  echo "==> PostgreSQL on 127.0.0.1:$PGPORT"
fi

# OpenSSH with internal-sftp for the CSV import tests: a test user with a password and a key.
if [ "$(id -u)" -eq 0 ] && [ -x /usr/sbin/sshd ]; then
  SSHPORT=$(free_port)
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/clientkey"
  id sluicesftp >/dev/null 2>&1 || useradd -m -s /bin/bash sluicesftp
  echo 'sluicesftp:Sftp-Test-Pass-1' | chpasswd
  install -d -m 700 -o sluicesftp -g sluicesftp /home/sluicesftp/.ssh
  install -m 600 -o sluicesftp -g sluicesftp "$WORK/clientkey.pub" /home/sluicesftp/.ssh/authorized_keys
  mkdir -p -m 0755 /run/sshd
  cat > "$WORK/sshd_config" <<CFG
Port $SSHPORT
ListenAddress 127.0.0.1
HostKey $WORK/hostkey
PidFile $WORK/sshd.pid
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers sluicesftp
Subsystem sftp internal-sftp
ForceCommand internal-sftp
CFG
  /usr/sbin/sshd -e -f "$WORK/sshd_config" 2>"$WORK/sshd.log"
  export SLUICE_TEST_SFTP="host=127.0.0.1;port=$SSHPORT;user=sluicesftp;password=Sftp-Test-Pass-1;key=$WORK/clientkey;hostkey=$WORK/hostkey.pub"
  echo "==> sshd on 127.0.0.1:$SSHPORT"
fi

[ -x /usr/bin/chromium ] && export SLUICE_TEST_CHROMIUM=/usr/bin/chromium

echo "==> dotnet test"
dotnet test "$ROOT/Sluice.slnx" -c Release "$@"
