#!/usr/bin/env bash
# WebGPU ÷ wasm on one host, the fair way (issue 7 item 3: "≥ 4× faster than wasm on the same host").
# A lent machine's host is shared and its speed drifts by ±30 % within minutes (docs/speed.md), so one
# webgpu figure next to one wasm figure can land anywhere from 2.6× to 5.3×. This alternates one process
# per variant (VARIANTS, default "webgpu wasm"; a variant may carry bench flags, e.g.
# webgpu@gpu-pool-floor=4096), ROUNDS times, each timing STEPS default RePO steps after a warm-up, and prints
# each round's and the medians' ratios to wasm (bench/gpu/ratio_table.py). Needs .gpu/ from
# bench/gpu/make-kit.sh, unpacked by bench/gpu/kit.sh (SETUP=0 skips that where run.sh already ran). Logs and
# JSON go to $DIR; where $OUT is set (the device machine), also into $OUT/gpu-ratio.tgz. Also runs here
# (SwiftShader: slow).
set -uo pipefail
cd "$(dirname "$0")/../.."
DIR=${DIR:-/tmp/gpu-ratio}; STEPS=${STEPS:-5}; ROUNDS=${ROUNDS:-4}; VARIANTS=${VARIANTS:-webgpu wasm}; mkdir -p "$DIR"
source bench/gpu/kit.sh
{ date -u; sed 's/^/commit: /' $T/app/commit.txt; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1; nproc; uptime; } | tee "$DIR/host.txt"
# A variant is a backend, optionally with bench flags: webgpu@gpu-pool-floor=512,growth-steps=2.
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
