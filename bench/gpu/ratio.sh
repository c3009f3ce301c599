#!/usr/bin/env bash
# WebGPU ÷ wasm on one host, the fair way (issue 7 item 3: "≥ 4× faster than wasm on the same host").
# A lent machine's host is shared and its speed drifts by ±30 % within minutes (docs/speed.md), so one
# webgpu figure next to one wasm figure can land anywhere from 2.6× to 5.3×. This alternates one
# process per backend, ROUNDS times, each timing STEPS default RePO steps after a warm-up, and prints the
# ratio of each round and of the medians. Needs .gpu/ from bench/gpu/make-kit.sh; sets up like run.sh
# (SETUP=0 skips that, e.g. on a machine where run.sh already ran). Also runs here (SwiftShader: slow).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/gpu-ratio}; STEPS=${STEPS:-5}; ROUNDS=${ROUNDS:-4}; BACKENDS=${BACKENDS:-webgpu wasm}; mkdir -p "$OUT"
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
{ date -u; sed 's/^/commit: /' $T/app/commit.txt; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1; nproc; uptime; } | tee "$OUT/host.txt"
for i in $(seq 1 $ROUNDS); do
  for b in $BACKENDS; do
    node $T/app/bench.mjs --backends $b --steps $STEPS --growth-steps 1 --no-browser --json "$OUT/$b-$i.json" 2>&1 | grep -v '^\(=\|Hi,\|$\)' | tee "$OUT/$b-$i.log"
  done
done
uptime | tee -a "$OUT/host.txt"
python3 - "$OUT" $ROUNDS $BACKENDS <<'PY' | tee "$OUT/ratio.txt"
import json, statistics, sys
out, rounds, backends = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def step(b, i):
    try: return json.load(open(f'{out}/{b}-{i}.json'))['backends'][0]['stepMs']
    except Exception: return None
rows = [[step(b, i) for b in backends] for i in range(1, rounds + 1)]
print('| round | ' + ' | '.join(f'{b} step (ms)' for b in backends) + (f' | {backends[1]} step ÷ {backends[0]} step |' if len(backends) == 2 else ' |'))
print('|---' * (len(backends) + 1 + (len(backends) == 2)) + '|')
for i, r in enumerate(rows, 1):
    ratio = f' | {r[1] / r[0]:.2f}×' if len(r) == 2 and None not in r else (' | –' if len(r) == 2 else '')
    print(f'| {i} | ' + ' | '.join('–' if x is None else f'{x:.0f}' for x in r) + ratio + ' |')
cols = [[r[k] for r in rows if r[k] is not None] for k in range(len(backends))]
if all(cols):
    med = [statistics.median(c) for c in cols]
    ratio = f' | **{med[1] / med[0]:.2f}×**' if len(med) == 2 else ''
    print('| median | ' + ' | '.join(f'{m:.0f}' for m in med) + ratio + ' |')
PY
