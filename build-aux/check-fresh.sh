#!/usr/bin/env bash
# check-fresh.sh — run the README's test command on a brand-new Debian 12, as a
# new user meets it: a minimal root made with debootstrap, the project cloned
# into it, `bash .ci/run` inside as root.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage (as root): build-aux/check-fresh.sh [--keep] [--ref REF] [--share-net]
#                                           [--refresh] [--mirror URL] [--logs DIR]
#
#   --ref REF     the commit to test (default HEAD). What is tested is a
#                 `git clone` of this checkout at REF: the COMMITTED state only.
#                 Uncommitted changes are not in it (a warning says so).
#   --keep        keep the root afterwards for inspection (unmounted; its path
#                 is printed). By default it is deleted.
#   --share-net   run the suite in the host's network namespace (see below).
#   --refresh     make the cached Debian root again.
#   --mirror URL  Debian mirror for debootstrap (default http://deb.debian.org/debian).
#   --logs DIR    where the run's log and meson's test logs are copied
#                 (default ${TMPDIR:-/tmp}/reloop-check-fresh-SHA-TIME).
#
# Steps:
#  1. `debootstrap --variant=minbase bookworm` (about 40 s) once; the result is
#     cached as a tarball in ${XDG_CACHE_HOME:-$HOME/.cache}/reloop-console/ and
#     a fresh copy is extracted for every run, under ${TMPDIR:-/var/tmp}.
#  2. /etc/resolv.conf and the host's Debian apt sources are copied in (other
#     vendors' sources are left out: a fresh Debian has none, nor their keys);
#     an /etc/hosts naming localhost is written, as an installed Debian has.
#  3. The checkout is cloned to /src/reloop-console in the root, at REF.
#  4. Dependencies: `bash build-aux/install-deps.sh` inside (apt-get, network).
#  5. The README's test command: `bash .ci/run`, inside
#       chroot ROOT env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
#     It runs in its own network namespace with only loopback up: Xvfb's
#     abstract socket (@/tmp/.X11-unix/X99) and the tests' loopback ports are
#     per namespace, and the root's xvfb-run cannot see the host's
#     /tmp/.X*-lock files, so without it a run collides with any Xvfb or test
#     run on the host (and breaks it). The tests use nothing from the network;
#     install-deps.sh, run again by test.sh, finds everything installed.
#  6. The suite's closing line ("N passed, N failed, N skipped") and the exit
#     status of .ci/run are printed last; this script exits with that status.
#
# Mounts (/proc, /sys and /dev, rbind) are made inside a private mount
# namespace (unshare --mount --propagation private): they never appear in the
# host's mount table and vanish with the namespace, even when this script is
# killed. They are also unmounted explicitly (umount -R -l). Before any rm -rf
# of the root, /proc/self/mounts is checked: if anything is mounted at or below
# the root, the script refuses to delete it (deleting through a live bind mount
# of /dev or /sys would delete the host's). rm also runs with --one-file-system.

# The whole script is one { ... } block, which bash reads completely before
# running it: editing this file, or checking out another branch, during a
# 20-minute run does not change the script that runs.
# shellcheck disable=SC2317  # the clean-up functions are called from the trap
{
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

keep=0
ref=HEAD
share_net=0
refresh=0
mirror=http://deb.debian.org/debian
logs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --ref) ref="${2:?--ref needs a value}"; shift ;;
    --ref=*) ref="${1#--ref=}" ;;
    --share-net) share_net=1 ;;
    --refresh) refresh=1 ;;
    --mirror) mirror="${2:?--mirror needs a value}"; shift ;;
    --mirror=*) mirror="${1#--mirror=}" ;;
    --logs) logs="${2:?--logs needs a value}"; shift ;;
    --logs=*) logs="${1#--logs=}" ;;
    -h|--help) sed -n '2,/^$/{/^$/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "check-fresh.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

die () { echo "check-fresh.sh: $*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot and mount need it)"
for tool in debootstrap chroot unshare mount umount tar git; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install debootstrap util-linux git)"
done
[ "$share_net" = 1 ] || command -v ip >/dev/null || die "ip is missing (apt-get install iproute2), or use --share-net"

commit="$(git -C "$top" rev-parse --verify --quiet "${ref}^{commit}")" || die "not a commit: $ref"
short="${commit:0:12}"
if [ -n "$(git -C "$top" status --porcelain)" ]; then
  echo "check-fresh.sh: note: $top has uncommitted changes or new files; they are NOT tested (only commit $short is)." >&2
fi

start_time=$(date +%s)
stamp () { local s=$(($(date +%s) - start_time)); printf '[%02d:%02d] ' $((s / 60)) $((s % 60)); }

# 1. The cached minimal root.
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/reloop-console"
tarball="$cache_dir/debian-bookworm-minbase-$(dpkg --print-architecture 2>/dev/null || uname -m).tar.gz"
work=""
root=""

# Prints what is mounted at or below $root (octal escapes of /proc/self/mounts
# decoded), nothing when the root is free.
mounts_below_root () {
  local r
  r="$(readlink -f "$root")"
  awk -v r="$r" '{ m = $2; gsub(/\\040/, " ", m); if (m == r || index(m, r "/") == 1) print m }' /proc/self/mounts
}

# Processes still running with their root inside ours (a daemon the run left
# behind, or the whole run when interrupted): ended by id.
end_processes_in_root () {
  local r p pr pids=()
  r="$(readlink -f "$root")"
  for p in /proc/[0-9]*; do
    pr="$(readlink "$p/root" 2>/dev/null)" || continue
    if [ "$pr" = "$r" ] || [ "${pr#"$r"/}" != "$pr" ]; then
      pids+=("${p#/proc/}")
    fi
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  echo "check-fresh.sh: ending processes left in the root: ${pids[*]}" >&2
  kill -TERM "${pids[@]}" 2>/dev/null || true
  sleep 2
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

child=""
cleaned=0
cleanup () {
  [ "$cleaned" = 0 ] || return 0
  cleaned=1
  [ -n "$work" ] || return 0
  set +e
  end_processes_in_root
  # The unshare'd shell around the chroot unmounts and exits once its chroot
  # child is gone.
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  # The mounts live in the run's private namespace; these only act if someone
  # mounted something here from the host namespace.
  for d in dev sys proc; do
    if mountpoint -q "$root/$d" 2>/dev/null; then
      umount -R -l "$root/$d"
    fi
  done
  local still
  still="$(mounts_below_root)"
  if [ -n "$still" ]; then
    echo "check-fresh.sh: REFUSING to delete $work: still mounted below it:" >&2
    echo "$still" >&2
    echo "check-fresh.sh: unmount them (umount -R -l PATH), then rm -rf --one-file-system $work" >&2
    exit 3
  fi
  if [ "$keep" = 1 ]; then
    echo "check-fresh.sh: root kept: $root (nothing is mounted in it). To look inside:" >&2
    echo "  unshare --mount --propagation private bash -c 'mount -t proc proc $root/proc && mount --rbind /sys $root/sys && mount --rbind /dev $root/dev && chroot $root env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 bash'" >&2
    echo "  and afterwards: rm -rf --one-file-system $work" >&2
  else
    rm -rf --one-file-system "$work"
  fi
}
trap 'cleanup' EXIT
trap 'echo "check-fresh.sh: interrupted" >&2; exit 130' INT TERM HUP

work="$(mktemp -d "${TMPDIR:-/var/tmp}/reloop-fresh-XXXXXX")"
root="$work/root"
mkdir "$root"
[ -n "$logs" ] || logs="${TMPDIR:-/tmp}/reloop-check-fresh-$short-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$logs"
log="$logs/run.log"

if [ "$refresh" = 1 ] || [ ! -s "$tarball" ]; then
  echo "$(stamp)debootstrap --variant=minbase bookworm ($mirror) -> $tarball"
  mkdir -p "$cache_dir"
  debootstrap --variant=minbase bookworm "$root" "$mirror" > "$logs/debootstrap.log" 2>&1 \
    || { tail -20 "$logs/debootstrap.log" >&2; die "debootstrap failed (log: $logs/debootstrap.log)"; }
  tar -C "$root" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
else
  echo "$(stamp)extracting $tarball"
  tar -C "$root" -xzf "$tarball"
fi

# 2. Network configuration and the host's Debian apt sources.
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# debootstrap writes no /etc/hosts; every installed Debian has one (the
# installer's, a cloud image's, a container's) naming localhost, and the
# tests connect to mqtts://localhost (a TLS host name check by name).
if [ ! -s "$root/etc/hosts" ]; then
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
fi
is_debian_only () {
  # Every URI in a one-line (.list) or deb822 (.sources) file is Debian's.
  local uris
  uris="$(grep -v '^[[:space:]]*#' "$1" | grep -oE '(https?|ftp)://[^[:space:]]+' || true)"
  [ -n "$uris" ] && ! echo "$uris" | grep -qvE '^(https?|ftp)://([a-z0-9.-]+\.)?debian\.org(/|$)'
}
copied=0
rm -f "$root/etc/apt/sources.list"
mkdir -p "$root/etc/apt/sources.list.d"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  if is_debian_only "$f"; then
    cp "$f" "$root$f"
    copied=$((copied + 1))
  else
    echo "$(stamp)apt sources: leaving out $f (not only Debian's archive)"
  fi
done
if [ "$copied" = 0 ]; then
  echo "$(stamp)apt sources: none of the host's are Debian-only; using bookworm, -updates, -security"
  cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
fi

# 3. The project, at the commit under test.
src_in_root=/src/reloop-console
echo "$(stamp)cloning $top at $short into $src_in_root"
mkdir -p "$root/src"
git clone --quiet --no-hardlinks --no-checkout "$top" "$root$src_in_root"
if ! git -C "$root$src_in_root" cat-file -e "$commit^{commit}" 2>/dev/null; then
  git -C "$root$src_in_root" fetch --quiet "$top" "$commit"
fi
git -C "$root$src_in_root" -c advice.detachedHead=false checkout --quiet --detach "$commit"

# Runs $2 (a bash command line) as root inside the root, with /proc, /sys and
# /dev mounted in a private mount namespace; $1 = net (host network) or
# nonet (own network namespace, loopback only). Called in a subshell (&): the
# exec makes the unshare'd shell the process run_waiting waits for.
run_in_root () {
  local net="$1" cmd="$2" unshare_args=(--mount --propagation private)
  [ "$net" = net ] || unshare_args+=(--net)
  # shellcheck disable=SC2016  # expanded by the inner bash
  exec unshare "${unshare_args[@]}" -- bash -c '
    set -u
    root="$1" net="$2" cmd="$3"
    if [ "$net" != net ]; then ip link set lo up || exit 1; fi
    mount -t proc proc "$root/proc" &&
      mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys" &&
      mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" || exit 1
    chroot "$root" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      bash -c "$cmd"
    status=$?
    umount -R -l "$root/dev"; umount -R -l "$root/sys"; umount -R -l "$root/proc"
    exit $status
  ' check-fresh "$root" "$net" "$cmd"
}

# Runs run_in_root in the background and waits, so that a signal to this
# script is handled at once (bash runs traps only between commands, and
# `wait` is interruptible). Sets $status.
run_waiting () {
  local out="$1"; shift
  run_in_root "$@" > "$out" 2>&1 &
  child=$!
  set +e
  wait "$child"
  status=$?
  set -e
  child=""
}

# 4. Dependencies (network).
echo "$(stamp)installing dependencies inside (build-aux/install-deps.sh)"
run_waiting "$logs/install-deps.log" net "cd $src_in_root && bash build-aux/install-deps.sh"
if [ "$status" != 0 ]; then
  tail -30 "$logs/install-deps.log" >&2
  die "install-deps.sh failed inside the root (log: $logs/install-deps.log)"
fi

# 5. The README's test command.
if [ "$share_net" = 1 ]; then net=net; else net=nonet; fi
echo "$(stamp)running 'bash .ci/run' inside (log: $log)"
run_waiting "$log" "$net" "cd $src_in_root && bash .ci/run"

for d in test asan; do
  for f in testlog.txt testlog.json; do
    [ -f "$root$src_in_root/_build/$d/meson-logs/$f" ] &&
      cp "$root$src_in_root/_build/$d/meson-logs/$f" "$logs/$d-$f"
  done
done

elapsed=$(($(date +%s) - start_time))
echo "$(stamp)done in $((elapsed / 60)) min $((elapsed % 60)) s; logs in $logs"
grep -E '^(test|asan): [0-9]+ passed' "$log" || true
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -1)"
if [ -z "$summary" ]; then
  echo "no summary line; the end of the log:"
  tail -30 "$log"
  summary="(no summary line)"
fi
echo "commit $short: $summary"
echo ".ci/run exit status: $status"
exit "$status"
}
