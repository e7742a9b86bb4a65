#!/usr/bin/python3
"""Builds the reference ONNX classifiers that the ONNX evaluation tests score (Debian's /usr/bin/python3: PyTorch 1.13,
numpy, onnx 1.12).

A small CNN (three Conv-BatchNorm-ReLU stages, global average pooling, a linear layer) is trained with Adam for two
epochs, seeded, on one thread of the CPU (about 15 seconds), on the first 12,000 images of the shipped Fashion-MNIST (data/fashion-mnist), read
as the library reads it by default: 28x28 grey padded with a 2-pixel black border to 32x32 and replicated to RGB. The
network takes (pixel / 255 - mean) / std per channel; the normalization is NOT in the graph. The BatchNorm statistics
are then recomputed over the training images for the final weights.

Written to tests/PixMix.MLNet.Onnx.Tests/Fixtures/onnx (or the folder given as the first argument):
  reference-nchw.onnx        input 'image' [batch, 3, 32, 32], output 'logits' [batch, 10], with the pixmix.* contract
                             (layout, size, mean, std, normalization 'input', class names) in metadata_props
  reference-nhwc.onnx        the same network behind a transpose: input 'pixels' [batch, 32, 32, 3], output 'scores'
                             [batch, 10], and no metadata (what a Keras export looks like: described by options)
  reference-dynamic-size.onnx  the NCHW network with dynamic height and width and no metadata (the size from options)
  refused-grey-input.onnx    a 1-channel input (refused: an image classifier here takes 3 channels)
  refused-feature-output.onnx  an output of rank 4, the last feature map (refused: the output must be [batch, classes])
  reference-logits.npy       float32 [16, 10]: the logits of the first 16 test images
  reference-expected.json    the mean, std, class names, the logits' image count, and the clean accuracy and error count
                             on the first 1000 test images
Every opset is 17 and every batch dimension dynamic. Same inputs give the same files: the seed, one thread, and no
data order other than the files' own.
"""
import gzip
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "PixMix.MLNet.Onnx.Tests", "Fixtures", "onnx")
DATA = os.path.join(ROOT, "data", "fashion-mnist")

CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
MEAN = [0.2860, 0.2860, 0.2860]
STD = [0.3530, 0.3530, 0.3530]
TRAIN_IMAGES = 12000
EPOCHS = 2
LOGIT_IMAGES = 16
ACCURACY_IMAGES = 1000
OPSET = 17


def read_idx(name):
    """An idx file of the shipped Fashion-MNIST (gzip) as a numpy array."""
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def padded_rgb(images):
    """(N, 28, 28) grey -> (N, 32, 32, 3) uint8: a 2-pixel black border, the grey value in R, G and B."""
    out = np.zeros((images.shape[0], 32, 32, 3), dtype=np.uint8)
    out[:, 2:30, 2:30, :] = images[:, :, :, None]
    return out


def normalized_nchw(rgb):
    """uint8 (N, H, W, 3) -> float32 (N, 3, H, W): (x / 255 - mean) * (1 / std), the library's order of operations."""
    x = rgb.astype(np.float32) / np.float32(255)
    mean = np.array(MEAN, dtype=np.float32)
    inv = np.float32(1) / np.array(STD, dtype=np.float32)
    return np.ascontiguousarray(((x - mean) * inv).transpose(0, 3, 1, 2))


class SmallNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()

        def stage(inp, out):
            return [nn.Conv2d(inp, out, 3, padding=1, bias=False), nn.BatchNorm2d(out), nn.ReLU()]

        self.features = nn.Sequential(*stage(3, 16), nn.MaxPool2d(2), *stage(16, 32), nn.MaxPool2d(2), *stage(32, 64))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))


class Nhwc(nn.Module):
    """The network behind a transpose: takes [batch, H, W, 3]."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x.permute(0, 3, 1, 2))


class Grey(nn.Module):
    """Replicates one channel to three: a classifier whose input the evaluation refuses."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x.expand(-1, 3, -1, -1))


class Features(nn.Module):
    """The last feature map: an output the evaluation refuses."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner.features(x)


def train():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    images = read_idx("train-images-idx3-ubyte.gz")[:TRAIN_IMAGES]
    labels = read_idx("train-labels-idx1-ubyte.gz")[:TRAIN_IMAGES]
    x = torch.from_numpy(normalized_nchw(padded_rgb(images)))
    y = torch.from_numpy(labels.astype(np.int64))
    net = SmallNet()
    optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
    net.train()
    for epoch in range(EPOCHS):
        order = torch.randperm(TRAIN_IMAGES, generator=torch.Generator().manual_seed(1 + epoch))
        for start in range(0, TRAIN_IMAGES, 64):
            batch = order[start:start + 64]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(net(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    # The BatchNorm statistics of the final weights (the running averages lag behind weights that moved fast):
    # a cumulative average over the training images, without gradients.
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.reset_running_stats()
                module.momentum = None
        for start in range(0, TRAIN_IMAGES, 256):
            net(x[start:start + 256])
    net.eval()
    return net


def export(module, example, path, input_name, output_name, dynamic):
    torch.onnx.export(module, example, path, opset_version=OPSET, input_names=[input_name], output_names=[output_name],
                      dynamic_axes={input_name: dynamic, output_name: {0: "batch"}}, do_constant_folding=True)


def set_metadata(path, props):
    model = onnx.load(path)
    del model.metadata_props[:]
    for key, value in props.items():
        entry = model.metadata_props.add()
        entry.key = key
        entry.value = value
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    net = train()
    test_images = padded_rgb(read_idx("t10k-images-idx3-ubyte.gz")[:ACCURACY_IMAGES])
    test_labels = read_idx("t10k-labels-idx1-ubyte.gz")[:ACCURACY_IMAGES].astype(np.int64)
    with torch.no_grad():
        logits = net(torch.from_numpy(normalized_nchw(test_images))).numpy()
    predicted = logits.argmax(axis=1)
    errors = int((predicted != test_labels).sum())

    nchw = os.path.join(OUT, "reference-nchw.onnx")
    export(net, torch.zeros(1, 3, 32, 32), nchw, "image", "logits", {0: "batch"})
    set_metadata(nchw, {
        "pixmix.format": "1",
        "pixmix.layout": "NCHW",
        "pixmix.input_size": "32",
        "pixmix.mean": ",".join(repr(v) for v in MEAN),
        "pixmix.std": ",".join(repr(v) for v in STD),
        "pixmix.normalization": "input",
        "pixmix.class_names": json.dumps(CLASS_NAMES),
        "pixmix.architecture": "reference-small-cnn",
    })
    export(Nhwc(net), torch.zeros(1, 32, 32, 3), os.path.join(OUT, "reference-nhwc.onnx"), "pixels", "scores", {0: "batch"})
    export(net, torch.zeros(1, 3, 32, 32), os.path.join(OUT, "reference-dynamic-size.onnx"), "image", "logits",
           {0: "batch", 2: "height", 3: "width"})
    export(Grey(net), torch.zeros(1, 1, 32, 32), os.path.join(OUT, "refused-grey-input.onnx"), "image", "logits", {0: "batch"})
    export(Features(net), torch.zeros(1, 3, 32, 32), os.path.join(OUT, "refused-feature-output.onnx"), "image", "features",
           {0: "batch"})
    for name in ["reference-nhwc.onnx", "reference-dynamic-size.onnx", "refused-grey-input.onnx", "refused-feature-output.onnx"]:
        onnx.checker.check_model(onnx.load(os.path.join(OUT, name)))

    np.save(os.path.join(OUT, "reference-logits.npy"), logits[:LOGIT_IMAGES].astype(np.float32))
    expected = {
        "classNames": CLASS_NAMES,
        "mean": MEAN,
        "std": STD,
        "inputSize": 32,
        "logitImages": LOGIT_IMAGES,
        "accuracyImages": ACCURACY_IMAGES,
        "errors": errors,
        "accuracy": 1 - errors / ACCURACY_IMAGES,
        "trainImages": TRAIN_IMAGES,
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "opset": OPSET,
    }
    with open(os.path.join(OUT, "reference-expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")
    print(json.dumps({"errors": errors, "accuracy": expected["accuracy"], "out": OUT}))


if __name__ == "__main__":
    main()
