# Finds a JDK 21 or newer: $JAVA_HOME, then the java on PATH, then /usr/lib/jvm/*. Prints its home.
# Reads each candidate's `release` file instead of starting a JVM, so it costs no time on every CLI call.

jdk_version_of() {  # $1 = JDK home; prints the feature version (17, 21, 25) or nothing (pure bash: no fork)
  local release="$1/release" line
  [ -f "$release" ] || return 0
  while IFS= read -r line; do
    case "$line" in
      JAVA_VERSION=*)
        line=${line#JAVA_VERSION=}; line=${line//\"/}
        case "$line" in 1.*) line=${line#1.} ;; esac
        echo "${line%%[.+-]*}"
        return 0 ;;
    esac
  done < "$release"
}

jdk_ok() {  # $1 = candidate home
  local v
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  v=$(jdk_version_of "$1")
  [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null
}

find_jdk() {
  local candidate best="" best_v=0 v
  if jdk_ok "${JAVA_HOME:-}"; then echo "$JAVA_HOME"; return 0; fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if jdk_ok "$candidate"; then echo "$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    if jdk_ok "$candidate"; then
      v=$(jdk_version_of "$candidate")
      if [ "$v" -gt "$best_v" ]; then best="$candidate"; best_v=$v; fi
    fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  echo "flywheel: no JDK 21 or newer found (looked at \$JAVA_HOME, the java on PATH and /usr/lib/jvm/*)." >&2
  echo "flywheel: install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
  return 1
}
