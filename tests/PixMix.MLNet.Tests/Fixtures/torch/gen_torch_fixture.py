#!/usr/bin/python3
"""Writes the PyTorch checkpoint fixture for the import tests (run by hand with Debian's /usr/bin/python3, torch 1.13).

A WideResNet-10-1 (10 classes, dropout 0.3) with the reference implementation's parameter names, random weights and
non-trivial BatchNorm running statistics, one SGD step so the optimizer holds momentum buffers, saved like the
reference's checkpoints: torch.save({'epoch', 'state_dict' (DataParallel, 'module.'-prefixed), 'best_acc',
'optimizer'}, path). Also writes 4 fixed inputs (4x3x32x32 float32, little-endian) and their eval-mode logits (4x10).
"""
import os
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


class Block(nn.Module):
    def __init__(self, inp, out, stride, drop):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inp)
        self.conv1 = nn.Conv2d(inp, out, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out)
        self.conv2 = nn.Conv2d(out, out, 3, 1, 1, bias=False)
        self.drop = drop
        self.same = inp == out
        self.conv_shortcut = None if self.same else nn.Conv2d(inp, out, 1, stride, 0, bias=False)

    def forward(self, x):
        pre = F.relu(self.bn1(x))
        out = F.relu(self.bn2(self.conv1(pre)))
        if self.drop > 0:
            out = F.dropout(out, p=self.drop, training=self.training)
        out = self.conv2(out)
        return (x if self.same else self.conv_shortcut(pre)) + out


class Stage(nn.Module):
    def __init__(self, n, inp, out, stride, drop):
        super().__init__()
        self.layer = nn.Sequential(*[Block(inp if i == 0 else out, out, stride if i == 0 else 1, drop) for i in range(n)])

    def forward(self, x):
        return self.layer(x)


class WideResNet(nn.Module):
    def __init__(self, depth, classes, widen, drop):
        super().__init__()
        n = (depth - 4) // 6
        w = [16, 16 * widen, 32 * widen, 64 * widen]
        self.conv1 = nn.Conv2d(3, w[0], 3, 1, 1, bias=False)
        self.block1 = Stage(n, w[0], w[1], 1, drop)
        self.block2 = Stage(n, w[1], w[2], 2, drop)
        self.block3 = Stage(n, w[2], w[3], 2, drop)
        self.bn1 = nn.BatchNorm2d(w[3])
        self.fc = nn.Linear(w[3], classes)
        self.channels = w[3]

    def forward(self, x):
        out = self.block3(self.block2(self.block1(self.conv1(x))))
        out = F.relu(self.bn1(out))
        out = F.avg_pool2d(out, 8).view(-1, self.channels)
        return self.fc(out)


def main():
    torch.manual_seed(20220101)
    net = WideResNet(10, 10, 1, 0.3)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(1 + 0.2 * torch.randn_like(m.weight))
                m.bias.copy_(0.1 * torch.randn_like(m.bias))
                m.running_mean.copy_(0.2 * torch.randn_like(m.running_mean))
                m.running_var.copy_(0.5 + torch.rand_like(m.running_var))
                m.num_batches_tracked.fill_(123)
    opt = torch.optim.SGD(net.parameters(), 0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
    net.train()
    loss = F.cross_entropy(net(torch.randn(8, 3, 32, 32)), torch.randint(0, 10, (8,)))
    opt.zero_grad()
    loss.backward()
    opt.step()

    net.eval()
    inputs = torch.rand(4, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        logits = net(inputs)
    parallel = nn.DataParallel(net)
    torch.save({'epoch': 7, 'dataset': 'cifar10', 'model': 'wrn', 'state_dict': parallel.state_dict(),
                'best_acc': 0.4321, 'optimizer': opt.state_dict()}, os.path.join(HERE, 'wrn10_1_checkpoint.pth.tar'))
    torch.save(net.state_dict(), os.path.join(HERE, 'wrn10_1_state_dict.pth'))
    inputs.numpy().astype('<f4').tofile(os.path.join(HERE, 'wrn10_1_inputs.f32'))
    logits.numpy().astype('<f4').tofile(os.path.join(HERE, 'wrn10_1_logits.f32'))
    print('logits[0]:', logits[0].tolist())


if __name__ == '__main__':
    main()
