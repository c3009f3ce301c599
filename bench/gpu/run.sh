#!/usr/bin/env bash
# The device-machine check for issue 7 (one call, a few minutes): WebGPU through Dawn on the real GPU's
# Vulkan driver, next to tfjs-wasm on the same host and PyTorch-CUDA on the same card, on the same work.
# Needs .gpu/ from bench/gpu/make-kit.sh. Writes logs and JSON under $DIR; where $OUT is set (the device
# machine, which sends back at most 8 files), also packs them into $OUT/gpu-run.tgz. Also runs here
# (SwiftShader: slow).
set -uo pipefail
cd "$(dirname "$0")/../.."
DIR=${DIR:-/tmp/gpu-run}; STEPS=${STEPS:-3}; ROUNDS=${ROUNDS:-3}; mkdir -p "$DIR"
source bench/gpu/kit.sh
{ date -u; cat $T/app/base-commit.txt 2>/dev/null | sed 's/^/base commit: /'; sed 's/^/commit: /' $T/app/commit.txt 2>/dev/null; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1; nproc; lscpu | grep -E '^(Model name|CPU MHz|CPU max MHz|L2 cache|L3 cache|Flags)' ; node --version
  g=$(ldconfig -p | grep -o '/[^ ]*libGLX_nvidia.so.0' | head -1); [ -n "$g" ] && { echo "$g:"; ldd "$g" | grep 'not found'; }
  python3 -c 'import torch; print("torch", torch.__version__, torch.cuda.is_available())' 2>&1; echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"; } | tee "$DIR/host.txt"
B="$T/app/bench.mjs"
# 1. Per-backend figures and auto mode's probe (numerics checked against cpu).
node $B --backends webgpu,wasm --probe --steps $STEPS --growth-steps 20 --no-browser --json "$DIR/bench.json" 2>&1 | tee "$DIR/bench.log"
# 1a. Same seed twice on the GPU: identical records? (A GPU runs workgroups in any order; SwiftShader's
#     order hides races and atomics.)
node $B --determinism --backends webgpu --steps $STEPS 2>&1 | tee "$DIR/determinism-webgpu.log"
# 1b. With a kit built with BASE=<commit>: that commit's WebGPU step against this one's, alternating, on
#     this machine (the only fair before/after: the device machines and their hosts differ per run).
#     "pool" is this commit with a 4 GB pool floor: almost no GPU buffers created per step, which says
#     what creating ~200 buffers per step (the bounded pool's misses) costs on a real GPU.
if [ -f $T/app/bench-base.mjs ]; then
  for i in $(seq 1 ${AB_ROUNDS:-2}); do
    for v in base new pool; do
      b=$T/app/bench.mjs; extra=; [ $v = base ] && b=$T/app/bench-base.mjs; [ $v = pool ] && extra="--gpu-pool-floor 4096"
      node $b --backends webgpu --steps $STEPS --growth-steps 5 --no-browser $extra --json "$DIR/ab-$v-$i.json" 2>&1 | tee "$DIR/ab-$v-$i.log"
    done
  done
fi
# 2. WebGPU next to PyTorch-CUDA on the same work (the first update's loss and grad norm must agree).
node $B --compare-torch --backends webgpu --torch-device cuda --steps $ROUNDS --json "$DIR/torch-webgpu.json" 2>&1 | tee "$DIR/torch-webgpu.log"
# 3. tfjs-wasm (one thread) next to PyTorch on one CPU thread of this host.
[ "${WASM_TORCH:-1}" = 1 ] && node $B --compare-torch --backends wasm --torch-device cpu --steps ${WASM_ROUNDS:-2} --json "$DIR/torch-wasm.json" 2>&1 | tee "$DIR/torch-wasm.log"
# 4. Where a webgpu step's time goes: host-side cost per kernel, and GPU time of one forward + backward.
[ "${PROFILE:-1}" = 1 ] && node $B --profile --backends webgpu 2>&1 | tee "$DIR/profile-webgpu.log"
# 5. WebGPU ÷ wasm over alternated processes (the single pair in 1. spreads 2.6–5.3× on a shared host).
[ "${RATIO:-1}" = 1 ] && SETUP=0 ROUNDS=${RATIO_ROUNDS:-4} OUT= DIR="$DIR/ratio" bash bench/gpu/ratio.sh
echo done | tee -a "$DIR/host.txt"
[ -n "${OUT:-}" ] && tar czf "$OUT/gpu-run.tgz" -C "$DIR" .
