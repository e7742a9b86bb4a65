namespace PixMix.MLNet.Models;

/// <summary>
/// Everything needed to rebuild a network: architecture, its size options, class count and input shape (CHW).
/// Saved with the weights so a model file can be reloaded without the original options.
/// </summary>
/// <param name="Architecture">The network family.</param>
/// <param name="Depth">WideResNet depth (6n + 4); ignored by the other architectures.</param>
/// <param name="Widen">WideResNet width multiplier; ignored by the other architectures.</param>
/// <param name="Dropout">Dropout probability (WideResNet blocks, SmallCnn head); ignored by ResNets.</param>
/// <param name="Classes">Number of output classes.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Width">Input width in pixels.</param>
public sealed record ImageModelSpec(ModelArchitecture Architecture, int Depth, int Widen, double Dropout,
    int Classes, int Channels, int Height, int Width)
{
    /// <summary>Number of floats of one input image (C x H x W).</summary>
    public int ImageSize => checked(Channels * Height * Width);

    /// <summary>
    /// Builds the network with freshly initialised weights, drawn from <paramref name="generator"/> (which also draws
    /// the dropout masks), or from torch's global generator when it is null.
    /// </summary>
    public nn.Module<Tensor, Tensor> CreateModule(Generator? generator = null)
    {
        Validate();
        return Architecture switch
        {
            ModelArchitecture.WideResNet => new WideResNet(Depth, Widen, Dropout, Classes, Channels, generator),
            ModelArchitecture.ResNet18 => ResNet.ResNet18(Classes, Channels, generator),
            ModelArchitecture.ResNet50 => ResNet.ResNet50(Classes, Channels, generator),
            ModelArchitecture.SmallCnn => new SmallCnn(Classes, Channels, Dropout, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown model architecture."),
        };
    }

    /// <summary>The most classes a network may have (the CLI's <c>--classes</c> cap).</summary>
    public const int MaxClasses = 100_000;

    /// <summary>
    /// The most trainable parameters a network may have: 500 million (ResNet-50 has 25.6 million, WideResNet-40-4
    /// 8.9 million, WideResNet-28-10 36.5 million). A description beyond it is refused before anything is allocated.
    /// </summary>
    public const long MaxParameters = 500_000_000;

    /// <summary>
    /// The most activation memory one image may need in a forward pass, as <see cref="EstimateActivationBytes"/>
    /// counts it: 4 GiB (ResNet-50 at 224 x 224 needs about 0.2 GiB, WideResNet-40-4 at 32 x 32 about 0.03 GiB).
    /// </summary>
    public const long MaxActivationBytesPerImage = 4L << 30;

    /// <summary>
    /// The number of trainable parameters of the network this describes, computed from the description alone (no
    /// allocation; in floating point so that absurd sizes cannot overflow).
    /// </summary>
    public double EstimateParameters() => Estimate(Architecture, Depth, Widen, Classes, Channels, Height, Width).Parameters;

    /// <summary>
    /// The number of values of the network's state_dict: the parameters plus BatchNorm's running mean and variance
    /// and its step counter.
    /// </summary>
    public double EstimateStateElements() => Estimate(Architecture, Depth, Widen, Classes, Channels, Height, Width).State;

    /// <summary>
    /// The bytes of activations (32-bit floats) one image of <see cref="Height"/> x <see cref="Width"/> produces in a
    /// forward pass: the sum of every convolution's, normalisation's and activation's output sizes.
    /// </summary>
    public double EstimateActivationBytes() => Estimate(Architecture, Depth, Widen, Classes, Channels, Height, Width).Activations * 4;

    /// <summary>
    /// Checks the class count, the dropout, the WideResNet depth and width, that the input shape suits the
    /// architecture, and that the estimated parameter count and activation memory are within
    /// <see cref="MaxParameters"/> and <see cref="MaxActivationBytesPerImage"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range; the message says which and why.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown model architecture (expected WideResNet, ResNet18, ResNet50 or SmallCnn).");
        if (Classes < 2)
            throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "An image classifier needs at least 2 classes.");
        if (Classes > MaxClasses)
            throw new ArgumentOutOfRangeException(nameof(Classes), Classes, $"An image classifier has at most {MaxClasses} classes.");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be a number in [0, 1).");
        if (Channels < 1 || Height < 1 || Width < 1)
            throw new ArgumentOutOfRangeException(nameof(Channels), $"{Channels}x{Height}x{Width}", "The image shape (channels x height x width) must be positive.");
        if (Architecture == ModelArchitecture.WideResNet)
        {
            if (Depth < 10 || (Depth - 4) % 6 != 0)
                throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "WideResNet depth must be 6n + 4 with n >= 1 (10, 16, 22, 28, 40, ...).");
            if (Widen < 1)
                throw new ArgumentOutOfRangeException(nameof(Widen), Widen, "WideResNet width multiplier must be at least 1.");
        }
        int minSide = Architecture switch
        {
            ModelArchitecture.ResNet18 or ModelArchitecture.ResNet50 => ResNet.MinimumInputSize,
            _ => 8,
        };
        if (Height < minSide || Width < minSide)
            throw new ArgumentOutOfRangeException(nameof(Height), $"{Height}x{Width}",
                $"{Architecture} needs images of at least {minSide} x {minSide} pixels.");
        var (parameters, _, activations) = Estimate(Architecture, Depth, Widen, Classes, Channels, Height, Width);
        if (parameters > MaxParameters)
            throw new ArgumentOutOfRangeException(nameof(Depth), Describe(),
                $"The network would have about {parameters:0.###e0} parameters ({parameters * 4 / (1L << 30):0.#} GiB of weights); at most {MaxParameters:N0} are allowed.");
        if (activations * 4 > MaxActivationBytesPerImage)
            throw new ArgumentOutOfRangeException(nameof(Height), Describe(),
                $"The network would need about {activations * 4 / (1L << 30):0.#} GiB of activations per {Height}x{Width} image; at most {MaxActivationBytesPerImage >> 30} GiB are allowed.");
    }

    /// <summary>
    /// <see cref="Validate"/> for a description read from a file: any refusal becomes an
    /// <see cref="InvalidDataException"/> naming <paramref name="source"/>.
    /// </summary>
    public void ValidateFrom(string source)
    {
        try { Validate(); }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the network description ({Describe()}) is refused: {e.Message}", e);
        }
    }

    /// <summary>The description in one line ("WideResNet-40-4, 10 classes, 3x32x32").</summary>
    public string Describe() => (Architecture == ModelArchitecture.WideResNet ? $"WideResNet-{Depth}-{Widen}" : Architecture.ToString())
        + $", {Classes} classes, {Channels}x{Height}x{Width}";

    private static (double Parameters, double State, double Activations) Estimate(ModelArchitecture architecture, double depth, double widen,
        double classes, double channels, double height, double width)
    {
        double parameters = 0, buffers = 0, activations = 0;
        void Conv(double inC, double outC, double k, double h, double w) { parameters += inC * outC * k * k; activations += outC * h * w; }
        void Norm(double c, double h, double w) { parameters += 2 * c; buffers += 2 * c + 1; activations += 2 * c * h * w; }
        static double Down(double side, double stride) => Math.Ceiling(side / stride);
        switch (architecture)
        {
            case ModelArchitecture.SmallCnn:
            {
                double h = height, w = width, inC = channels;
                foreach (var (outC, pool) in new[] { (16.0, true), (32.0, false), (32.0, true), (64.0, false), (64.0, true), (128.0, false) })
                {
                    Conv(inC, outC, 3, h, w); Norm(outC, h, w);
                    inC = outC;
                    if (pool) { h = Math.Floor(h / 2); w = Math.Floor(w / 2); }
                }
                parameters += 128 * classes + classes;
                break;
            }
            case ModelArchitecture.WideResNet:
            {
                double n = Math.Max(1, Math.Floor((depth - 4) / 6)), h = height, w = width;
                Conv(channels, 16, 3, h, w);
                double inC = 16;
                foreach (var (outC, stride) in new[] { (16 * widen, 1.0), (32 * widen, 2.0), (64 * widen, 2.0) })
                {
                    // The first block changes the width (and the size); the other n - 1 are alike.
                    double oh = Down(h, stride), ow = Down(w, stride);
                    Norm(inC, h, w); Conv(inC, outC, 3, oh, ow); Norm(outC, oh, ow); Conv(outC, outC, 3, oh, ow);
                    if (inC != outC) Conv(inC, outC, 1, oh, ow);
                    double p0 = parameters, b0 = buffers, a0 = activations;
                    Norm(outC, oh, ow); Conv(outC, outC, 3, oh, ow); Norm(outC, oh, ow); Conv(outC, outC, 3, oh, ow);
                    parameters = p0 + (parameters - p0) * (n - 1); buffers = b0 + (buffers - b0) * (n - 1); activations = a0 + (activations - a0) * (n - 1);
                    inC = outC; h = oh; w = ow;
                }
                Norm(inC, h, w);
                parameters += inC * classes + classes;
                break;
            }
            default:
            {
                bool bottleneck = architecture == ModelArchitecture.ResNet50;
                int[] blocks = bottleneck ? [3, 4, 6, 3] : [2, 2, 2, 2];
                double expansion = bottleneck ? 4 : 1, h = Down(height, 2), w = Down(width, 2);
                Conv(channels, 64, 7, h, w); Norm(64, h, w);
                h = Down(h, 2); w = Down(w, 2);
                double inC = 64;
                for (int stage = 0; stage < 4; stage++)
                {
                    double planes = 64 << stage;
                    for (int b = 0; b < blocks[stage]; b++)
                    {
                        double stride = stage > 0 && b == 0 ? 2 : 1, oh = Down(h, stride), ow = Down(w, stride);
                        if (bottleneck)
                        {
                            Conv(inC, planes, 1, h, w); Norm(planes, h, w);
                            Conv(planes, planes, 3, oh, ow); Norm(planes, oh, ow);
                            Conv(planes, planes * 4, 1, oh, ow); Norm(planes * 4, oh, ow);
                        }
                        else
                        {
                            Conv(inC, planes, 3, oh, ow); Norm(planes, oh, ow);
                            Conv(planes, planes, 3, oh, ow); Norm(planes, oh, ow);
                        }
                        if (stride != 1 || inC != planes * expansion) { Conv(inC, planes * expansion, 1, oh, ow); Norm(planes * expansion, oh, ow); }
                        inC = planes * expansion; h = oh; w = ow;
                    }
                }
                parameters += inC * classes + classes;
                break;
            }
        }
        return (parameters, parameters + buffers, activations);
    }
}
