#!/usr/bin/env bash
# One-time machine set-up for RFTwin Studio: system Chromium (e2e tests, SwiftShader WebGPU),
# the Vulkan loader (Node WebGPU through Dawn + SwiftShader), Slurm and munge (the Slurm
# integration test starts a single-node cluster: scripts/slurm-single-node.sh), then the npm
# packages.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' || need_apt+=(libvulkan1)
[ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && [ -x /usr/bin/sbatch ] || need_apt+=(slurm-wlm)
[ -x /usr/sbin/munged ] || need_apt+=(munge)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install as root: apt-get update && apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need_apt[*]} (apt)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# onnxruntime-node (used by transformers.js in Node) would try to download CUDA binaries from
# the internet in its install script; the CPU binaries are in the package, so skip that step.
# `npm install` (not `npm ci`): the registry reachable here lacks other platforms' optional
# binaries (e.g. @biomejs/cli-win32-x64), which `npm ci` insists on finding in the lock file;
# `npm install` still installs the locked versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund
fi
# the `rftwin` CLI as one JavaScript bundle (plain Node at run time; bin/rftwin.mjs rebuilds it
# by itself whenever a source file is newer than the bundle)
node scripts/build-cli.mjs
