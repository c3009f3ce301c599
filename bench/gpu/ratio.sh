#!/usr/bin/env bash
# WebGPU ÷ wasm on one host, the fair way (issue 7 item 3: "≥ 4× faster than wasm on the same host").
# A lent machine's host is shared and its speed drifts by ±30 % within minutes (docs/speed.md), so one
# webgpu figure next to one wasm figure can land anywhere from 2.6× to 5.3×. This alternates one process
# per variant (VARIANTS, default "webgpu wasm"; a variant may carry bench flags, e.g.
# webgpu@gpu-pool-fit=1), ROUNDS times, each timing STEPS default RePO steps after a warm-up, and prints
# each round's and the medians' ratios to wasm (bench/gpu/ratio_table.py). Needs .gpu/ from
# bench/gpu/make-kit.sh and sets up like run.sh (SETUP=0 skips that where run.sh already ran). Logs and
# JSON go to $DIR; where $OUT is set (the device machine), also into $OUT/gpu-ratio.tgz. Also runs here
# (SwiftShader: slow).
set -uo pipefail
cd "$(dirname "$0")/../.."
DIR=${DIR:-/tmp/gpu-ratio}; STEPS=${STEPS:-5}; ROUNDS=${ROUNDS:-4}; VARIANTS=${VARIANTS:-webgpu wasm}; mkdir -p "$DIR"
T=/tmp/gpukit
if [ "${SETUP:-1}" = 1 ]; then
  mkdir -p $T/bin $T/x
  xz -dc .gpu/node.xz > $T/bin/node && chmod +x $T/bin/node
  rm -rf $T/app && cp -r .gpu/app $T/app
  xz -dc .gpu/dawn.node.xz > $T/app/node_modules/webgpu/dist/linux-x64/dawn.node
  for d in .gpu/debs/*.deb; do
    case $d in
      *libvulkan1_*|*libglvnd0_*|*libglx0_*|*libegl1_*|*libopengl0_*|*libgl1_*|*libgles2_*) dpkg -x "$d" / ;;
      *) dpkg -x "$d" $T/x ;;
    esac
  done
  ldconfig
fi
export LD_LIBRARY_PATH=$T/x/usr/lib/x86_64-linux-gnu:$T/x/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  [ -f $icd ] && export VK_DRIVER_FILES=$icd && break
done
[ -x $T/bin/node ] && export PATH=$T/bin:$PATH
{ date -u; sed 's/^/commit: /' $T/app/commit.txt; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1; nproc; uptime; } | tee "$DIR/host.txt"
# A variant is a backend, optionally with bench flags: webgpu@gpu-pool-fit=1,gpu-pool-floor=512.
for i in $(seq 1 $ROUNDS); do
  for v in $VARIANTS; do
    b=${v%%@*}; extra=; name=$(echo "$v" | tr '@=,' '---')
    if [ "$b" != "$v" ]; then for kv in $(echo "${v#*@}" | tr ',' ' '); do extra="$extra --${kv%%=*} ${kv#*=}"; done; fi
    node $T/app/bench.mjs --backends $b $extra --steps $STEPS --growth-steps 1 --no-browser --json "$DIR/$name-$i.json" 2>&1 | grep -v '^\(=\|Hi,\|$\)' | tee "$DIR/$name-$i.log"
  done
  [ -n "${OUT:-}" ] && tar czf "$OUT/gpu-ratio.tgz" -C "$DIR" . # after each round: a cut-off call still returns the rounds done
done
uptime | tee -a "$DIR/host.txt"
python3 bench/gpu/ratio_table.py "$DIR" | tee "$DIR/ratio.txt"
[ -n "${OUT:-}" ] && tar czf "$OUT/gpu-ratio.tgz" -C "$DIR" .
