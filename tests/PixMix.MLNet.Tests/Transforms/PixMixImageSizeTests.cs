using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Cli.Benchmarks;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Transforms;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Transforms;

/// <summary>
/// Images of another size than the recipe's: the CIFAR recipe scores images as they are, so it refuses them (at schema
/// time when the column type gives the size, else row by row) instead of cropping or resizing silently; the ImageNet
/// recipe resizes and centre-crops any size, as the paper evaluates.
/// </summary>
public class PixMixImageSizeTests
{
    private static PixMixOptions Cifar(string input, int size) => new()
    {
        InputColumnName = input, OutputColumnName = "Features", MixingSet = MixingSet.Fractals(4, 0),
        Recipe = PixMixRecipe.Cifar with { Size = size, MixingResize = size + 4 },
    };

    [Fact]
    public void CifarRecipeRefusesAPixelVectorOfAnotherSizeAtFitNamingTheColumnAndBothSizes()
    {
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 4);            // Pixels: 28 x 28 x 1

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.PixMix(Cifar("Pixels", 32)).Fit(data));

        Assert.Contains("Column 'Pixels'", error.Message);
        Assert.Contains("28x28 images", error.Message);
        Assert.Contains("32x32", error.Message);
    }

    [Fact]
    public void ModelOfOneSizeRefusesTestImagesOfAnotherAtTransformInsteadOfCroppingThem()
    {
        var ml = new MLContext(seed: 1);
        var train = new ImageSourceDataView(new SyntheticImageSource(8, 32, 3, seed: 1), "Image", "Label");
        var test = new ImageSourceDataView(new SyntheticImageSource(8, 64, 3, seed: 2), "Image", "Label");
        var model = ml.Transforms.PixMix(Cifar("Image", 32)).Fit(train);
        Assert.Equal(8, ViewReader.Read(model.Transform(train), "Features").Count);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(test));
        Assert.Contains("Column 'Image' holds 64x64 images", error.Message);
        Assert.Contains("reads 32x32 images as they are", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetRowToRowMapper(test.Schema));
    }

    [Fact]
    public void CifarRecipeRefusesMLImagesOfKnownSizeAtFit()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var files = ml.Data.LoadFromEnumerable(FashionMnistSample.WritePngs(folder.Path, 3));
        var pipeline = ml.Transforms.LoadImages("Image", folder.Path, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 48, 40, "Image"))
            .Append(ml.Transforms.PixMix(Cifar("Image", 32)));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(files));

        Assert.Contains("Column 'Image' holds 48x40 images", error.Message);
        Assert.Contains("32x32", error.Message);
    }

    [Fact]
    public void CifarRecipeRefusesMLImagesOfUnknownSizeRowByRowWhenTheirSizeDiffers()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var files = ml.Data.LoadFromEnumerable(FashionMnistSample.WritePngs(folder.Path, 3));   // 28x28 pictures
        var loaded = ml.Transforms.LoadImages("Image", folder.Path, "ImagePath").Fit(files).Transform(files);

        // The image type does not give the size, so Fit accepts the column; scoring a row refuses it.
        var model = ml.Transforms.PixMix(Cifar("Image", 32)).Fit(loaded);
        var error = Assert.Throws<InvalidOperationException>(() => ViewReader.Read(model.Transform(loaded), "Features"));
        Assert.Contains("Row 0", error.Message);
        Assert.Contains("Column 'Image' holds 28x28 images", error.Message);
        Assert.Contains("32x32", error.Message);
        // Augmented passes refuse them too: the recipe's train transform is for images of its size.
        Assert.Throws<InvalidOperationException>(() => ViewReader.Read(ml.Data.Augment(model.Transform(loaded), 0), "Features"));

        // Pictures of the recipe's size are scored.
        var matching = ml.Transforms.PixMix(Cifar("Image", 28)).Fit(loaded);
        Assert.All(ViewReader.Read(matching.Transform(loaded), "Features"), f => Assert.Equal(3 * 28 * 28, f.Length));
    }

    [Fact]
    public void ImageNetRecipeResizesAndCentreCropsAnySize()
    {
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 2);            // 28 x 28 x 1
        var options = new PixMixOptions
        {
            InputColumnName = "Pixels", OutputColumnName = "Features", MixingSet = MixingSet.Fractals(4, 0),
            Recipe = PixMixRecipe.ImageNet with { Size = 20, MixingResize = 23 },
        };

        var output = ViewReader.Read(ml.Transforms.PixMix(options).Fit(data).Transform(data), "Features");

        Assert.Equal(2, output.Count);
        Assert.All(output, f => Assert.Equal(20 * 20, f.Length));
        Assert.All(output, f => Assert.Contains(f, v => v != f[0]));
    }
}
