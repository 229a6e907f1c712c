#!/usr/bin/env bash
# Builds the image's Java runtime layer without any registry: a jlink image of the build's JDK under opt/java, plus
# the C libraries it links against (glibc, found with ldd), so the image runs FROM scratch.
# usage: runtime.sh OUT_DIR JAVA_HOME
set -euo pipefail
OUT="$1"
JDK="$2"
[ -x "$JDK/bin/jlink" ] || JDK="$(dirname "$JDK")"   # java.home may be the JDK itself or, on old JDKs, its jre/
[ -x "$JDK/bin/jlink" ] || { echo "runtime.sh: no jlink in $2; build the image with a full JDK (JAVA_HOME)" >&2; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT/opt"
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.zipfs
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --output "$OUT/opt/java"
# The C libraries java and its native libraries need, at the paths the dynamic loader looks for them.
for f in $( { ldd "$OUT/opt/java/bin/java"; find "$OUT/opt/java/lib" -name '*.so' -exec ldd {} \; ; } 2>/dev/null \
    | awk '/=> \//{print $3} /^\t\/lib/{print $1}' | sort -u); do
  [ -f "$f" ] || continue
  case "$f" in "$OUT"/*) continue ;; esac   # the runtime's own libraries are in place already
  mkdir -p "$OUT$(dirname "$f")"
  cp -L "$f" "$OUT$f"
done
# The loader itself, at its fixed path (libstdc++ and libgcc_s for the ONNX runtime's native library too).
for f in /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libgcc_s.so.1 /lib/x86_64-linux-gnu/libz.so.1; do
  if [ -e "$f" ]; then
    mkdir -p "$OUT$(dirname "$f")"
    cp -L "$f" "$OUT$f"
  fi
done
# What was copied from the build machine, and from which distribution package: the image's C libraries are the build
# host's, so their provenance (and security updates) follow it. Kept in the image for audits and scanners.
{
  echo "# C libraries copied from the build machine into this runtime layer: path, package, version"
  echo "# build host: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || uname -sr)"
  (cd "$OUT" && find lib lib64 usr -type f 2>/dev/null || true) | sort | while read -r f; do
    pkg="$(dpkg -S "/$f" 2>/dev/null | head -1 | cut -d: -f1 || true)"
    [ -n "$pkg" ] || pkg="$(dpkg -S "$(readlink -f "/$f")" 2>/dev/null | head -1 | cut -d: -f1 || true)"
    ver=""
    [ -z "$pkg" ] || ver="$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)"
    echo "/$f ${pkg:-unknown} ${ver:-unknown}"
  done
} > "$OUT/opt/java/NATIVE-LIBRARIES"
mkdir -p "$OUT/tmp"
echo "runtime layer in $OUT: $(du -sh "$OUT" | cut -f1)"
