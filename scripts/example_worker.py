#!/usr/bin/env python3
"""A minimal Quorum worker written from docs/protocol.md alone: it trains softmax regression
(`flatten dense(C)`) on IDX data with numpy and returns a real Quorum model file.

    python3 scripts/example_worker.py --connect tcp://127.0.0.1:5555

Needs pyzmq and numpy (Debian: python3-zmq, python3-numpy). It speaks QUORUM/1 over a DEALER socket:
READY, HEARTBEAT both ways (also while training, which runs on its own thread), DATA_REQUEST for the
job's data set (downloaded chunk by chunk into a cache when its own copy does not match), PROGRESS after
each epoch, then RESULT or FAILED. It reconnects when the coordinator goes silent and leaves on DISCONNECT.

Supported jobs: `model` must be `flatten dense(C)` for C classes, and the data set must be IDX images
(the Fashion-MNIST package, a folder, or `train=IMAGES:LABELS,test=IMAGES:LABELS`). Bagged members
(`sample`) draw Quorum's own seeded sample; snapshot jobs (`snapshots`, cosine or FGE) send every cycle's
member in one RESULT; `initialization` draws the layer from that scheme's distribution. Other settings
(augmentation, test-time augmentation, EMA, class filters, init_from, distillation, ...) are refused with
FAILED, retryable false.
"""
import argparse
import gzip
import hashlib
import json
import math
import os
import queue
import shutil
import socket as pysocket
import struct
import threading
import time

import numpy as np
import zmq

PROTOCOL = b"QUORUM/1"
FASHION_FOLDER = "/usr/share/datasets/fashion-mnist"
FASHION_NORMALIZATION = ([0.2860], [0.3530])
FASHION_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                 "Ankle boot"]
IDX_NAMES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
MASK64 = (1 << 64) - 1


class Refused(Exception):
    """A job this worker cannot train: reported FAILED with retryable false."""


# ---- Quorum's seeded validation split (docs/protocol.md, "The job's data") ----

class SplitMix64:
    def __init__(self, seed, purpose):
        h = 0xCBF29CE484222325                      # FNV-1a of the purpose
        for byte in purpose.encode():
            h = ((h ^ byte) * 0x100000001B3) & MASK64
        self.state = (seed ^ h) & MASK64
        self.state = self.next()

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        """A uniform integer in 0..<n (Lemire's multiply-shift with rejection, as Swift's next(upperBound:))."""
        m = self.next() * n
        if m & MASK64 < n:
            t = (-n % (1 << 64)) % n
            while m & MASK64 < t:
                m = self.next() * n
        return m >> 64


def validation_mask(count, size, seed):
    """True for the `size` training images held out for validation (a seeded Fisher-Yates shuffle)."""
    p = list(range(count))
    rng = SplitMix64(seed, "split")
    for i in range(count - 1, 0, -1):
        j = rng.below(i + 1)
        p[i], p[j] = p[j], p[i]
    held = np.zeros(count, dtype=bool)
    held[p[:size]] = True
    return held


# ---- data ----

def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    kind, dims = raw[2], raw[3]
    if kind != 0x08:
        raise Refused(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def idx_paths(spec, folder):
    """Train images, train labels, test images, test labels for a spec (or a downloaded folder)."""
    if folder is None and "=" in spec:
        parts = dict(item.split("=", 1) for item in spec.split(","))
        pairs = [parts["train"].split(":", 1), parts["test"].split(":", 1)]
        return [p for pair in pairs for p in pair]
    folder = folder or (FASHION_FOLDER if spec == "fashion-mnist" else spec)
    found = []
    for base in IDX_NAMES:
        names = [n for n in (base, base + ".gz") if os.path.exists(os.path.join(folder, n))]
        if not names:
            raise Refused(f"{folder} holds no {base}[.gz]")
        found.append(os.path.join(folder, names[0]))
    return found


def local_files(spec):
    """The files of the worker's own copy as shipped names → paths, or None when it has none."""
    try:
        paths = idx_paths(spec, None)
    except (Refused, KeyError, ValueError):
        return None
    if not all(os.path.isfile(p) for p in paths):
        return None
    if "=" in spec:
        return dict(zip(IDX_NAMES, paths))
    return {os.path.basename(p): p for p in paths}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for piece in iter(lambda: f.read(1 << 22), b""):
            h.update(piece)
    return h.hexdigest()


def sums_text(files):
    return "".join(f"{f['sha256']}  {f['name']}\n" for f in sorted(files, key=lambda f: f["name"]))


def prepare(config, folder):
    """The job's splits and normalisation, formed as docs/protocol.md says."""
    train_x, train_y, test_x, test_y = (read_idx(p) for p in idx_paths(config["data"], folder))
    held = validation_mask(len(train_y), config["validation_size"], config["split_seed"])
    val_x, val_y = train_x[held], train_y[held]
    train_x, train_y = train_x[~held], train_y[~held]
    if config.get("train_limit"):
        train_x, train_y = train_x[:config["train_limit"]], train_y[:config["train_limit"]]
    if config.get("test_limit"):
        test_x, test_y = test_x[:config["test_limit"]], test_y[:config["test_limit"]]
    if config["data"] == "fashion-mnist":
        mean, std = FASHION_NORMALIZATION
    else:
        x = train_x.astype(np.float64) / 255
        m, v = x.mean(), max(0.0, (x * x).mean() - x.mean() ** 2)
        mean, std = [float(np.float32(m))], [float(np.float32(np.sqrt(v))) if v > 1e-12 else 1.0]
    folder_name = os.path.basename(os.path.normpath(config["data"]))
    if config["data"] == "fashion-mnist" or ("=" not in config["data"] and "fashion" in folder_name.lower()):
        names = FASHION_NAMES
    else:
        names = [str(i) for i in range(10)]
    return (train_x, train_y), (val_x, val_y), (test_x, test_y), (mean, std), names


# ---- the model ----

def features(images, mean, std):
    """Images (N, H, W) as the float32 rows Quorum's `flatten` gives a one-channel image."""
    x = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    return (x - np.float32(mean[0])) / np.float32(std[0])


def softmax(logits):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def evaluate(w, b, x, y):
    p = softmax(x @ w.T + b)
    loss = float(-np.log(np.maximum(p[np.arange(len(y)), y], 1e-12)).mean())
    return loss, float((p.argmax(axis=1) == y).mean())


def model_file(w, b, image_shape, classes, mean, std, names, config):
    """A Quorum model file (docs/formats.md): safetensors with the quorum metadata."""
    spec = {"name": "custom", "layers": f"flatten dense({classes})", "inputShape": list(image_shape),
            "classes": classes}
    meta = {"format": "quorum-model", "quorum.version": "1", "quorum.spec": json.dumps(spec),
            "quorum.normalization": json.dumps({"mean": mean, "std": std}),
            "quorum.class_names": json.dumps(names), "quorum.training": json.dumps(config, sort_keys=True)}
    body = w.astype("<f4").tobytes() + b.astype("<f4").tobytes()
    header = {"__metadata__": meta,
              "layers.1.weight": {"dtype": "F32", "shape": list(w.shape), "data_offsets": [0, w.size * 4]},
              "layers.1.bias": {"dtype": "F32", "shape": [classes], "data_offsets": [w.size * 4, len(body)]}}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + body


def member_sample(text, count, seed):
    """The member's own share of the training set (bagging), as Quorum's `MemberSample` draws it: `bootstrap`
    (count draws with replacement, in draw order) or `subsample=F` (ceil(F * count) distinct images, ascending)."""
    rng = SplitMix64(seed, "member-sample")
    if text == "bootstrap":
        return np.array([rng.below(count) for _ in range(count)], dtype=np.int64)
    if not text.startswith("subsample="):
        raise Refused(f"unknown sample {text!r}")
    kept = min(count, max(1, math.ceil(float(text[len("subsample="):]) * count)))
    p = list(range(count))
    for i in range(count - 1, 0, -1):                # the same Fisher-Yates as the validation split
        j = rng.below(i + 1)
        p[i], p[j] = p[j], p[i]
    return np.array(sorted(p[:kept]), dtype=np.int64)


def cycle_rates(config):
    """The job's learning rate per epoch, and the epochs (1-based) after which a member is taken.

    This example keeps the rate constant for an ordinary job. A snapshot job (docs/protocol.md, "Snapshot
    jobs") follows Quorum's layout: `cosine` splits the epochs into K cycles, each a fresh optimizer whose rate
    falls from lr towards 0 along a cosine; `fge` trains the normal run, then K cycles of `cycle_epochs` whose
    rate falls linearly from lr/5 to lr/100. Each rate is an epoch's mean: this is an example, not Quorum's
    schedule, and the coordinator checks results, not the path to them."""
    lr, epochs, snapshots = config["optimizer"]["learning_rate"], config["epochs"], config.get("snapshots")
    if not snapshots:
        return [lr] * epochs, [epochs], set()
    count, style = snapshots["count"], snapshots.get("style", "cosine")
    if style == "cosine":
        length = epochs // count
        rates = [lr * 0.5 * (1 + math.cos(math.pi * ((e % length) + 0.5) / length)) for e in range(epochs)]
        ends = [length * (c + 1) for c in range(count)]
        return rates, ends, {end + 1 for end in ends[:-1]}
    if style == "fge":
        cycle = snapshots["cycle_epochs"]
        rates = [lr] * epochs
        for _ in range(count):
            rates += [lr * (0.2 + (0.01 - 0.2) * (e + 0.5) / cycle) for e in range(cycle)]
        return rates, [epochs + cycle * (c + 1) for c in range(count)], set()
    raise Refused(f"unknown snapshot style {style!r}")


def initial_layer(scheme, classes, fan_in, rng):
    """The dense layer's first weights and biases, drawn as `initialization` says (absent: he), from this
    worker's own generator: the same distributions as Quorum's, not the same numbers."""
    shape, fan_out = (classes, fan_in), classes
    if scheme == "pytorch":
        bound = 1 / math.sqrt(fan_in)
        return (rng.uniform(-bound, bound, shape).astype(np.float32),
                rng.uniform(-bound, bound, classes).astype(np.float32))
    draws = {
        "he": lambda: rng.uniform(-1, 1, shape) * math.sqrt(6 / fan_in),
        "he-normal": lambda: rng.standard_normal(shape) * math.sqrt(2 / fan_in),
        "xavier": lambda: rng.uniform(-1, 1, shape) * math.sqrt(6 / (fan_in + fan_out)),
        "xavier-normal": lambda: rng.standard_normal(shape) * math.sqrt(2 / (fan_in + fan_out)),
    }
    if scheme not in draws:
        raise Refused(f"unknown initialization {scheme!r}")
    return draws[scheme]().astype(np.float32), np.zeros(classes, dtype=np.float32)


def train(job, folder, progress):
    """Trains one job; returns the RESULT's header fields and frames (probabilities and model file, then two
    frames per earlier snapshot)."""
    config = job["config"]
    (tx, ty), (vx, vy), (sx, sy), (mean, std), names = prepare(config, folder)
    classes = config.get("num_classes") or 10
    if config["model"].replace(" ", "") != f"flattendense({classes})":
        raise Refused(f"this example trains only 'flatten dense({classes})', not {config['model']!r}")
    x, vxf, sxf = features(tx, mean, std), features(vx, mean, std), features(sx, mean, std)
    own = member_sample(config["sample"], len(ty), config["seed"]) if config.get("sample") else np.arange(len(ty))
    rng = np.random.default_rng(config["seed"])
    w, b = initial_layer(config.get("initialization") or "he", classes, x.shape[1], rng)
    rates, ends, restarts = cycle_rates(config)
    step, history, batch, members = 0, [], config["batch_size"], []

    def snapshot(record):
        """The network as it is now: one member's RESULT fields and frames."""
        probabilities = softmax((sxf @ w.T + b).astype(np.float32)).astype("<f4")
        model = model_file(w, b, (tx.shape[1], tx.shape[2], 1), classes, mean, std, names[:classes], config)
        return {"cycle": len(members) + 1, "validation_loss": record.get("validation_loss", 0.0),
                "validation_accuracy": record.get("validation_accuracy", 0.0), "model_bytes": len(model),
                "frames": [probabilities.tobytes(), model]}

    for epoch, lr in enumerate(rates, start=1):
        if epoch == 1 or epoch in restarts:          # a fresh Adam for each warm restart
            m, v, step = [np.zeros_like(w), np.zeros_like(b)], [np.zeros_like(w), np.zeros_like(b)], 0
        start, order = time.monotonic(), own[rng.permutation(len(own))]
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            p = softmax(x[idx] @ w.T + b)
            p[np.arange(len(idx)), ty[idx]] -= 1
            grads = [p.T @ x[idx] / len(idx), p.mean(axis=0)]
            step += 1
            for k, (param, g) in enumerate(zip((w, b), grads)):        # Adam, bias-corrected
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                update = lr * (m[k] / (1 - 0.9 ** step)) / (np.sqrt(v[k] / (1 - 0.999 ** step)) + 1e-8)
                param -= update.astype(np.float32)
        seconds = max(time.monotonic() - start, 1e-6)
        loss, accuracy = evaluate(w, b, x[own], ty[own])
        record = {"epoch": epoch, "train_loss": loss, "train_accuracy": accuracy, "learning_rate": lr,
                  "seconds": seconds, "images_per_second": len(own) / seconds}
        if len(vy):
            record["validation_loss"], record["validation_accuracy"] = evaluate(w, b, vxf, vy)
        history.append(record)
        progress(epoch, len(rates), record)
        if epoch in ends:
            members.append(snapshot(record))
    last = members[-1] if members else snapshot({})       # a job of 0 epochs returns its initial network
    header = {"job_id": job["job_id"], "validation_loss": last["validation_loss"],
              "validation_accuracy": last["validation_accuracy"], "history": history, "test_count": len(sy),
              "classes": classes, "model_bytes": last["model_bytes"]}
    frames = list(last["frames"])
    if len(members) > 1:
        header["snapshots"] = [{k: s[k] for k in ("cycle", "validation_loss", "validation_accuracy", "model_bytes")}
                               for s in members[:-1]]
        for s in members[:-1]:
            frames += s["frames"]
    return (header, *frames)


# ---- the connection ----

def check_manifest(manifest):
    """Refuses a manifest outside the protocol's limits before anything is written (docs/protocol.md)."""
    files = manifest["files"]
    if not 4096 <= manifest["chunk_bytes"] <= 16 << 20:
        raise Refused(f"manifest chunk_bytes {manifest['chunk_bytes']} is outside 4 KiB...16 MiB")
    if not 1 <= len(files) <= 1024 or sum(f["bytes"] for f in files) > 16 << 30:
        raise Refused("manifest lists too many files or bytes")
    for f in files:
        name = f["name"]
        if (not name or name != os.path.basename(name) or name.startswith(".") or name == "SHA256SUMS"
                or "\\" in name or any(ord(c) < 32 or 127 <= ord(c) <= 159 for c in name)
                or not 0 <= f["bytes"] <= 4 << 30):
            raise Refused(f"manifest file name or size refused: {name!r}")


class Download:
    """One data set download: chunks asked for a window at a time, checked by SHA-256, asked again when
    damaged or unanswered for 10 s (at most 5 times each)."""

    def __init__(self, manifest, cache):
        self.manifest, self.cache = manifest, cache
        self.final = os.path.join(cache, manifest["sha256"][:16])
        self.partial = os.path.join(cache, f".partial-{manifest['sha256'][:16]}-{os.getpid()}")
        shutil.rmtree(self.partial, ignore_errors=True)
        os.makedirs(self.partial)
        size = manifest["chunk_bytes"]
        self.todo = [(f["name"], c) for f in manifest["files"] for c in range(-(-f["bytes"] // size))]
        self.sent, self.tries = {}, {}
        for f in manifest["files"]:
            open(os.path.join(self.partial, f["name"]), "wb").close()

    def requests(self, now):
        out = [key for key, at in self.sent.items() if now - at >= 10]
        new = []
        while len(self.sent) + len(new) < 8 and self.todo:
            new.append(self.todo.pop(0))
        for key in out + new:
            self.tries[key] = self.tries.get(key, 0) + 1
            if self.tries[key] > 5:
                raise RuntimeError(f"chunk {key[1]} of {key[0]} never arrived intact")
            self.sent[key] = now
        return [{"dataset": self.manifest["dataset"], "file": n, "chunk": c} for n, c in out + new]

    def accept(self, header, data):
        key = (header["file"], header["chunk"])
        if key not in self.sent:
            return
        del self.sent[key]
        if hashlib.sha256(data).hexdigest() != header["sha256"]:
            self.todo.insert(0, key)
            return
        with open(os.path.join(self.partial, key[0]), "r+b") as f:
            f.seek(key[1] * self.manifest["chunk_bytes"])
            f.write(data)

    def finish(self):
        """The folder once every chunk is in and every file matches, else None."""
        if self.todo or self.sent:
            return None
        for f in self.manifest["files"]:
            if sha256_file(os.path.join(self.partial, f["name"])) != f["sha256"]:
                raise RuntimeError(f"{f['name']} does not match its manifest hash")
        with open(os.path.join(self.partial, "SHA256SUMS"), "w") as out:
            out.write(sums_text(self.manifest["files"]))
        shutil.rmtree(self.final, ignore_errors=True)
        os.rename(self.partial, self.final)
        return self.final


class Worker:
    def __init__(self, args):
        self.args = args
        self.ctx = zmq.Context()
        self.sock = None
        self.job = None            # the JOB header being worked on
        self.download = None
        self.results = queue.Queue()

    def send(self, command, header, *payload):
        self.sock.send_multipart([PROTOCOL, command.encode(), json.dumps(header).encode(), *payload])

    def connect(self):
        if self.sock is not None:
            self.sock.close(linger=0)
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.MAXMSGSIZE, 64 << 20)
        self.sock.connect(self.args.connect)
        self.send("READY", {"version": "example-0.1", "host": self.args.name, "cores": os.cpu_count() or 1,
                            "threads": 1, "datasets": {}})

    def fail(self, job, error, retryable):
        self.send("FAILED", {"job_id": job["job_id"], "error": str(error)[:60000], "retryable": retryable})

    def start_training(self, folder):
        job = self.job

        def progress(epoch, epochs, record):
            self.results.put(("PROGRESS", job, record, epoch, epochs))

        def run():
            try:
                self.results.put(("RESULT", job, train(job, folder, progress)))
            except Refused as error:
                self.results.put(("FAILED", job, str(error), False))
            except Exception as error:                  # a bug or a bad file: another worker may do better
                self.results.put(("FAILED", job, f"{type(error).__name__}: {error}", True))

        threading.Thread(target=run, daemon=True).start()

    def on_manifest(self, manifest):
        spec = self.job["config"]["data"]
        own = None if self.args.always_download else local_files(spec)
        if manifest.get("error") is not None:
            return self.start_training(None) if own else self.fail(self.job, manifest["error"], False)
        if own and sorted(own) == sorted(f["name"] for f in manifest["files"]):
            mine = [{"name": n, "sha256": sha256_file(p)} for n, p in own.items()]
            if hashlib.sha256(sums_text(mine).encode()).hexdigest() == manifest["sha256"]:
                return self.start_training(None)
        cached = os.path.join(self.args.cache, manifest["sha256"][:16])
        sums = os.path.join(cached, "SHA256SUMS")
        if not self.args.always_download and os.path.exists(sums) and open(sums).read() == sums_text(manifest["files"]):
            return self.start_training(cached)
        try:
            check_manifest(manifest)
        except Refused as error:
            job, self.job = self.job, None
            return self.fail(job, error, False)
        self.download = Download(manifest, self.args.cache)

    def on_message(self, frames):
        if len(frames) < 3 or frames[0] != PROTOCOL:
            return
        command, header = frames[1].decode(), json.loads(frames[2])
        if command == "JOB":
            if self.job is not None:
                return self.fail(header, f"worker is busy with job {self.job['job_id']}", True)
            self.job = header
            config = header["config"]
            unsupported = [k for k in ("classes", "imbalance", "per_class_limit", "init_from", "prune", "freeze",
                                       "ema", "distillation") if config.get(k) is not None]
            unsupported += [k for k in ("augment", "test_time_augmentation") if config.get(k, "none") != "none"]
            if unsupported:
                self.job = None
                return self.fail(header, f"this example does not support {unsupported}", False)
            self.send("DATA_REQUEST", {"dataset": header["config"]["data"]})
        elif command == "DATA_MANIFEST" and self.job and header["dataset"] == self.job["config"]["data"]:
            self.on_manifest(header)
        elif command == "DATA_CHUNK" and self.download:
            self.download.accept(header, frames[3])
        elif command == "DISCONNECT":
            return "stop"

    def step_download(self):
        try:
            for request in self.download.requests(time.monotonic()):
                self.send("DATA_REQUEST", request)
            folder = self.download.finish()
        except RuntimeError as error:
            shutil.rmtree(self.download.partial, ignore_errors=True)
            self.download, job, self.job = None, self.job, None
            return self.fail(job, error, True)
        if folder:
            self.download = None
            self.start_training(folder)

    def run(self):
        interval, liveness = self.args.heartbeat, self.args.liveness
        self.connect()
        last_heard = last_beat = time.monotonic()
        while True:
            if self.sock.poll(50):
                while self.sock.poll(0):
                    last_heard = time.monotonic()
                    if self.on_message(self.sock.recv_multipart()) == "stop":
                        return
            while not self.results.empty():
                kind, job, *rest = self.results.get()
                if job is not self.job:
                    continue                            # abandoned meanwhile: not ours to report
                if kind == "PROGRESS":
                    record, epoch, epochs = rest
                    progress = {"job_id": job["job_id"], "epoch": epoch, "epochs": epochs, "batch": 1, "batches": 1,
                                "loss": record["train_loss"], "accuracy": record["train_accuracy"],
                                "images_per_second": record["images_per_second"]}
                    if "validation_loss" in record:
                        progress["validation_loss"] = record["validation_loss"]
                        progress["validation_accuracy"] = record["validation_accuracy"]
                    self.send("PROGRESS", progress)
                    continue
                self.job = None
                if kind == "RESULT":
                    self.send("RESULT", *rest[0])
                else:
                    self.fail(job, rest[0], rest[1])
            if self.download:
                self.step_download()
            now = time.monotonic()
            if now - last_beat >= interval:
                self.send("HEARTBEAT", {})
                last_beat = now
            if now - last_heard >= interval * liveness:
                self.job = None                         # the coordinator has re-queued it
                if self.download:
                    shutil.rmtree(self.download.partial, ignore_errors=True)
                    self.download = None
                time.sleep(1)
                self.connect()
                last_heard = time.monotonic()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connect", required=True, help="the coordinator, e.g. tcp://127.0.0.1:5555")
    parser.add_argument("--name", default=f"{pysocket.gethostname()}-py{os.getpid()}")
    parser.add_argument("--cache", default=os.path.expanduser("~/.cache/quorum-example"))
    parser.add_argument("--heartbeat", type=float, default=1.0)
    parser.add_argument("--liveness", type=int, default=3)
    parser.add_argument("--always-download", action="store_true",
                        help="ignore local and cached copies: fetch the data set from the coordinator (for tests)")
    args = parser.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    Worker(args).run()


if __name__ == "__main__":
    main()
