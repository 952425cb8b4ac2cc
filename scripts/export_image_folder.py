#!/usr/bin/env python3
"""Writes an MNIST-style IDX data set as an image folder: OUT/train/CLASS/NNNNN.EXT and OUT/test/CLASS/NNNNN.EXT.

Usage: python3 scripts/export_image_folder.py IDX_DIR OUT png|jpeg [--quality 95]
IDX_DIR holds train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz) and
t10k-labels-idx1-ubyte(.gz). File names are the image's 1-based index in its IDX file, so a folder can be
compared with the IDX files image by image. Used by scripts/folder-parity.sh.
"""
import argparse
import gzip
import os
import struct

from PIL import Image


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    body = data[4 + 4 * dims:]
    count = 1
    for d in shape:
        count *= d
    if len(body) != count:
        raise SystemExit(f"{path}: header declares {count} bytes, file holds {len(body)}")
    return shape, body


def find(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"{directory}: no {stem} or {stem}.gz")


def export(directory, prefix, split, out, fmt, quality):
    (count, rows, cols), pixels = read_idx(find(directory, f"{prefix}-images-idx3-ubyte"))
    (label_count,), labels = read_idx(find(directory, f"{prefix}-labels-idx1-ubyte"))
    if label_count != count:
        raise SystemExit(f"{prefix}: {count} images but {label_count} labels")
    extension = "png" if fmt == "png" else "jpg"
    size = rows * cols
    for i in range(count):
        folder = os.path.join(out, split, str(labels[i]))
        os.makedirs(folder, exist_ok=True)
        image = Image.frombytes("L", (cols, rows), pixels[i * size:(i + 1) * size])
        path = os.path.join(folder, f"{i + 1:05d}.{extension}")
        if fmt == "png":
            image.save(path)
        else:
            image.save(path, quality=quality)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("idx_dir")
    parser.add_argument("out")
    parser.add_argument("format", choices=["png", "jpeg"])
    parser.add_argument("--quality", type=int, default=95)
    args = parser.parse_args()
    export(args.idx_dir, "train", "train", args.out, args.format, args.quality)
    export(args.idx_dir, "t10k", "test", args.out, args.format, args.quality)


if __name__ == "__main__":
    main()
