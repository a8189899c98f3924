# shellcheck shell=bash
# Sourced by every gevent4j script (bin/demo, bin/test, ...). Safe under `set -euo pipefail`.
#
# 1. Finds a JDK 25 or newer: $JAVA_HOME if it is one, otherwise the newest one found under
#    /usr/lib/jvm, /opt/java, /opt/*jdk*, /usr/local/*jdk*, ~/.sdkman/candidates/java, or the
#    `java` on PATH. Exports JAVA_HOME and puts $JAVA_HOME/bin first on PATH.
# 2. Makes sure `mvn` exists (installs the `maven` package with apt-get when running as root).
# On failure it prints one line to stderr and exits 1.

GEVENT4J_MIN_JAVA=25

# Prints the full version string of <java-home>/bin/java ("25.0.1", "17.0.15", "1.8.0_452"), or nothing.
_g4j_java_version() {
  local java="$1/bin/java" line
  [[ -x "$java" ]] || return 0
  line=$("$java" -version 2>&1 | grep -m1 -E 'version "[^"]+"' || true)
  [[ -n "$line" ]] || return 0
  line=${line#*version \"}
  printf '%s\n' "${line%%\"*}"
}

# Prints the feature (major) number of a version string: "25.0.1" -> 25, "1.8.0_452" -> 8, "26-ea" -> 26.
_g4j_java_major() {
  local v="$1" major
  if [[ "$v" == 1.* ]]; then v=${v#1.}; fi
  major=${v%%[!0-9]*}
  printf '%s\n' "${major:-0}"
}

_g4j_find_jdk() {
  local home version best_home="" best_version="" candidate java_on_path
  local -a candidates=()

  if [[ -n "${JAVA_HOME:-}" ]]; then
    version=$(_g4j_java_version "$JAVA_HOME")
    if [[ -n "$version" && $(_g4j_java_major "$version") -ge $GEVENT4J_MIN_JAVA ]]; then
      printf '%s\n' "$JAVA_HOME"
      return 0
    fi
  fi

  local pattern
  for pattern in /usr/lib/jvm/* /opt/java/* /opt/*jdk* /usr/local/*jdk* "${HOME:-/root}"/.sdkman/candidates/java/*; do
    # Unmatched globs stay literal; the -d test drops them.
    [[ -d "$pattern" ]] && candidates+=("$pattern")
  done
  java_on_path=$(command -v java 2>/dev/null || true)
  if [[ -n "$java_on_path" ]]; then
    java_on_path=$(readlink -f "$java_on_path" 2>/dev/null || printf '%s' "$java_on_path")
    candidates+=("$(dirname "$(dirname "$java_on_path")")")
  fi

  for candidate in ${candidates[@]+"${candidates[@]}"}; do
    home=$(readlink -f "$candidate" 2>/dev/null || printf '%s' "$candidate")
    version=$(_g4j_java_version "$home")
    [[ -n "$version" ]] || continue
    [[ $(_g4j_java_major "$version") -ge $GEVENT4J_MIN_JAVA ]] || continue
    if [[ -z "$best_version" ]] \
        || [[ $(printf '%s\n%s\n' "$best_version" "$version" | sort -V | tail -n1) == "$version" \
              && "$version" != "$best_version" ]]; then
      best_home="$home"
      best_version="$version"
    fi
  done
  [[ -n "$best_home" ]] && printf '%s\n' "$best_home"
  return 0
}

_g4j_jdk_home=$(_g4j_find_jdk)
if [[ -z "$_g4j_jdk_home" ]]; then
  echo "gevent4j: no JDK ${GEVENT4J_MIN_JAVA} or newer found (JAVA_HOME=${JAVA_HOME:-<unset>}, checked /usr/lib/jvm, /opt/java, /opt/*jdk*, /usr/local/*jdk*, ~/.sdkman/candidates/java, java on PATH); install one (e.g. apt-get install temurin-25-jdk) or set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME="$_g4j_jdk_home"
export PATH="$JAVA_HOME/bin:$PATH"
unset _g4j_jdk_home

if ! command -v mvn >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "gevent4j: mvn not found; installing the maven package with apt-get" >&2
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends maven >/dev/null; }; then
      echo "gevent4j: could not install maven with apt-get; install Maven 3.8+ and put mvn on PATH" >&2
      exit 1
    fi
    hash -r
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "gevent4j: mvn (Maven 3.8+) not found on PATH; install it (e.g. apt-get install maven) and retry" >&2
    exit 1
  fi
fi

# Maven's own bundled Guava calls sun.misc.Unsafe, which JDK 24+ reports with a warning on every
# build; it is Maven's business, not ours, so keep the build log readable.
case " ${MAVEN_OPTS:-} " in
  *"--sun-misc-unsafe-memory-access"*) ;;
  *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
esac
