#!/usr/bin/env python3
"""A minimal PyTorch + FastAPI/uvicorn server for the same ensemble folder as `quorum serve`: the baseline that
scripts/serve-bench.sh loads with the same requests (docs/serving.md).

It reads ensemble.json and every member's safetensors file (the layer list from the file's `quorum.spec`
metadata; conv weights OIHW and the CHW flatten order are PyTorch's own), normalises pixels with each member's
statistics, scores the views of the ensemble's test-time augmentation (none, or flip: the image and its mirror
image) as `quorum serve` does, and answers POST /v1/vote (one PNG, JPEG or PGM image as the body) with the soft
vote's class, probabilities and votes, one request per forward pass, as a plain FastAPI endpoint does.

Needs: pip install torch fastapi uvicorn python-multipart pillow
Usage: python3 scripts/serve_baseline.py ENSEMBLE_DIR [--port 8090] [--threads 2]
"""
import argparse
import io
import json
import os
import re
import struct

import numpy as np
import torch
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from PIL import Image
from torch import nn


def read_safetensors(path):
    """The tensors (as torch tensors) and the metadata of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: {name}: dtype {entry['dtype']}, expected F32")
        start, end = entry["data_offsets"]
        values = np.frombuffer(data, dtype="<f4", count=(end - start) // 4, offset=base + start)
        tensors[name] = torch.from_numpy(values.copy()).reshape(entry["shape"])
    return tensors, metadata


def build(spec, tensors):
    """An nn.Sequential for a layer list such as 'conv3x3(32) relu maxpool2 flatten dense(128) relu dense(10)'."""
    height, width, channels = spec["inputShape"]
    layers = []
    for index, token in enumerate(spec["layers"].split()):
        conv = re.fullmatch(r"conv(\d+)x\1\((\d+)\)", token)
        dense = re.fullmatch(r"dense\((\d+)\)", token)
        pool = re.fullmatch(r"(max|avg)pool(\d+)", token)
        prefix = f"layers.{index}."
        if conv:
            k, filters = int(conv.group(1)), int(conv.group(2))
            layer = nn.Conv2d(channels, filters, k, padding=k // 2)
            channels = filters
        elif dense:
            units = int(dense.group(1))
            layer = nn.Linear(channels, units)
            channels = units
        elif pool:
            size = int(pool.group(2))
            layer = (nn.MaxPool2d if pool.group(1) == "max" else nn.AvgPool2d)(size)
            height, width = height // size, width // size
        elif token == "relu":
            layer = nn.ReLU()
        elif token == "flatten":
            layer = nn.Flatten()
            channels = channels * height * width
        elif token.startswith("dropout"):
            layer = nn.Dropout(0.0)
        elif token == "batchnorm":
            layer = nn.BatchNorm2d(channels)
        else:
            raise ValueError(f"layer '{token}' is not supported by this baseline")
        own = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
        if own:
            layer.load_state_dict(own, strict=False)
        layers.append(layer)
    return nn.Sequential(*layers).eval()


def load(folder):
    with open(os.path.join(folder, "ensemble.json")) as f:
        manifest = json.load(f)
    members = []
    for member in manifest["members"]:
        tensors, metadata = read_safetensors(os.path.join(folder, member["file"]))
        spec = json.loads(metadata["quorum.spec"])
        norm = json.loads(metadata["quorum.normalization"])
        mean = torch.tensor(norm["mean"]).view(1, -1, 1, 1)
        std = torch.tensor(norm["std"]).view(1, -1, 1, 1)
        members.append((build(spec, tensors), mean, std))
    return manifest, members


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ensemble")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    manifest, members = load(args.ensemble)
    height, width, channels = manifest["input_shape"]
    names = manifest["class_names"]
    views = manifest.get("test_time_augmentation", "none")
    if views not in ("none", "flip"):
        raise SystemExit(f"test-time augmentation '{views}' is not supported by this baseline (none, flip)")
    app = FastAPI()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.post("/v1/vote")
    async def vote(request: Request):
        body = await request.body()
        if not body:
            raise HTTPException(400, "the request body is empty")
        try:
            image = Image.open(io.BytesIO(body))
            image = image.convert("L" if channels == 1 else "RGB").resize((width, height), Image.BILINEAR)
        except Exception as error:
            raise HTTPException(400, f"body: {error}")
        pixels = torch.from_numpy(np.asarray(image, dtype=np.float32).reshape(height, width, channels).copy())
        x = (pixels / 255.0).permute(2, 0, 1).unsqueeze(0)
        if views == "flip":
            x = torch.cat([x, torch.flip(x, dims=[3])])
        with torch.no_grad():
            probabilities = [torch.softmax(net((x - mean) / std), dim=1).mean(0) for net, mean, std in members]
        mean_probability = torch.stack(probabilities).mean(0)
        votes = [0] * len(names)
        for p in probabilities:
            votes[int(p.argmax())] += 1
        winner = int(mean_probability.argmax())
        return {"images": 1, "answers": [{
            "class": winner, "class_name": names[winner], "rule": "soft",
            "probability": float(mean_probability[winner]), "probabilities": mean_probability.tolist(),
            "votes": votes, "agreement": votes[winner] / len(members)}]}

    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
