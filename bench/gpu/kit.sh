# Sourced by bench/gpu/run.sh and ratio.sh (from the repository root): unpacks the kit from
# bench/gpu/make-kit.sh into $T (/tmp/gpukit), unless SETUP=0 (a machine where it is unpacked already), and
# sets the environment for Node + Dawn on NVIDIA's Vulkan driver.
T=/tmp/gpukit
if [ "${SETUP:-1}" = 1 ]; then
  mkdir -p $T/bin $T/x
  xz -dc .gpu/node.xz > $T/bin/node && chmod +x $T/bin/node
  rm -rf $T/app && cp -r .gpu/app $T/app  # unpacked outside the repo, so .gpu stays small enough to carry
  xz -dc .gpu/dawn.node.xz > $T/app/node_modules/webgpu/dist/linux-x64/dawn.node
  # NVIDIA's Vulkan ICD is libGLX_nvidia.so.0, which needs glvnd (libGLdispatch, libGLX): the loader and
  # glvnd go into / (as /work/.library/device/README.md says), the X/Wayland client libraries stay aside.
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
