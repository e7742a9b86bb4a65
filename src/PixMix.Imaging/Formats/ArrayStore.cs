namespace PixMix.Imaging.Formats;

/// <summary>A <see cref="ByteStore"/> over a byte array.</summary>
internal sealed class ArrayStore : ByteStore
{
    private readonly byte[] _bytes;
    private readonly int _length;

    public ArrayStore(byte[] bytes, string name) : this(bytes, bytes.Length, name) { }

    public ArrayStore(byte[] bytes, int length, string name) : base(name)
    {
        _bytes = bytes;
        _length = length;
    }

    public override long Length => _length;

    public override void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        _bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
    }
}
