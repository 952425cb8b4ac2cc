#!/usr/bin/env python3
"""Checks that Quorum's training step is PyTorch's: the same network, weights and batch give the same losses
and weights, step after step.

PyTorch draws a cnn-a network (without its dropout, whose masks cannot be shared), `quorum import-pytorch`
turns its weights into a Quorum model file, and both take STEPS Adam steps on the first N training images as
one batch: `quorum train --init-from ... --train-limit N --batch-size N --epochs STEPS` takes one step per
epoch, and its history records the loss before each. The script prints both loss sequences, how far every
layer moved and how far the two runs ended apart, and exits 1 when a loss differs by more than --tolerance
(relative).

    scripts/pytorch_step_parity.py [--quorum .build/release/quorum] [--steps 5] [--images 64] [--seed 1]

Needs `pip install torch numpy`, and the Fashion-MNIST IDX files (the dataset-fashion-mnist package).
"""
import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from make_pytorch_fixture import save_safetensors

# Quorum's fixed normalisation for Fashion-MNIST (`quorum.normalization` in its model files).
MEAN, STD = 0.286, 0.353
SPEC = "conv3x3(32) relu maxpool2 conv3x3(64) relu maxpool2 flatten dense(128) relu dense(10)"


def cnn_a_without_dropout():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def read_idx(path, count):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    items = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
    return items[:count]


def tensors_of(path):
    """The F32 tensors of a safetensors file, by name."""
    raw = open(path, "rb").read()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + size])
    body = raw[8 + size:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        out[name] = np.frombuffer(body[start:end], dtype="<f4").reshape(entry["shape"])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quorum", default=".build/release/quorum")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--images", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    net = cnn_a_without_dropout()
    work = tempfile.mkdtemp(prefix="step-parity-")
    init_torch, init_quorum, trained = (os.path.join(work, n) for n in ("init-torch.safetensors",
                                                                         "init.safetensors", "trained.safetensors"))
    save_safetensors(net.state_dict(), init_torch)
    start = {name: value.copy() for name, value in tensors_of(init_torch).items()}

    run = lambda *a: subprocess.run([args.quorum, *a], check=True, capture_output=True, text=True)
    run("import-pytorch", "--weights", init_torch, "--model", SPEC, "--normalization", f"{MEAN},{STD}",
        "--out", init_quorum)
    run("train", "--init-from", init_quorum, "--model", SPEC, "--optimizer", "adam", "--lr", str(args.lr),
        "--schedule", "constant", "--warmup", "0", "--label-smoothing", "0", "--augment", "none", "--tta", "none",
        "--validation-size", "0", "--train-limit", str(args.images), "--batch-size", str(args.images),
        "--test-limit", "100", "--epochs", str(args.steps), "--threads", "1", "--out", trained)
    history = json.load(open(os.path.join(work, "trained.history.json")))
    quorum_losses = [epoch["train_loss"] for epoch in history]

    images = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"), args.images)
    labels = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"), args.images)
    x = torch.from_numpy((images.astype(np.float32) / 255 - MEAN) / STD).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    torch_losses = []
    for _ in range(args.steps):
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        torch_losses.append(loss.item())
        optimizer.step()

    worst = 0.0
    print("step  PyTorch loss  Quorum loss  relative difference")
    for step, (t, q) in enumerate(zip(torch_losses, quorum_losses), 1):
        relative = abs(t - q) / abs(t)
        worst = max(worst, relative)
        print(f"{step:4d}  {t:12.6f}  {q:11.6f}  {relative:.2e}")

    ours = tensors_of(trained)
    theirs = {name: p.detach().numpy() for name, p in net.state_dict().items()}
    # Quorum names a tensor by its layer's index in the spec, PyTorch by its module's: the layers with
    # parameters come in the same order, with the same layouts.
    index = lambda name: int(name.split(".")[-2])
    ours_in_order = sorted({index(n) for n in ours})
    theirs_in_order = sorted({index(n) for n in theirs})
    print("tensor      mean |step| PyTorch  Quorum      mean |difference|")
    for q_layer, t_layer in zip(ours_in_order, theirs_in_order):
        for kind in ("weight", "bias"):
            q_value, t_name = ours[f"layers.{q_layer}.{kind}"], f"{t_layer}.{kind}"
            t_value = theirs[t_name]
            moved_t = np.abs(t_value - start[t_name]).mean()
            moved_q = np.abs(q_value - start[t_name]).mean()
            print(f"{t_name:10s}  {moved_t:.4e}  {moved_q:.4e}  {np.abs(q_value - t_value).mean():.3e}")
    if len(quorum_losses) != args.steps or worst > args.tolerance:
        print(f"losses differ: worst relative difference {worst:.2e} > {args.tolerance:g}")
        sys.exit(1)
    print(f"same losses within {worst:.2e} (relative) over {args.steps} steps")


if __name__ == "__main__":
    main()
