#!/usr/bin/env python3
"""Reference training throughput: a plain PyTorch training loop of WideResNet-depth-widen on the same data as
`pixmix bench train` (the shipped Fashion-MNIST as 32x32 RGB: 28x28 zero-padded by 2, grey copied to 3 channels),
with the standard CIFAR augmentation (random crop with 4-pixel padding and horizontal flip, torchvision transforms
where torchvision is installed, the same operations in NumPy otherwise) in a DataLoader with one worker per core.
No PixMix: every line says "pixmix": false. SGD with Nesterov momentum 0.9, weight decay 5e-4, learning rate 0.1 on a
cosine schedule, as the PixMix.MLNet trainer. The loss is read back every step (float(loss)), as the PixMix reference
training code does and as the PixMix.MLNet trainer does.

Prints one JSON line with the fields of `pixmix bench train --json`: the first epoch is warm-up; images_per_s and
data_wait_fraction (time blocked waiting for the DataLoader / step time) are over the later epochs;
peak_gpu_memory_bytes is the device memory in use (total minus free, torch.cuda.mem_get_info) sampled after every step,
as PixMix.MLNet samples it (null on the CPU); max_memory_allocated/reserved are PyTorch's caching-allocator peaks.
"""
import argparse
import gzip
import json
import math
import os
import platform
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import torchvision.transforms as T
except Exception:  # torchvision absent or broken: use the NumPy fallback below
    T = None


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def locate_data(explicit):
    candidates = [explicit, os.environ.get("PIXMIX_DATA")]
    here = os.path.dirname(os.path.abspath(__file__))
    candidates += [os.path.join(here, "..", "data"), os.path.join(os.getcwd(), "data")]
    for c in candidates:
        if not c:
            continue
        for folder in (c, os.path.join(c, "fashion-mnist")):
            if os.path.exists(os.path.join(folder, "train-images-idx3-ubyte.gz")):
                return folder
    sys.exit("Fashion-MNIST not found: pass --data or set PIXMIX_DATA")


class FashionAs32x32Rgb(torch.utils.data.Dataset):
    MEAN, STD = (0.5, 0.5, 0.5), (0.5, 0.5, 0.5)  # the PixMix CIFAR recipe's normalisation

    def __init__(self, folder, count):
        images = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz"))[:count]
        self.labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz"))[:count].astype(np.int64)
        padded = np.pad(images, ((0, 0), (2, 2), (2, 2)))
        self.images = np.ascontiguousarray(np.repeat(padded[..., None], 3, axis=3))  # N x 32 x 32 x 3 uint8
        if T is not None:
            from PIL import Image
            self.to_image = Image.fromarray
            self.transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(self.MEAN, self.STD)])
        else:
            self.transform = None

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        if self.transform is not None:
            return self.transform(self.to_image(self.images[i])), int(self.labels[i])
        # NumPy fallback: the same crop (pad 4, random 32x32 window), flip, scaling and normalisation.
        img = np.pad(self.images[i], ((4, 4), (4, 4), (0, 0)))
        y, x = np.random.randint(0, 9, size=2)
        img = img[y:y + 32, x:x + 32]
        if np.random.rand() < 0.5:
            img = img[:, ::-1]
        chw = np.ascontiguousarray(img.transpose(2, 0, 1), dtype=np.float32) / 255.0
        return torch.from_numpy((chw - 0.5) / 0.5), int(self.labels[i])


class Block(nn.Module):
    """Pre-activation wide basic block: BN-ReLU-conv3x3-BN-ReLU-dropout-conv3x3, 1x1 shortcut when the shape changes."""

    def __init__(self, cin, cout, stride, dropout):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.dropout = dropout
        self.shortcut = None if (cin == cout and stride == 1) else nn.Conv2d(cin, cout, 1, stride, 0, bias=False)

    def forward(self, x):
        o = F.relu(self.bn1(x))
        skip = x if self.shortcut is None else self.shortcut(o)
        o = self.conv1(o)
        o = F.relu(self.bn2(o))
        if self.dropout > 0:
            o = F.dropout(o, self.dropout, self.training)
        return self.conv2(o) + skip


class WideResNet(nn.Module):
    def __init__(self, depth, widen, classes, dropout=0.3):
        super().__init__()
        assert (depth - 4) % 6 == 0, "depth must be 6n + 4"
        n = (depth - 4) // 6
        widths = [16, 16 * widen, 32 * widen, 64 * widen]
        self.conv = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        layers, cin = [], widths[0]
        for group, stride in zip(range(3), (1, 2, 2)):
            for i in range(n):
                layers.append(Block(cin, widths[group + 1], stride if i == 0 else 1, dropout))
                cin = widths[group + 1]
        self.blocks = nn.Sequential(*layers)
        self.bn = nn.BatchNorm2d(cin)
        self.fc = nn.Linear(cin, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight); nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, x):
        o = F.relu(self.bn(self.blocks(self.conv(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(o, 1), 1))


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return "cpu (%s, %d logical cores)" % (line.split(":", 1)[1].strip(), os.cpu_count())
    except OSError:
        pass
    return "cpu (%s, %d logical cores)" % (platform.machine(), os.cpu_count())


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    a.add_argument("--depth", type=int, default=40)
    a.add_argument("--widen", type=int, default=4)
    a.add_argument("--batch-size", type=int, default=128)
    a.add_argument("--images", type=int, default=10240)
    a.add_argument("--epochs", type=int, default=3, help="epochs; the first is warm-up and not measured")
    a.add_argument("--no-cudnn-benchmark", action="store_true", help="leave torch.backends.cudnn.benchmark off (default: on)")
    a.add_argument("--workers", type=int, default=os.cpu_count(), help="DataLoader workers (default: one per core)")
    a.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"])
    a.add_argument("--channels-last", action="store_true")
    a.add_argument("--max-seconds", type=float, default=0, help="stop measuring after this long (0: no limit)")
    a.add_argument("--torch-threads", type=int, default=0)
    a.add_argument("--data", default=None)
    args = a.parse_args()
    if args.epochs < 2:
        sys.exit("--epochs must be >= 2 (the first is warm-up)")
    if args.device == "cuda" and not torch.cuda.is_available():
        print(json.dumps({"kind": "error", "implementation": "PyTorch %s (reference)" % torch.__version__, "error": "torch.cuda.is_available() is false"}))
        sys.exit(1)
    if args.precision == "fp16" and args.device == "cpu":
        sys.exit("--precision fp16 needs --device cuda")
    if args.torch_threads > 0:
        torch.set_num_threads(args.torch_threads)
    torch.manual_seed(1)
    device = torch.device(args.device)
    cuda = device.type == "cuda"
    # As the PixMix and AugMix training scripts (and PixMix.MLNet's CudnnBenchmark default) do.
    torch.backends.cudnn.benchmark = not args.no_cudnn_benchmark

    data = FashionAs32x32Rgb(locate_data(args.data), args.images)
    workers, shm_free = workers_for_shared_memory(args.workers, args.batch_size)
    loader = torch.utils.data.DataLoader(data, batch_size=args.batch_size, shuffle=True, num_workers=workers,
                                         pin_memory=cuda, persistent_workers=workers > 0, drop_last=False)
    model = WideResNet(args.depth, args.widen, 10).to(device)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
    total_steps = args.epochs * len(loader)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: (1e-6 + (0.1 - 1e-6) * 0.5 * (1 + math.cos(math.pi * s / total_steps))) / 0.1)
    dtype = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[args.precision]
    scaler = None
    if args.precision == "fp16":
        scaler = torch.amp.GradScaler("cuda") if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler") else torch.cuda.amp.GradScaler()

    peak = None
    measured_images, measured_seconds, measured_wait, measured_epochs, measured_device_wait = 0, 0.0, 0.0, 0, 0.0
    model.train()
    for epoch in range(args.epochs):
        epoch_start = time.perf_counter()
        wait, images, device_wait = 0.0, 0, 0.0
        iterator = iter(loader)
        while True:
            t0 = time.perf_counter()
            try:
                x, y = next(iterator)
            except StopIteration:
                break
            wait += time.perf_counter() - t0
            x = x.to(device, non_blocking=True)
            y = y.to(device, non_blocking=True)
            if args.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=device.type, dtype=dtype, enabled=dtype is not None):
                loss = F.cross_entropy(model(x), y)
            if scaler is not None:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            else:
                loss.backward()
                optimizer.step()
            scheduler.step()
            t1 = time.perf_counter()
            float(loss)  # one read-back per step, as the PixMix reference and PixMix.MLNet do
            device_wait += time.perf_counter() - t1
            if cuda:
                free, total = torch.cuda.mem_get_info()
                peak = max(peak or 0, total - free)
            images += x.shape[0]
        seconds = time.perf_counter() - epoch_start
        if epoch > 0:
            measured_images += images; measured_seconds += seconds; measured_wait += wait; measured_epochs += 1
            measured_device_wait += device_wait
            if args.max_seconds and measured_seconds >= args.max_seconds:
                break

    result = {
        "implementation": "PyTorch %s (reference)" % torch.__version__,
        "device": torch.cuda.get_device_name(device) if cuda else cpu_name(),
        "device_type": device.type,
        "architecture": "WideResNet-%d-%d" % (args.depth, args.widen),
        "batch_size": args.batch_size,
        "precision": args.precision,
        "channels_last": args.channels_last,
        "pixmix": False,
        "images_per_s": round(measured_images / max(measured_seconds, 1e-9), 1),
        "data_wait_fraction": round(measured_wait / max(measured_seconds, 1e-9), 4),
        "peak_gpu_memory_bytes": peak,
        "data_threads": workers,
        "workers_asked": args.workers,
        "shared_memory_free_bytes": shm_free,
        "images": args.images,
        "measured_epochs": measured_epochs,
        "measured_seconds": round(measured_seconds, 2),
        "data": "Fashion-MNIST train images 0..%d as 32x32 RGB, %s crop+flip" % (args.images - 1, "torchvision" if T is not None else "NumPy"),
        "device_wait_fraction": round(measured_device_wait / max(measured_seconds, 1e-9), 4),
        "cudnn_benchmark": bool(torch.backends.cudnn.benchmark) if cuda else False,
        "max_memory_allocated_bytes": torch.cuda.max_memory_allocated(device) if cuda else None,
        "max_memory_reserved_bytes": torch.cuda.max_memory_reserved(device) if cuda else None,
        "cudnn_tf32": cudnn_tf32() if cuda else None,
    }
    print(json.dumps(result), flush=True)


def workers_for_shared_memory(workers, batch_size):
    """The DataLoader workers that fit the shared memory: each keeps two batches (its prefetch) in /dev/shm, and a
    container's small /dev/shm (64 MB by default) kills workers with a bus error when they do not fit. Keeps the
    batches within half of what is free; returns (workers, free bytes or None where /dev/shm cannot be read)."""
    try:
        free = shutil.disk_usage("/dev/shm").free
    except OSError:
        return workers, None
    batch_bytes = batch_size * (3 * 32 * 32 * 4 + 8)
    fit = int(free // 2 // (2 * batch_bytes))
    if fit < workers:
        print("reference_train_bench: %d workers asked, %d fit the %d free bytes of /dev/shm" % (workers, fit, free), file=sys.stderr)
    return max(0, min(workers, fit)), free


def cudnn_tf32():
    """Whether cuDNN convolutions may use TF32: the precision setting of PyTorch 2.9 and later, else the older flag."""
    conv = getattr(torch.backends.cudnn, "conv", None)
    precision = getattr(conv, "fp32_precision", None) if conv is not None else None
    return precision if precision is not None else torch.backends.cudnn.allow_tf32


if __name__ == "__main__":
    main()
