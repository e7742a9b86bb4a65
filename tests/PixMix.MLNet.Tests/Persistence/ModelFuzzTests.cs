using Microsoft.ML;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Tests.Transforms;
using PixMix.Imaging.Core;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Persistence;

/// <summary>
/// Byte-level mutations of a saved model file, deterministic (seeded) and bounded: every file whose bytes changed is
/// refused with one of the documented bad-input exceptions naming it (the whole-file seal covers every byte, timestamps
/// and zip headers included); a mutation that left the bytes as they were loads and scores as the original. Never
/// another exception, never different scores.
/// </summary>
public class ModelFuzzTests(SavedClassifierFixture fx) : IClassFixture<SavedClassifierFixture>
{
    private const int Cases = 300;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 6)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryChangedByteIsRefusedAsBadInput(int seed)
    {
        byte[] original = File.ReadAllBytes(fx.ModelPath);
        var random = new Random(1000 + seed);
        using var folder = new TempFolder();
        int loaded = 0, refused = 0;
        for (int i = 0; i < Cases / 6; i++)
        {
            var (bytes, what) = Mutate(original, random);
            string path = Path.Combine(folder.Path, $"m{i}.zip");
            File.WriteAllBytes(path, bytes);
            ITransformer model;
            try
            {
                model = fx.Context.Model.LoadPixMixModel(path, out _);
            }
            catch (Exception e) when (e is InvalidDataException or InvalidInputDataException)
            {
                Assert.Contains(path, e.Message);
                refused++;
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"{what}: {e.GetType().Name} is not a documented refusal: {e.Message}");
                return;
            }
            Assert.True(bytes.AsSpan().SequenceEqual(original), $"{what}: the changed file loaded");
            var scores = fx.Score(model);
            Assert.True(scores.Count == fx.Scores.Count && scores.Zip(fx.Scores).All(p => p.First.SequenceEqual(p.Second)),
                $"{what}: the mutated model loaded and scores differently");
            loaded++;
        }
        Assert.Equal(Cases / 6, loaded + refused);
        Assert.True(refused > 0, "no mutation was refused: the mutations do not reach the file's content");
    }

    // One of: flip a bit, set a byte, cut the file, duplicate a run of bytes, insert bytes, zero a run.
    private static (byte[] Bytes, string What) Mutate(byte[] original, Random random)
    {
        int at = random.Next(original.Length);
        switch (random.Next(6))
        {
            case 0:
            {
                var b = (byte[])original.Clone();
                int bit = random.Next(8);
                b[at] ^= (byte)(1 << bit);
                return (b, $"bit {bit} of byte {at} flipped");
            }
            case 1:
            {
                var b = (byte[])original.Clone();
                byte v = (byte)random.Next(256);
                b[at] = v;
                return (b, $"byte {at} set to {v}");
            }
            case 2:
                return (original[..at], $"cut at {at}");
            case 3:
            {
                int length = Math.Min(random.Next(1, 64), original.Length - at);
                return ([.. original[..(at + length)], .. original[at..]], $"{length} bytes at {at} duplicated");
            }
            case 4:
            {
                var extra = new byte[random.Next(1, 16)];
                random.NextBytes(extra);
                return ([.. original[..at], .. extra, .. original[at..]], $"{extra.Length} random bytes inserted at {at}");
            }
            default:
            {
                var b = (byte[])original.Clone();
                int length = Math.Min(random.Next(1, 256), b.Length - at);
                Array.Clear(b, at, length);
                return (b, $"{length} bytes zeroed at {at}");
            }
        }
    }
}
