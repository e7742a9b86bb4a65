namespace PixMix.Imaging.Corruptions;

/// <summary>
/// Scratch buffers of one thread, grown on demand and reused, so that corrupting images of a steady size
/// allocates nothing. The spans handed out are not cleared.
/// </summary>
internal sealed class CorruptionWorkspace
{
    [ThreadStatic] private static CorruptionWorkspace? t_current;

    /// <summary>The calling thread's workspace.</summary>
    public static CorruptionWorkspace Current => t_current ??= new CorruptionWorkspace();

    private double[] _d0 = [], _d1 = [], _d2 = [], _d3 = [], _line0 = [], _line1 = [], _kernel = [], _matrix = [];
    private float[] _f0 = [], _f1 = [];
    private short[] _s0 = [], _s1 = [], _s2 = [], _s3 = [];
    private bool[] _flags = [];
    private byte[] _b0 = [], _b1 = [], _b2 = [];
    private int[] _i0 = [], _i1 = [];
    private ImageU8? _rgbIn, _rgbOut;

    public Span<double> D0(int n) => Grow(ref _d0, n);
    public Span<double> D1(int n) => Grow(ref _d1, n);
    public Span<double> D2(int n) => Grow(ref _d2, n);
    public Span<double> D3(int n) => Grow(ref _d3, n);
    public Span<double> Line0(int n) => Grow(ref _line0, n);
    public Span<double> Line1(int n) => Grow(ref _line1, n);
    public Span<double> Kernel(int n) => Grow(ref _kernel, n);
    public Span<double> Matrix(int n) => Grow(ref _matrix, n);
    public Span<float> F0(int n) => Grow(ref _f0, n);
    public Span<float> F1(int n) => Grow(ref _f1, n);
    public Span<byte> B0(int n) => Grow(ref _b0, n);
    public Span<byte> B1(int n) => Grow(ref _b1, n);
    public Span<byte> B2(int n) => Grow(ref _b2, n);
    public Span<int> I0(int n) => Grow(ref _i0, n);
    public Span<int> I1(int n) => Grow(ref _i1, n);
    public Span<short> S0(int n) => Grow(ref _s0, n);
    public Span<short> S1(int n) => Grow(ref _s1, n);
    public Span<short> S2(int n) => Grow(ref _s2, n);
    public Span<short> S3(int n) => Grow(ref _s3, n);
    public Span<bool> Flags(int n) => Grow(ref _flags, n);

    /// <summary>Two RGB images of the given size, used to run colour corruptions on grey images.</summary>
    public (ImageU8 In, ImageU8 Out) RgbPair(int width, int height)
    {
        if (_rgbIn is null || _rgbIn.Width != width || _rgbIn.Height != height)
        {
            _rgbIn = new ImageU8(width, height, 3);
            _rgbOut = new ImageU8(width, height, 3);
        }
        return (_rgbIn, _rgbOut!);
    }

    private static Span<T> Grow<T>(ref T[] array, int n)
    {
        if (array.Length < n) array = new T[Math.Max(n, array.Length * 2)];
        return array.AsSpan(0, n);
    }
}
