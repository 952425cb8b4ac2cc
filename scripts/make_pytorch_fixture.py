#!/usr/bin/env python3
"""Writes the PyTorch import fixture used by QuorumCoreTests (PyTorchImportTests).

A cnn-b network (conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu maxpool2 flatten dense(128)
relu dropout(0.25) dense(3)) on 8x12x1 images, built as an nn.Sequential under the attribute `net`, the way
the reference nets are. Its weights and BatchNorm statistics are random (seed 0); the state dict is saved as
safetensors, num_batches_tracked (I64) included, exactly as safetensors.torch.save_file would store it. A
second file holds four input images (N, C, H, W) and the logits PyTorch computes for them in eval mode.

The training-step fixture (PyTorchTrainingStepTests) is a smaller network with batch norm and no dropout,
`conv3x3(8) batchnorm relu maxpool2 conv3x3(16) batchnorm relu maxpool2 flatten dense(32) relu dense(3)`, drawn
with PyTorch's default initialisation (seed 1), and 16 random images with labels: pytorch_steps_initial holds
the weights before training, pytorch_steps_expected the batch and the loss before each of five Adam steps
(lr 1e-3, training mode, the whole batch each step), and pytorch_steps_trained the state after them.

Needs torch only (the safetensors files are packed by hand). Usage:
    python3 scripts/make_pytorch_fixture.py Tests/Fixtures/pytorch
"""
import json
import os
import struct
import sys

import torch
from torch import nn


def save_safetensors(tensors, path):
    """safetensors layout: u64 little-endian header length, JSON header, raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        raw = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


class SequentialNet(nn.Module):
    """An nn.Sequential under the attribute `net`, as the reference nets hold theirs: tensors are net.INDEX.*."""

    def __init__(self, *layers):
        super().__init__()
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def cnn_b_on_8x12():
    return SequentialNet(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 2 * 3, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 3))


def step_net():
    return SequentialNet(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 2 * 3, 32), nn.ReLU(), nn.Linear(32, 3))


def write_training_steps(out, steps=5):
    torch.manual_seed(1)
    net = step_net()
    inputs = torch.randn(16, 1, 8, 12)
    labels = torch.randint(0, 3, (16,))
    save_safetensors(net.state_dict(), os.path.join(out, "pytorch_steps_initial.safetensors"))
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(net(inputs), labels)
        loss.backward()
        losses.append(loss.item())
        optimizer.step()
    save_safetensors(net.state_dict(), os.path.join(out, "pytorch_steps_trained.safetensors"))
    save_safetensors(
        {"inputs": inputs, "labels": labels.float(), "losses": torch.tensor(losses)},
        os.path.join(out, "pytorch_steps_expected.safetensors"))
    print("losses", losses)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/pytorch"
    torch.manual_seed(0)
    net = cnn_b_on_8x12()
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(7)
    net.eval()
    inputs = torch.randn(4, 1, 8, 12)
    with torch.no_grad():
        logits = net(inputs)
    save_safetensors(net.state_dict(), os.path.join(out, "pytorch_cnn_b.safetensors"))
    save_safetensors({"inputs": inputs, "logits": logits}, os.path.join(out, "pytorch_cnn_b_expected.safetensors"))
    print("logits", logits)
    write_training_steps(out)


if __name__ == "__main__":
    main()
