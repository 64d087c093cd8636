# shellcheck shell=bash
# Toolchain bootstrap for eCars Cloud. Source it, don't run it:
#
#   source scripts/bootstrap.sh
#
# Why: the Salesforce libraries (@heroku/applink, jsforce 3, @salesforce/core) pull in undici 8,
# which crashes on Node 20 (createZstdDecompress is missing). When the machine's `node` is older
# than 22.19 this installs Node 24 LTS from the npm registry (the `node` package ships the binary)
# into the git-ignored prefix .toolchain/ and puts it first on PATH. pnpm is installed the same way,
# pinned to the version in package.json's `packageManager`, so nothing is fetched from anywhere
# but the package registry. Idempotent: a second run only checks two version strings.

ecars_bootstrap() {
  local root node_want pnpm_want prefix bin have
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  node_want="24.21.0"
  pnpm_want="$(sed -n 's/.*"packageManager": *"pnpm@\([0-9.]*\)".*/\1/p' "$root/package.json")"
  prefix="$root/.toolchain"
  bin="$prefix/node_modules/.bin"

  if [ -z "$pnpm_want" ]; then
    echo "bootstrap: package.json has no \"packageManager\": \"pnpm@x.y.z\" pin" >&2
    return 1
  fi

  # Node 24 only when the machine's node is too old; pnpm always at the pinned version (corepack
  # would download it from its own CDN, which this project must not depend on).
  have="$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)"
  local need_node=0 deps
  ecars_version_ge "$have" "22.19.0" || need_node=1
  deps="\"pnpm\": \"$pnpm_want\""
  [ "$need_node" = 1 ] && deps="$deps, \"node\": \"$node_want\""
  if [ "$(pnpm --version 2>/dev/null)" != "$pnpm_want" ] || [ "$need_node" = 1 ]; then
    if [ "$("$bin/pnpm" --version 2>/dev/null)" != "$pnpm_want" ] ||
       { [ "$need_node" = 1 ] && [ "$("$bin/node" -p 'process.versions.node' 2>/dev/null)" != "$node_want" ]; }; then
      [ "$need_node" = 1 ] && echo "bootstrap: node $have is older than 22.19; installing node $node_want from the npm registry into .toolchain/" >&2
      echo "bootstrap: installing pnpm $pnpm_want into .toolchain/" >&2
      command -v npm >/dev/null || { echo "bootstrap: npm is needed to install the toolchain" >&2; return 1; }
      mkdir -p "$prefix"
      printf '{ "private": true, "dependencies": { %s } }\n' "$deps" >"$prefix/package.json"
      npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error >&2 || return 1
    fi
    case ":$PATH:" in *":$bin:"*) ;; *) export PATH="$bin:$PATH" ;; esac
  fi

  export TURBO_TELEMETRY_DISABLED=1 SF_DISABLE_AUTOUPDATE=true SF_DISABLE_TELEMETRY=true SF_SKIP_NEW_VERSION_CHECK=true
  echo "bootstrap: node $(node -p 'process.versions.node'), pnpm $(pnpm --version)" >&2
}

# ecars_version_ge A B: true when dotted version A >= B.
ecars_version_ge() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

ecars_bootstrap
