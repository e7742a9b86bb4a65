#!/usr/bin/python3
"""Generates the PIL parity fixtures for the PixMix augmentation operations.

Run by hand from the repository root with the system interpreter (Pillow 9.4, numpy):

    /usr/bin/python3 tests/PixMix.Imaging.Tests/Fixtures/pil/gen_pil_fixtures.py

Writes, next to this script:
  pil_ops.bin.gz  gzip of the concatenated uint8 buffers (inputs, then outputs), each HWC row-major
  pil_ops.json    the index: inputs (name, width, height, channels, offset) and cases
                  (input, op, param, offset); every output has the shape of its input.
The operations are called exactly as the PixMix reference calls them (ImageOps / Image.rotate /
Image.transform AFFINE BILINEAR / ImageEnhance), with fixed parameters.
"""
import gzip
import json
import os
import struct

import numpy as np
import PIL
from PIL import Image, ImageEnhance, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
FMNIST = os.path.join(ROOT, "data", "fashion-mnist", "t10k-images-idx3-ubyte.gz")


def load_fmnist(indices):
    with gzip.open(FMNIST, "rb") as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        assert magic == 2051
        data = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, h, w)
    return [data[i] for i in indices]


def colourise(grey, size, fg, bg0, bg1, rs):
    """A 28x28 Fashion-MNIST picture resized to `size` and painted: a coloured object over a
    two-colour gradient background with a little noise (values stay inside a sub-range so that
    autocontrast/equalize have work to do)."""
    w, h = size
    g = np.asarray(Image.fromarray(grey).resize((w, h), Image.BILINEAR), dtype=np.float64) / 255.0
    t = np.linspace(0.0, 1.0, w)[None, :, None] * np.linspace(0.3, 1.0, h)[:, None, None]
    bg = np.asarray(bg0, dtype=np.float64) * (1 - t) + np.asarray(bg1, dtype=np.float64) * t
    obj = np.asarray(fg, dtype=np.float64)[None, None, :] * (0.4 + 0.6 * g[:, :, None])
    img = bg * (1 - g[:, :, None]) + obj * g[:, :, None] + rs.normal(0, 3.0, (h, w, 3))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def make_inputs():
    rs = np.random.RandomState(20220613)
    fm = load_fmnist([0, 1, 7, 12, 25])
    inputs = []
    inputs.append(("fm_shoe", colourise(fm[0], (32, 32), (220, 90, 40), (20, 40, 90), (60, 140, 120), rs)))
    inputs.append(("fm_shirt", colourise(fm[1], (32, 32), (40, 200, 230), (120, 30, 60), (200, 190, 70), rs)))
    yy, xx = np.mgrid[0:32, 0:32]
    grad = np.stack([xx * 8, yy * 8, (xx + yy) * 4], axis=-1)
    inputs.append(("gradient", np.clip(grad, 0, 255).astype(np.uint8)))
    inputs.append(("noise", rs.randint(0, 256, size=(32, 32, 3)).astype(np.uint8)))
    inputs.append(("wide_40x24", colourise(fm[2], (40, 24), (240, 230, 200), (10, 10, 30), (90, 20, 20), rs)))
    inputs.append(("tall_20x36", colourise(fm[3], (20, 36), (30, 160, 60), (200, 200, 220), (40, 60, 160), rs)))
    inputs.append(("grey_L", np.asarray(Image.fromarray(fm[4]).resize((32, 32), Image.BILINEAR))))
    flat = np.zeros((6, 9, 3), dtype=np.uint8)
    flat[:, :, 0] = 77                                  # one value: autocontrast/equalize leave it alone
    flat[:, :, 1] = np.where(rs.rand(6, 9) < 0.5, 10, 250)  # two values
    flat[:, :, 2] = rs.randint(100, 110, size=(6, 9))   # a narrow range
    inputs.append(("flat_9x6", flat))
    inputs.append(("tiny_5x3", rs.randint(0, 256, size=(3, 5, 3)).astype(np.uint8)))
    return inputs


def affine(img, coeffs):
    return img.transform(img.size, Image.AFFINE, coeffs, resample=Image.BILINEAR)


OPS = [
    ("AutoContrast", [None], lambda im, p: ImageOps.autocontrast(im)),
    ("Equalize", [None], lambda im, p: ImageOps.equalize(im)),
    ("Posterize", list(range(0, 9)), lambda im, p: ImageOps.posterize(im, p)),
    ("Rotate", [-30, -17, -1, 0, 1, 7, 13, 30, 45, 90, 180, 270, -90, 12.5, 400],
     lambda im, p: im.rotate(p, resample=Image.BILINEAR)),
    ("Solarize", [0, 1, 128, 200, 255, 256], lambda im, p: ImageOps.solarize(im, p)),
    ("ShearX", [-0.3, -0.11, 0.0, 0.05, 0.27, 0.3], lambda im, p: affine(im, (1, p, 0, 0, 1, 0))),
    ("ShearY", [-0.3, -0.11, 0.0, 0.05, 0.27, 0.3], lambda im, p: affine(im, (1, 0, 0, p, 1, 0))),
    ("TranslateX", [-40, -10, -1, 0, 3, 10, 35], lambda im, p: affine(im, (1, 0, p, 0, 1, 0))),
    ("TranslateY", [-40, -10, -1, 0, 3, 10, 35], lambda im, p: affine(im, (1, 0, 0, 0, 1, p))),
    ("Color", [0.0, 0.1, 0.37, 1.0, 1.37, 1.9], lambda im, p: ImageEnhance.Color(im).enhance(p)),
    ("Contrast", [0.0, 0.1, 0.37, 1.0, 1.37, 1.9], lambda im, p: ImageEnhance.Contrast(im).enhance(p)),
    ("Brightness", [0.0, 0.1, 0.37, 1.0, 1.37, 1.9], lambda im, p: ImageEnhance.Brightness(im).enhance(p)),
    ("Sharpness", [0.0, 0.1, 0.37, 1.0, 1.37, 1.9], lambda im, p: ImageEnhance.Sharpness(im).enhance(p)),
]


def main():
    assert PIL.__version__.startswith("9.4"), "fixtures are defined against Pillow 9.4, got " + PIL.__version__
    blob = bytearray()
    index = {"pillow": PIL.__version__, "inputs": [], "cases": []}
    pil_inputs = {}
    for name, arr in make_inputs():
        h, w = arr.shape[:2]
        c = 1 if arr.ndim == 2 else arr.shape[2]
        index["inputs"].append({"name": name, "width": w, "height": h, "channels": c, "offset": len(blob)})
        blob += np.ascontiguousarray(arr).tobytes()
        pil_inputs[name] = Image.fromarray(arr, "L" if c == 1 else "RGB")
    for op, params, fn in OPS:
        for name, im in pil_inputs.items():
            for p in params:
                out = np.asarray(fn(im, p))
                assert out.shape == np.asarray(im).shape, (op, name, p, out.shape)
                index["cases"].append({"input": name, "op": op, "param": p, "offset": len(blob)})
                blob += out.tobytes()
    tmp_bin = os.path.join(HERE, "pil_ops.bin.gz.tmp")
    tmp_json = os.path.join(HERE, "pil_ops.json.tmp")
    with open(tmp_bin, "wb") as f:
        # mtime=0 keeps the file byte-identical between runs.
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
            gz.write(bytes(blob))
    with open(tmp_json, "w") as f:
        json.dump(index, f, indent=0)
        f.write("\n")
    os.replace(tmp_bin, os.path.join(HERE, "pil_ops.bin.gz"))
    os.replace(tmp_json, os.path.join(HERE, "pil_ops.json"))
    print(f"{len(index['cases'])} cases, {len(blob)} bytes raw")


if __name__ == "__main__":
    main()
