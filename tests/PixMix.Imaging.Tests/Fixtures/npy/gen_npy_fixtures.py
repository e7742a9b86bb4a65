#!/usr/bin/python3
"""Writes the .npy fixtures of the reader tests with numpy itself (run by hand: /usr/bin/python3 gen_npy_fixtures.py).

The reader tests also check that NpyWriter reproduces several of these files byte for byte, so numpy reads what
NpyWriter writes. Pixel values follow pattern(i) = (i * 37 + 11) % 256 over the flat C-order index, so the tests can check every
element without reading numpy's output through the code under test.
"""
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def pattern(shape, dtype=np.uint8):
    n = int(np.prod(shape))
    return ((np.arange(n, dtype=np.int64) * 37 + 11) % 256).astype(dtype).reshape(shape)


def save(name, arr, version=None):
    path = os.path.join(HERE, name)
    if version is None:
        np.save(path, arr)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, arr, version=version)


def main():
    # Images (N, H, W, C) uint8 in each format version.
    save("u8_images_v1.npy", pattern((3, 4, 5, 3)))
    save("u8_images_v2.npy", pattern((3, 4, 5, 3)), version=(2, 0))
    save("u8_images_v3.npy", pattern((3, 4, 5, 3)), version=(3, 0))
    # Labels in the dtypes CIFAR-C files use, and others.
    save("labels_u8.npy", np.array([3, 0, 9, 255, 7], dtype=np.uint8))
    save("labels_i8.npy", np.array([3, 0, 9, 1000, 7], dtype=np.int64))
    save("labels_i4.npy", np.array([3, 0, 9, 70000, 7], dtype=np.int32))
    save("bool_1d.npy", np.array([True, False, True], dtype=np.bool_))
    save("f4_2d.npy", (np.arange(6, dtype=np.float32) * 0.5 - 1.0).reshape(2, 3))
    save("scalar_i8.npy", np.array(-42, dtype=np.int64))
    save("empty_u8.npy", np.zeros((0, 2), dtype=np.uint8))
    # Shapes whose first axis has many digits, to check the writer's growth padding.
    save("u8_long_axis.npy", pattern((12345,)))
    # Files the reader must refuse.
    save("bad_big_endian.npy", np.array([1, 2, 3], dtype=">i4"))
    save("bad_fortran.npy", np.asfortranarray(pattern((2, 3))))
    save("bad_object.npy", np.array([1, "a", None], dtype=object))
    save("bad_structured.npy", np.zeros(2, dtype=[("a", "<i4"), ("b", "<f4")]))
    save("bad_complex.npy", np.zeros(2, dtype=np.complex64))
    # A CIFAR-10-C style folder: N = 2 images per severity, 5 severities, 4x4 RGB.
    os.makedirs(os.path.join(HERE, "cifar_c"), exist_ok=True)
    save(os.path.join("cifar_c", "gaussian_noise.npy"), pattern((10, 4, 4, 3)))
    save(os.path.join("cifar_c", "fog.npy"), 255 - pattern((10, 4, 4, 3)))
    save(os.path.join("cifar_c", "labels.npy"), np.array([1, 2] * 5, dtype=np.uint8))
    # A CIFAR-10-P style file: 2 sequences of 3 frames, 4x4 RGB.
    os.makedirs(os.path.join(HERE, "cifar_p"), exist_ok=True)
    save(os.path.join("cifar_p", "brightness.npy"), pattern((2, 3, 4, 4, 3)))

    # Pillow references for the image-folder reader: PNG sources (lossless), Pillow's bilinear resizes as .npy.
    from PIL import Image
    os.makedirs(os.path.join(HERE, "pil"), exist_ok=True)
    for name, (h, w), (rw, rh) in (("down", (9, 13), (7, 5)), ("up", (4, 6), (13, 9)), ("wide", (5, 40), (17, 3))):
        src = pattern((h, w, 3))
        Image.fromarray(src, "RGB").save(os.path.join(HERE, "pil", name + ".png"))
        rgb = np.asarray(Image.fromarray(src, "RGB").resize((rw, rh), Image.BILINEAR))
        save(os.path.join("pil", name + "_rgb_%dx%d.npy" % (rw, rh)), rgb)
        grey = np.asarray(Image.fromarray(src, "RGB").convert("L").resize((rw, rh), Image.BILINEAR))
        save(os.path.join("pil", name + "_grey_%dx%d.npy" % (rw, rh)), grey)


if __name__ == "__main__":
    main()
