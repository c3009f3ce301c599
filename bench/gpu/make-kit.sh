#!/usr/bin/env bash
# Builds .gpu/ (git-ignored): what bench/gpu/run.sh needs on a device machine that has an NVIDIA GPU and
# Python with PyTorch but no Node and no network. Carry `.gpu` with the repo. ~35 MB:
#   node.xz       this machine's Node binary (x86-64, glibc)
#   dawn.node.xz  Dawn's WebGPU for Node (the optional `webgpu` package)
#   app/          `npm run bench` bundled into one file with esbuild, tfjs-wasm's .wasm files beside it,
#                 and node_modules/webgpu (its index.js; run.sh unpacks dawn.node into it)
#   debs/         the Vulkan loader, glvnd (NVIDIA's Vulkan driver is libGLX_nvidia.so.0 and needs it), and
#                 the X/Wayland client libraries Dawn links against
# BASE=<commit> also bundles that commit's bench as app/bench-base.mjs, so run.sh times the code before
# and after a change on the same machine in one call (the device machines differ from run to run).
set -euo pipefail
cd "$(dirname "$0")/../.."
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo /.gpu/ >> .git/info/exclude
rm -rf .gpu && mkdir -p .gpu/debs .gpu/app/node_modules/webgpu/dist/linux-x64
bundle() { # bundle <bench.ts> <out.mjs>
  npx esbuild "$1" --bundle --platform=node --format=esm --target=node20 --outfile="$2" \
    --external:webgpu --external:playwright --external:playwright-core --external:@playwright/test \
    --external:@axe-core/playwright --external:vite --external:lightningcss --log-level=error \
    --banner:js="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
}
bundle src/cli/bench.ts .gpu/app/bench.mjs
git rev-parse HEAD > .gpu/app/commit.txt # the kit is built from the working tree: commit before building
if [ -n "${BASE:-}" ]; then
  wt=$(mktemp -d)/base && git worktree add -q --detach "$wt" "$BASE" && ln -s "$PWD/node_modules" "$wt/node_modules"
  bundle "$wt/src/cli/bench.ts" .gpu/app/bench-base.mjs
  git rev-parse "$BASE" > .gpu/app/base-commit.txt
  git worktree remove --force "$wt"
fi
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm .gpu/app/
cp node_modules/webgpu/index.js node_modules/webgpu/package.json .gpu/app/node_modules/webgpu/
# The bundle imports the browser bench's modules statically; the device machine has no browser (--no-browser).
for p in @playwright/test vite; do
  mkdir -p .gpu/app/node_modules/$p && echo "{\"name\":\"$p\",\"type\":\"module\",\"main\":\"index.js\"}" > .gpu/app/node_modules/$p/package.json
done
echo 'export const chromium = null;' > .gpu/app/node_modules/@playwright/test/index.js
echo 'export const build = null, preview = null;' > .gpu/app/node_modules/vite/index.js
xz -9 -T2 -c node_modules/webgpu/dist/linux-x64/dawn.node > .gpu/dawn.node.xz
xz -9 -T2 -c "$(command -v node)" > .gpu/node.xz
(cd .gpu/debs && apt-get download libvulkan1 libglvnd0 libglx0 libegl1 libopengl0 libgl1 libgles2 \
  libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0 libwayland-client0 2>/dev/null)
du -sh .gpu
