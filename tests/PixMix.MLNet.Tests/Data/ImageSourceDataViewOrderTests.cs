using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Data;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Data;

/// <summary>
/// An ML.NET row mapper over an image-source view reads it through a cursor set and consolidates the rows: the view's
/// cursors number their blocks as batches, so one cursor asked of the mapper gives the rows in the source's order.
/// </summary>
public class ImageSourceDataViewOrderTests
{
    /// <summary>2x2 grey images, image i filled with the byte i; its label is i mod 4, named a..d.</summary>
    private static ArrayImageSource Numbered(int count) =>
        new(count, 2, 2, 1, (index, _) => (byte)index, index => (int)(index % 4), ["a", "b", "c", "d"]);

    [Fact]
    public void ARowMapperDownstreamGivesTheRowsInTheSourcesOrder()
    {
        var context = new MLContext(seed: 1);
        var view = new ImageSourceDataView(Numbered(200));
        var cursors = view.GetRowCursorSet(view.Schema, 4);
        Assert.Equal(4, cursors.Length);
        Assert.Equal([0L, 1L, 2L, 3L], cursors.Select(c => c.Batch));
        foreach (var c in cursors) c.Dispose();

        var mapped = context.Transforms.Conversion.MapKeyToValue("LabelName", "Label").Fit(view).Transform(view);
        for (int run = 0; run < 5; run++)
        {
            var firstBytes = new List<byte>();
            using (var cursor = mapped.GetRowCursor(mapped.Schema))
            {
                var image = cursor.GetGetter<VBuffer<byte>>(mapped.Schema["Image"]);
                VBuffer<byte> pixels = default;
                while (cursor.MoveNext())
                {
                    image(ref pixels);
                    firstBytes.Add(pixels.GetValues()[0]);
                }
            }
            Assert.Equal(Enumerable.Range(0, 200).Select(i => (byte)i), firstBytes);
        }
    }
}
