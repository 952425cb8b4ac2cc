#!/usr/bin/env python3
"""Writes the fuzzing seed corpus (Tests/Fixtures/fuzz/TARGET/seed-*): small valid inputs for every parser.

Run from the repository root. The files are committed; rerun only to change the seeds.
"""
import gzip
import json
import os
import struct
import zlib

ROOT = os.path.join("Tests", "Fixtures", "fuzz")


def write(target, name, data):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def idx_images(count, rows, cols):
    pixels = bytes((k * 31 + i) % 256 for k in range(count) for i in range(rows * cols))
    return struct.pack(">IIII", 0x803, count, rows, cols) + pixels


def idx_labels(labels):
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def png(width, height, colour, samples, palette=None, trns=None, filters=(0,)):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    rows = b""
    for y in range(height):
        rows += bytes([filters[y % len(filters)]]) + bytes((x * 17 + y * 5) % 256 for x in range(width * samples))
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0))
    if palette is not None:
        out += chunk(b"PLTE", palette)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def safetensors(metadata, tensors):
    header = {"__metadata__": metadata}
    body = b""
    for name, shape, values in tensors:
        data = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(body), len(body) + len(data)]}
        body += data
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + body


def model(layers, input_shape, classes, tensors):
    spec = {"classes": classes, "inputShape": input_shape, "layers": layers, "name": "custom"}
    meta = {"format": "quorum-model", "quorum.version": "1", "quorum.spec": json.dumps(spec),
            "quorum.normalization": json.dumps({"mean": [0.5] * input_shape[2], "std": [0.25] * input_shape[2]}),
            "quorum.class_names": json.dumps([str(i) for i in range(classes)]), "quorum.training": "{}"}
    return safetensors(meta, tensors)


def frames(*parts):
    out = b""
    for p in parts:
        out += struct.pack("<I", len(p)) + p
    return out


def main():
    write("idx", "images", idx_images(3, 4, 5))
    write("idx", "labels", idx_labels([0, 1, 2, 9]))
    write("gzip", "idx", gzip.compress(idx_images(2, 3, 3), mtime=0))
    write("gzip", "two-members", gzip.compress(b"abc", mtime=0) + gzip.compress(b"defgh" * 40, mtime=0))
    write("png", "grey", png(4, 3, 0, 1, filters=(0, 1, 2, 3, 4)))
    write("png", "rgba", png(3, 3, 6, 4, filters=(4, 3)))
    write("png", "palette", png(4, 2, 3, 1, palette=bytes(range(48)) * 16, trns=b"\x00\x80"))
    write("pgm", "binary", b"P5\n# comment\n4 3\n255\n" + bytes(range(0, 240, 20)))
    write("pgm", "ascii", b"P2 3 2 15\n0 1 2\n13 14 15\n")
    write("csv", "header", b"label,p1,p2,p3,p4\n3,0,255,12,9\n1,1,2,3,4\n")
    write("csv", "plain", b"0,1,2,3,4,5,6,7,8,9\n2,9,8,7,6,5,4,3,2,1\r\n")
    write("model-file", "dense", model("flatten dense(3)", [2, 2, 1], 3,
                                       [("layers.1.weight", [3, 4], [0.1 * i for i in range(12)]),
                                        ("layers.1.bias", [3], [0.0, 0.5, -0.5])]))
    write("model-file", "conv", model("conv3x3(2) batchnorm relu gap dense(2)", [3, 3, 1], 2,
                                      [("layers.0.weight", [2, 1, 3, 3], [0.01 * i for i in range(18)]),
                                       ("layers.0.bias", [2], [0.0, 0.1]),
                                       ("layers.1.weight", [2], [1.0, 1.0]), ("layers.1.bias", [2], [0.0, 0.0]),
                                       ("layers.4.weight", [2, 2], [1.0, 0.0, 0.0, 1.0]),
                                       ("layers.4.bias", [2], [0.0, 0.0]),
                                       ("layers.1.running_mean", [2], [0.0, 0.0]),
                                       ("layers.1.running_var", [2], [1.0, 1.0])]))
    proto = b"QUORUM/1"
    write("message-codec", "heartbeat", frames(proto, b"HEARTBEAT", b"{}"))
    write("message-codec", "ready", frames(proto, b"READY", json.dumps(
        {"version": "1", "host": "h", "cores": 2, "threads": 2, "isa": "avx2",
         "datasets": {"fashion-mnist": "0" * 64}}).encode()))
    write("message-codec", "failed", frames(proto, b"FAILED", json.dumps(
        {"job_id": "m-1", "error": "out of memory", "retryable": True}).encode()))
    probabilities = struct.pack("<4f", 0.25, 0.75, 0.5, 0.5)
    write("message-codec", "result", frames(proto, b"RESULT", json.dumps(
        {"job_id": "m-1", "validation_loss": 0.3, "validation_accuracy": 0.9, "history": [{"epoch": 1, "loss": 0.5}],
         "test_count": 2, "classes": 2, "model_bytes": 8}).encode(), probabilities, b"\x08" + b"\x00" * 7))
    write("message-codec", "job", frames(proto, b"JOB", json.dumps(
        {"job_id": "m-3", "member_index": 3, "attempt": 1, "threads": 1,
         "config": {"seed": 4, "model": "cnn-a", "augment": {"flip": True}, "sizes": [1]}}).encode()))
    write("message-codec", "data-chunk", frames(proto, b"DATA_CHUNK", json.dumps(
        {"dataset": "d", "file": "f", "chunk": 0, "bytes": 3, "sha256": "0" * 64}).encode(), b"abc"))


if __name__ == "__main__":
    main()
