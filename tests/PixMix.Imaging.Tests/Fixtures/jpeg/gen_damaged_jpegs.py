"""Writes the damaged-JPEG fixtures: Pillow-encoded base pictures and byte-level mutations of them, each with Pillow's
verdict (decodes or refuses). Run with numpy and Pillow 9.4:  python3 gen_damaged_jpegs.py
The test (DamagedJpegTests) applies each mutation and expects ImageCodec to decode exactly the files Pillow decodes."""
import io, json, os, random
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(2)
edits_rng = random.Random(11)


def pillow_decodes(data):
    try:
        im = Image.open(io.BytesIO(data))
        im.load()
        return True
    except Exception:
        return False


def encode(im, **kw):
    b = io.BytesIO()
    im.save(b, "JPEG", **kw)
    return b.getvalue()


bases = {}
for i, (w, h) in enumerate([(32, 32), (64, 48), (120, 90), (17, 33), (8, 8)]):
    pixels = rng.normal(0, 50, (h, w, 3)) + np.linspace(0, 200, w)[None, :, None]
    im = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    bases[f"p{i}_q50"] = encode(im, quality=50)
    bases[f"p{i}_q95_optimized"] = encode(im, quality=95, optimize=True)
    bases[f"p{i}_progressive"] = encode(im, quality=75, progressive=True)
    bases[f"p{i}_restarts"] = encode(im, quality=80, restart_marker_rows=1)
    bases[f"p{i}_grey_progressive"] = encode(im.convert("L"), quality=70, progressive=True)

cases = []
for name, data in bases.items():
    with open(os.path.join(HERE, "bases", name + ".jpg"), "wb") as f:
        f.write(data)
    n = len(data)
    edits = [[["truncate", n - 2, 0]], [["truncate", n - 1, 0]], [["append", n, 0x47]]]
    for _ in range(80):
        op = edits_rng.choice(["xor", "set", "insert", "delete", "set"])
        pos = edits_rng.randrange(2, n)
        value = {"xor": 1 << edits_rng.randrange(8), "set": edits_rng.choice([0xFF, edits_rng.randrange(256)]),
                 "insert": edits_rng.randrange(256), "delete": 0}[op]
        edits.append([[op, pos, value]])
    for e in edits:
        d = bytearray(data)
        for op, pos, value in e:
            if op == "xor": d[pos] ^= value
            elif op == "set": d[pos] = value
            elif op == "insert": d[pos:pos] = bytes([value])
            elif op == "delete": del d[pos]
            elif op == "truncate": del d[pos:]
            elif op == "append": d += bytes([value]) * 16
        cases.append({"base": name, "edits": e, "pillow_decodes": pillow_decodes(bytes(d))})

with open(os.path.join(HERE, "damaged_jpegs.json"), "w") as f:
    json.dump({"pillow": Image.__version__, "cases": cases}, f, separators=(",", ":"))
print(len(cases), "cases,", sum(not c["pillow_decodes"] for c in cases), "refused by Pillow")
