#!/usr/bin/env python3
"""Writes the small JPEG fixtures of the JPEG reader's tests, and the pixels Pillow decodes from them.

Run from the repository root: python3 scripts/make_jpeg_fixtures.py
Outputs Tests/Fixtures/jpeg/*.jpg and expected.json ({file: {height, width, channels, pixels}}, pixels in
HWC order as Pillow's decoder gives them). The tests allow +-2 per value: two libjpeg builds may use other
IDCT or upsampling code paths and round differently.
"""
import io
import json
import os

from PIL import Image

OUT = os.path.join("Tests", "Fixtures", "jpeg")


def grey(width, height):
    values = bytes((x * 13 + y * 7) % 256 for y in range(height) for x in range(width))
    return Image.frombytes("L", (width, height), values)


def colour(width, height):
    data = bytearray()
    for y in range(height):
        for x in range(width):
            data += bytes([(x * 16) % 256, (y * 12) % 256, ((x + y) * 9) % 256])
    return Image.frombytes("RGB", (width, height), bytes(data))


def encode(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "grey.jpg": encode(grey(16, 12), quality=90),
        "colour.jpg": encode(colour(16, 16), quality=90, subsampling=2),
        "colour444.jpg": encode(colour(10, 7), quality=95, subsampling=0),
        "progressive.jpg": encode(colour(24, 20), quality=85, progressive=True),
        "progressive-grey.jpg": encode(grey(9, 11), quality=85, progressive=True),
        "restart.jpg": encode(colour(32, 24), quality=90, restart_marker_blocks=1),
    }
    expected = {}
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        image = Image.open(io.BytesIO(data))
        image.load()
        assert image.mode in ("L", "RGB"), image.mode
        expected[name] = {"height": image.height, "width": image.width, "channels": 1 if image.mode == "L" else 3,
                          "pixels": list(image.tobytes())}
    # Cut inside the entropy-coded data: libjpeg reports it as a warning ("Premature end of JPEG file").
    colour_bytes = files["colour.jpg"]
    start_of_scan = colour_bytes.index(b"\xff\xda")
    with open(os.path.join(OUT, "truncated.jpg"), "wb") as f:
        f.write(colour_bytes[: (start_of_scan + len(colour_bytes)) // 2])
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
