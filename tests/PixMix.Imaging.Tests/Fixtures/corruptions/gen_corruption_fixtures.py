#!/usr/bin/python3
"""Reference outputs for the deterministic corruptions of the robustness benchmark.

Run by hand from the repository root with the system Python (numpy, scipy, skimage, PIL):

    /usr/bin/python3 tests/PixMix.Imaging.Tests/Fixtures/corruptions/gen_corruption_fixtures.py

The corruption functions below follow hendrycks/robustness (ImageNet-C/create_c/make_cifar_c.py and
make_imagenet_c.py): same libraries, same calls, same parameter tables, same final np.uint8 truncation.
OpenCV is not installed here, so for defocus_blur the two OpenCV calls (cv2.GaussianBlur of the disk
kernel and cv2.filter2D) are written out in numpy after OpenCV's documented semantics (separable float32
Gaussian from getGaussianKernel, BORDER_REFLECT_101 borders, correlation anchored at the kernel centre).

gaussian_noise, speckle_noise, fog, glass_blur, frost and spatter (its mud severities, the water ones need
OpenCV) are random, but draw only normal, uniform and integer numbers, so the script replays
PixMix.Imaging's PixMixRandom (xoshiro256** seeded through SplitMix64; uniform = lo + (hi - lo) * u with
u = (next >> 11) / 2^53; integers in [0, n) by Lemire's method on the low 32 bits; normals by Marsaglia's
polar method, both values of each pair used, loc + scale * z) in place of np.random.uniform /
np.random.randint / np.random.normal, in the reference's order of draws, and the reference's functions run
on those numbers (the seed is in the manifest). glass_blur's loops use the image size where the reference
writes 32 or 224; frost reads the photographs (data/frost) with PIL as RGB where the reference uses
cv2.imread and a BGR->RGB flip (both drop the alpha channel), and is checked at 224 px where the reference
does not resize them.

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
        fog=[(.2, 3), (.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75)],
        glass_blur=[(0.05, 1, 1), (0.25, 1, 1), (0.4, 1, 1), (0.25, 1, 2), (0.4, 1, 2)],
        gaussian_noise=[0.04, 0.06, .08, .09, .10],
        speckle_noise=[.06, .1, .12, .16, .2],
        spatter=[(0.62, 0.1, 0.7, 0.7, 0.5, 0), (0.65, 0.1, 0.8, 0.7, 0.5, 0), (0.65, 0.3, 1, 0.69, 0.5, 0),
                 (0.65, 0.1, 0.7, 0.69, 0.6, 1), (0.65, 0.1, 0.5, 0.68, 0.6, 1)],
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
        fog=[(1.5, 2), (2, 2), (2.5, 1.7), (2.5, 1.5), (3, 1.4)],
        glass_blur=[(0.7, 1, 2), (0.9, 2, 1), (1, 2, 3), (1.1, 3, 2), (1.5, 4, 2)],
        frost=[(1, 0.4), (0.8, 0.6), (0.7, 0.7), (0.65, 0.7), (0.6, 0.75)],
    ),
}

# ---------------------------------------------------------------- PixMixRandom, replayed

M64 = (1 << 64) - 1


def _mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class PixMixRandom:
    def __init__(self, seed):
        x = seed & M64
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            self.s.append(_mix(x))
        if not any(self.s):
            self.s[0] = 1

    def next_u64(self):
        s0, s1, s2, s3 = self.s
        result = (_rotl((s1 * 5) & M64, 7) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def next_int(self, n):
        m = (self.next_u64() & 0xFFFFFFFF) * n
        low = m & 0xFFFFFFFF
        if low < n:
            t = ((-n) & 0xFFFFFFFF) % n
            while low < t:
                m = (self.next_u64() & 0xFFFFFFFF) * n
                low = m & 0xFFFFFFFF
        return m >> 32

    def randint(self, low, high=None, size=None):
        if high is None:
            low, high = 0, low
        if size is None:
            return low + self.next_int(high - low)
        return np.array([low + self.next_int(high - low) for _ in range(int(np.prod(size)))]).reshape(size)

    def next_double(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def normal(self, loc=0.0, scale=1.0, size=None):
        n = int(np.prod(size))
        out = np.empty(n)
        spare = None
        for i in range(n):
            if spare is not None:
                z, spare = spare, None
            else:
                while True:
                    u = 2 * self.next_double() - 1
                    v = 2 * self.next_double() - 1
                    s = u * u + v * v
                    if 0 < s < 1:
                        break
                f = np.sqrt(-2 * np.log(s) / s)
                z, spare = u * f, v * f
            out[i] = loc + scale * z
        return out.reshape(size)

    def uniform(self, low, high, size):
        n = int(np.prod(size))
        u = np.array([(self.next_u64() >> 11) * (1.0 / (1 << 53)) for _ in range(n)])
        return (low + (high - low) * u).reshape(size)


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


# modification of https://github.com/FLHerne/mapgen/blob/master/diamondsquare.py (as in the reference)
def plasma_fractal(mapsize=32, wibbledecay=3):
    assert (mapsize & (mapsize - 1) == 0)
    maparray = np.empty((mapsize, mapsize), dtype=np.float_)
    maparray[0, 0] = 0
    stepsize = mapsize
    wibble = 100

    def wibbledmean(array):
        return array / 4 + wibble * np.random.uniform(-wibble, wibble, array.shape)

    def fillsquares():
        cornerref = maparray[0:mapsize:stepsize, 0:mapsize:stepsize]
        squareaccum = cornerref + np.roll(cornerref, shift=-1, axis=0)
        squareaccum += np.roll(squareaccum, shift=-1, axis=1)
        maparray[stepsize // 2:mapsize:stepsize, stepsize // 2:mapsize:stepsize] = wibbledmean(squareaccum)

    def filldiamonds():
        mapsize = maparray.shape[0]
        drgrid = maparray[stepsize // 2:mapsize:stepsize, stepsize // 2:mapsize:stepsize]
        ulgrid = maparray[0:mapsize:stepsize, 0:mapsize:stepsize]
        ldrsum = drgrid + np.roll(drgrid, 1, axis=0)
        lulsum = ulgrid + np.roll(ulgrid, -1, axis=1)
        ltsum = ldrsum + lulsum
        maparray[0:mapsize:stepsize, stepsize // 2:mapsize:stepsize] = wibbledmean(ltsum)
        tdrsum = drgrid + np.roll(drgrid, 1, axis=1)
        tulsum = ulgrid + np.roll(ulgrid, -1, axis=0)
        ttsum = tdrsum + tulsum
        maparray[stepsize // 2:mapsize:stepsize, 0:mapsize:stepsize] = wibbledmean(ttsum)

    while stepsize >= 2:
        fillsquares()
        filldiamonds()
        stepsize //= 2
        wibble /= wibbledecay

    maparray -= maparray.min()
    return maparray / maparray.max()


def fog(x, c):
    x = np.array(x) / 255.
    h, w = x.shape[:2]
    mapsize = 32 if max(h, w) <= 32 else 256  # the reference's 32 (CIFAR) and 256 (ImageNet at 224)
    max_val = x.max()
    x += c[0] * plasma_fractal(mapsize=mapsize, wibbledecay=c[1])[:h, :w][..., np.newaxis]
    return np.clip(x * max_val / (max_val + c[0]), 0, 1) * 255


def glass_blur(x, c):
    x = np.uint8(gaussian(np.array(x) / 255., sigma=c[0], channel_axis=-1) * 255)
    H, W = x.shape[:2]
    # locally shuffle pixels
    for i in range(c[2]):
        for h in range(H - c[1], c[1], -1):
            for w in range(W - c[1], c[1], -1):
                dx, dy = np.random.randint(-c[1], c[1], size=(2,))
                h_prime, w_prime = h + dy, w + dx
                # swap
                x[h, w], x[h_prime, w_prime] = x[h_prime, w_prime], x[h, w]
    return np.clip(gaussian(x / 255., sigma=c[0], channel_axis=-1), 0, 1) * 255


def imread_rgb(path):
    return np.array(Image.open(path).convert('RGB'))


def frost(x, c):
    size = np.array(x).shape[0]
    assert size == 224
    idx = np.random.randint(5)
    filename = ['frost1.png', 'frost2.png', 'frost3.png', 'frost4.jpg', 'frost5.jpg', 'frost6.jpg'][idx]
    frost = imread_rgb(os.path.join(ROOT, 'data', 'frost', filename))
    # randomly crop
    x_start, y_start = np.random.randint(0, frost.shape[0] - 224), np.random.randint(0, frost.shape[1] - 224)
    frost = frost[x_start:x_start + 224, y_start:y_start + 224]
    return np.clip(c[0] * np.array(x) + c[1] * frost, 0, 255)


def gaussian_noise(x, c):
    x = np.array(x) / 255.
    return np.clip(x + np.random.normal(size=x.shape, scale=c), 0, 1) * 255


def speckle_noise(x, c):
    x = np.array(x) / 255.
    return np.clip(x + x * np.random.normal(size=x.shape, scale=c), 0, 1) * 255


def spatter(x, c):
    x = np.array(x, dtype=np.float32) / 255.
    liquid_layer = np.random.normal(size=x.shape[:2], loc=c[0], scale=c[1])
    liquid_layer = gaussian(liquid_layer, sigma=c[2])
    liquid_layer[liquid_layer < c[3]] = 0
    assert c[5] != 0  # the water branch needs OpenCV
    m = np.where(liquid_layer > c[3], 1, 0)
    m = gaussian(m.astype(np.float32), sigma=c[4])
    m[m < 0.8] = 0
    # mud brown
    color = np.concatenate((63 / 255. * np.ones_like(x[..., :1]),
                            42 / 255. * np.ones_like(x[..., :1]),
                            20 / 255. * np.ones_like(x[..., :1])), axis=2)
    color *= m[..., np.newaxis]
    x *= (1 - m[..., np.newaxis])
    return np.clip(x + color, 0, 1) * 255


FUNCS = dict(gaussian_noise=gaussian_noise, speckle_noise=speckle_noise, spatter=spatter,
             fog=fog, glass_blur=glass_blur, frost=frost, defocus_blur=defocus_blur, zoom_blur=zoom_blur, brightness=brightness, contrast=contrast,
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
    # 224x224 RGB (the mosaic enlarged) for ImageNet-size fog
    inputs['rgb224'] = np.array(Image.fromarray(inputs['rgb64']).resize((224, 224), Image.BILINEAR))

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
    cases.append(('rgb32a', 'fog', 'cifar'))
    cases.append(('rgb32b', 'fog', 'cifar'))
    cases.append(('rgb224', 'fog', 'imagenet'))
    cases.append(('rgb32a', 'glass_blur', 'cifar'))
    cases.append(('rgb224', 'glass_blur', 'imagenet'))
    cases.append(('rgb224', 'frost', 'imagenet'))
    cases.append(('rgb32a', 'gaussian_noise', 'cifar'))
    cases.append(('rgb32a', 'speckle_noise', 'cifar'))
    cases.append(('rgb32b', 'spatter', 'cifar'))

    manifest = {'inputs': {}, 'cases': []}
    for name, arr in inputs.items():
        fn = f'input_{name}.u8'
        arr.astype(np.uint8).tofile(os.path.join(HERE, fn))
        h, w = arr.shape[:2]
        manifest['inputs'][name] = dict(file=fn, width=w, height=h, channels=1 if arr.ndim == 2 else 3)
    for name, corr, pset in cases:
        arr = inputs[name]
        severities = ({'fog': [3], 'glass_blur': [2], 'frost': [2, 5]}[corr]) if name == 'rgb224' else range(1, 6)
        if corr == 'spatter':
            severities = [4, 5]  # mud
        for sev in severities:
            c = P[pset][corr][sev - 1]
            pil = Image.fromarray(arr)
            case = dict(input=name, corruption=corr, set=pset, severity=sev)
            if corr in ('fog', 'glass_blur', 'frost', 'gaussian_noise', 'speckle_noise', 'spatter'):
                seed = 1000 + sev
                if corr == 'frost' and sev == 2:
                    seed = 1007  # picks frost1.png (seed 1005 for severity 5 picks frost5.jpg)
                rng = PixMixRandom(seed)
                saved = np.random.uniform, np.random.randint, np.random.normal
                np.random.uniform, np.random.randint, np.random.normal = rng.uniform, rng.randint, rng.normal
                try:
                    out = np.uint8(FUNCS[corr](pil, c))
                finally:
                    np.random.uniform, np.random.randint, np.random.normal = saved
                case['seed'] = seed
            else:
                out = np.uint8(FUNCS[corr](pil, c))
            fn = f'{corr}_{pset}_{name}_s{sev}.u8'
            out.tofile(os.path.join(HERE, fn))
            case['file'] = fn
            manifest['cases'].append(case)
    with open(os.path.join(HERE, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    print(len(manifest['cases']), 'cases')


if __name__ == '__main__':
    main()
