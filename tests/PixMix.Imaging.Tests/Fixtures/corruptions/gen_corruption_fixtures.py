#!/usr/bin/python3
"""Reference outputs for the deterministic corruptions of the robustness benchmark.

Run by hand from the repository root with the system Python (numpy, scipy, skimage, PIL):

    /usr/bin/python3 tests/PixMix.Imaging.Tests/Fixtures/corruptions/gen_corruption_fixtures.py

The corruption functions below follow hendrycks/robustness (ImageNet-C/create_c/make_cifar_c.py and
make_imagenet_c.py): same libraries, same calls, same parameter tables, same final np.uint8 truncation.
OpenCV is not installed here, so for defocus_blur the two OpenCV calls (cv2.GaussianBlur of the disk
kernel and cv2.filter2D) are written out in numpy after OpenCV's documented semantics (separable float32
Gaussian from getGaussianKernel, BORDER_REFLECT_101 borders, correlation anchored at the kernel centre).

Inputs are built from real Fashion-MNIST pictures (data/fashion-mnist): three pictures padded to 32x32 and
used as the R, G and B planes (with tints), a 64x64 RGB mosaic for the ImageNet parameters, and a 28x28
grey picture. Writes *.u8 (raw HWC bytes) and manifest.json next to this script.
"""
import gzip, json, os
from io import BytesIO

import numpy as np
import skimage as sk
from skimage.filters import gaussian
from scipy.ndimage import zoom as scizoom
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..'))

# ---------------------------------------------------------------- parameter tables (reference)
P = {
    'cifar': dict(
        defocus_blur=[(0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1)],
        zoom_blur=[np.arange(1, 1.06, 0.01), np.arange(1, 1.11, 0.01), np.arange(1, 1.16, 0.01),
                   np.arange(1, 1.21, 0.01), np.arange(1, 1.26, 0.01)],
        brightness=[.05, .1, .15, .2, .3],
        contrast=[.75, .5, .4, .3, 0.15],
        pixelate=[0.95, 0.9, 0.85, 0.75, 0.65],
        jpeg_compression=[80, 65, 58, 50, 40],
        gaussian_blur=[.4, .6, 0.7, .8, 1],
        saturate=[(0.3, 0), (0.1, 0), (1.5, 0), (2, 0.1), (2.5, 0.2)],
    ),
    'imagenet': dict(
        defocus_blur=[(3, 0.1), (4, 0.5), (6, 0.5), (8, 0.5), (10, 0.5)],
        zoom_blur=[np.arange(1, 1.11, 0.01), np.arange(1, 1.16, 0.01), np.arange(1, 1.21, 0.02),
                   np.arange(1, 1.26, 0.02), np.arange(1, 1.31, 0.03)],
        brightness=[.1, .2, .3, .4, .5],
        contrast=[0.4, .3, .2, .1, .05],
        pixelate=[0.6, 0.5, 0.4, 0.3, 0.25],
        jpeg_compression=[25, 18, 15, 10, 7],
        gaussian_blur=[1, 2, 3, 4, 6],
        saturate=[(0.3, 0), (0.1, 0), (2, 0), (5, 0.1), (20, 0.2)],
    ),
}

# ---------------------------------------------------------------- OpenCV pieces, in numpy


def cv_gaussian_kernel(n, sigma):
    cf = np.empty(n, np.float32)
    s = 0.0
    scale2 = -0.5 / (sigma * sigma)
    for i in range(n):
        x = i - (n - 1) * 0.5
        cf[i] = np.float32(np.exp(scale2 * x * x))
        s += float(cf[i])
    s = 1.0 / s
    for i in range(n):
        cf[i] = np.float32(float(cf[i]) * s)
    return cf


def cv_gaussian_blur_f32(img, ksize, sigma):
    k = cv_gaussian_kernel(ksize, sigma)
    r = ksize // 2
    p = np.pad(img, ((0, 0), (r, r)), mode='reflect')  # numpy 'reflect' == BORDER_REFLECT_101
    rows = p[:, r:r + img.shape[1]] * k[r]
    for j in range(1, r + 1):
        rows = rows + (p[:, r - j:r - j + img.shape[1]] + p[:, r + j:r + j + img.shape[1]]) * k[r + j]
    p = np.pad(rows.astype(np.float32), ((r, r), (0, 0)), mode='reflect')
    out = p[r:r + img.shape[0], :] * k[r]
    for j in range(1, r + 1):
        out = out + (p[r - j:r - j + img.shape[0], :] + p[r + j:r + j + img.shape[0], :]) * k[r + j]
    return out.astype(np.float32)


def cv_filter2d(img, kernel):
    kh, kw = kernel.shape
    ay, ax = kh // 2, kw // 2
    p = np.pad(img, ((ay, ay), (ax, ax)), mode='reflect')
    out = np.zeros(img.shape, np.float64)
    h, w = img.shape
    for j in range(kh):
        for i in range(kw):
            kv = float(kernel[j, i])
            if kv != 0.0:
                out = out + kv * p[j:j + h, i:i + w]
    return out


def disk(radius, alias_blur=0.1, dtype=np.float32):
    if radius <= 8:
        L = np.arange(-8, 8 + 1)
        ksize = (3, 3)
    else:
        L = np.arange(-radius, radius + 1)
        ksize = (5, 5)
    X, Y = np.meshgrid(L, L)
    aliased_disk = np.array((X ** 2 + Y ** 2) <= radius ** 2, dtype=dtype)
    aliased_disk /= np.sum(aliased_disk)
    return cv_gaussian_blur_f32(aliased_disk, ksize[0], alias_blur)

# ---------------------------------------------------------------- the reference's corruptions


def clipped_zoom(img, zoom_factor):
    h = img.shape[0]
    ch = int(np.ceil(h / zoom_factor))
    top = (h - ch) // 2
    img = scizoom(img[top:top + ch, top:top + ch], (zoom_factor, zoom_factor, 1), order=1)
    trim_top = (img.shape[0] - h) // 2
    return img[trim_top:trim_top + h, trim_top:trim_top + h]


def defocus_blur(x, c):
    x = np.array(x) / 255.
    kernel = disk(radius=c[0], alias_blur=c[1])
    channels = [cv_filter2d(x[:, :, d], kernel) for d in range(3)]
    channels = np.array(channels).transpose((1, 2, 0))
    return np.clip(channels, 0, 1) * 255


def zoom_blur(x, c):
    x = (np.array(x) / 255.).astype(np.float32)
    out = np.zeros_like(x)
    for zoom_factor in c:
        out += clipped_zoom(x, zoom_factor)
    x = (x + out) / (len(c) + 1)
    return np.clip(x, 0, 1) * 255


def brightness(x, c):
    x = np.array(x) / 255.
    x = sk.color.rgb2hsv(x)
    x[:, :, 2] = np.clip(x[:, :, 2] + c, 0, 1)
    x = sk.color.hsv2rgb(x)
    return np.clip(x, 0, 1) * 255


def saturate(x, c):
    x = np.array(x) / 255.
    x = sk.color.rgb2hsv(x)
    x[:, :, 1] = np.clip(x[:, :, 1] * c[0] + c[1], 0, 1)
    x = sk.color.hsv2rgb(x)
    return np.clip(x, 0, 1) * 255


def contrast(x, c):
    x = np.array(x) / 255.
    means = np.mean(x, axis=(0, 1), keepdims=True)
    return np.clip((x - means) * c + means, 0, 1) * 255


def gaussian_blur(x, c):
    a = np.array(x) / 255.
    x = gaussian(a, sigma=c, channel_axis=-1 if a.ndim == 3 else None)
    return np.clip(x, 0, 1) * 255


def jpeg_compression(x, c):
    output = BytesIO()
    x.save(output, 'JPEG', quality=c)
    return Image.open(output)


def pixelate(x, c):
    w, h = x.size
    x = x.resize((int(w * c), int(h * c)), Image.BOX)
    return x.resize((w, h), Image.BOX)


FUNCS = dict(defocus_blur=defocus_blur, zoom_blur=zoom_blur, brightness=brightness, contrast=contrast,
             gaussian_blur=gaussian_blur, saturate=saturate, jpeg_compression=jpeg_compression, pixelate=pixelate)

# ---------------------------------------------------------------- inputs


def fashion(n):
    with gzip.open(os.path.join(ROOT, 'data', 'fashion-mnist', 't10k-images-idx3-ubyte.gz')) as f:
        data = f.read()
    return np.frombuffer(data, np.uint8, offset=16).reshape(-1, 28, 28)[:n]


def main():
    imgs = fashion(16)
    pad = lambda a: np.pad(a, 2, mode='edge')
    inputs = {}
    # 32x32 RGB: three pictures as planes, tinted so that hues vary
    a, b, c = pad(imgs[0]), pad(imgs[1]), pad(imgs[2])
    inputs['rgb32a'] = np.stack([a, (0.6 * b + 90).astype(np.uint8), (255 - c * 0.7).astype(np.uint8)], -1)
    d, e, f = pad(imgs[3]), pad(imgs[4]), pad(imgs[5])
    inputs['rgb32b'] = np.stack([(d // 2 + e // 2), (200 - f * 0.6).astype(np.uint8), (e * 0.8 + 30).astype(np.uint8)], -1)
    # 64x64 RGB mosaic for the ImageNet parameters
    tiles = [pad(imgs[i]) for i in range(6, 16)]
    mosaic = lambda t: np.block([[t[0], t[1]], [t[2], t[3]]])
    inputs['rgb64'] = np.stack([mosaic(tiles[0:4]), (mosaic(tiles[4:8]) * 0.7 + 50).astype(np.uint8),
                                (255 - mosaic(tiles[2:6]) * 0.8).astype(np.uint8)], -1)
    # 28x28 grey
    inputs['grey28'] = imgs[7].copy()

    cases = []
    for name in ['rgb32a', 'rgb32b']:
        for corr in ['defocus_blur', 'zoom_blur', 'brightness', 'contrast', 'gaussian_blur', 'saturate',
                     'jpeg_compression', 'pixelate']:
            cases.append((name, corr, 'cifar'))
    for corr in ['defocus_blur', 'zoom_blur', 'brightness', 'contrast', 'gaussian_blur', 'saturate',
                 'jpeg_compression', 'pixelate']:
        cases.append(('rgb64', corr, 'imagenet'))
    for corr in ['contrast', 'gaussian_blur', 'jpeg_compression', 'pixelate']:
        cases.append(('grey28', corr, 'cifar'))

    manifest = {'inputs': {}, 'cases': []}
    for name, arr in inputs.items():
        fn = f'input_{name}.u8'
        arr.astype(np.uint8).tofile(os.path.join(HERE, fn))
        h, w = arr.shape[:2]
        manifest['inputs'][name] = dict(file=fn, width=w, height=h, channels=1 if arr.ndim == 2 else 3)
    for name, corr, pset in cases:
        arr = inputs[name]
        for sev in range(1, 6):
            c = P[pset][corr][sev - 1]
            pil = Image.fromarray(arr)
            out = np.uint8(FUNCS[corr](pil, c))
            fn = f'{corr}_{pset}_{name}_s{sev}.u8'
            out.tofile(os.path.join(HERE, fn))
            manifest['cases'].append(dict(input=name, corruption=corr, set=pset, severity=sev, file=fn))
    with open(os.path.join(HERE, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    print(len(manifest['cases']), 'cases')


if __name__ == '__main__':
    main()
