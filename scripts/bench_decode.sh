#!/usr/bin/env bash
# Decode-and-resize speed of an image folder: Quorum's TurboJPEG path against Pillow, and against torchvision's
# ImageFolder + DataLoader(num_workers=2) when torchvision can be installed for the installed torch.
#
#   scripts/bench_decode.sh [COUNT] [SIZE]
#
# Writes COUNT (default 10000) Fashion-MNIST test images as CLASS/N.jpg (quality 95) into a temporary folder,
# then decodes the whole folder with each reader to SIZE×SIZE grey (default 28, the images' own size: no resize
# work; 32 measures a resize too). Quorum's figure is the fastest of three passes on all cores (the library's
# DecodeBenchmark, run through the test harness; QuorumData is optimised in debug builds too).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
size=${2:-28}
source_dir=/usr/share/datasets/fashion-mnist
[ -d "$source_dir" ] || { echo "bench_decode: $source_dir missing; run scripts/setup.sh" >&2; exit 1; }
python3 -c "import PIL" 2>/dev/null || pip install --quiet Pillow
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
folder="$work/fashion-jpeg"

python3 - "$source_dir" "$folder" "$count" <<'PY'
import gzip, os, sys
from PIL import Image
source, folder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
images = gzip.open(os.path.join(source, "t10k-images-idx3-ubyte.gz")).read()[16:]
labels = gzip.open(os.path.join(source, "t10k-labels-idx1-ubyte.gz")).read()[8:]
for i in range(min(count, len(labels))):
    d = os.path.join(folder, "class%d" % labels[i])
    os.makedirs(d, exist_ok=True)
    Image.frombytes("L", (28, 28), images[i * 784:(i + 1) * 784]).save(os.path.join(d, "%05d.jpg" % i), quality=95)
PY
files=$(find "$folder" -name '*.jpg' | wc -l)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "machine: $(nproc) cores, $cpu, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "folder: $files JPEG files of 28x28 grey, decoded to ${size}x${size} grey"

python3 - "$folder" "$size" <<'PY'
import os, sys, time
from multiprocessing import Pool
from PIL import Image
folder, size = sys.argv[1], int(sys.argv[2])
paths = sorted(os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs)
def load(p):
    with Image.open(p) as im:
        im = im.convert("L")
        if im.size != (size, size):
            im = im.resize((size, size), Image.BOX if im.width > size else Image.BILINEAR)
        return im.tobytes()
def best(run):
    times = []
    for _ in range(3):
        start = time.perf_counter(); run(); times.append(time.perf_counter() - start)
    return len(paths) / min(times)
print("Pillow, 1 process: %.0f images/s" % best(lambda: [load(p) for p in paths]))
with Pool(os.cpu_count()) as pool:
    print("Pillow, %d processes: %.0f images/s" % (os.cpu_count(), best(lambda: pool.map(load, paths, chunksize=256))))
PY

# torchvision goes into a throw-away environment beside the installed torch, so nothing of the user's changes.
# Its ImageFolder, DataLoader and transforms are Python over Pillow and need none of its compiled operators, so
# when the index has no release for the installed torch yet, the newest earlier one measures the same path.
python=python3
if ! python3 -c "import torchvision" 2>/dev/null; then
    torch_version=$(python3 -c "import torch; print(torch.__version__.split('+')[0])" 2>/dev/null || true)
    if [ -n "$torch_version" ]; then
        # torchvision 0.(m + 15) goes with torch 2.m.
        minor=$(echo "$torch_version" | cut -d. -f2)
        python3 -m venv --system-site-packages "$work/venv"
        for candidate in $((minor + 15)) $((minor + 14)); do
            if "$work/venv/bin/pip" install --quiet --no-deps "torchvision==0.$candidate.*" >/dev/null 2>&1; then
                python="$work/venv/bin/python"
                [ "$candidate" -eq $((minor + 15)) ] \
                    || echo "torchvision: no 0.$((minor + 15)) for torch $torch_version yet; measured with 0.$candidate"
                break
            fi
        done
        [ "$python" != python3 ] || echo "torchvision: no release for torch $torch_version on the index; skipped"
    else
        echo "torchvision: torch is not installed; skipped"
    fi
fi
if "$python" -c "import torchvision" 2>/dev/null; then
    "$python" - "$folder" "$size" <<'PY'
import sys, time
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
folder, size = sys.argv[1], int(sys.argv[2])
transform = transforms.Compose([transforms.Grayscale(), transforms.Resize((size, size)), transforms.PILToTensor()])
data = datasets.ImageFolder(folder, transform=transform)
loader = DataLoader(data, batch_size=256, num_workers=2)
times = []
for _ in range(3):
    start = time.perf_counter()
    for _batch in loader:
        pass
    times.append(time.perf_counter() - start)
print("torchvision ImageFolder + DataLoader(num_workers=2): %.0f images/s" % (len(data) / min(times)))
PY
fi

export PATH=/opt/swift/usr/bin:$PATH
swift build -c release >/dev/null
echo "Quorum (TurboJPEG, $(nproc) cores): $(.build/release/quorum bench --decode "$folder" --decode-size "$size,$size" \
    --windows 3 2>/dev/null)" || { echo "bench_decode: the Quorum measurement failed" >&2; exit 1; }
