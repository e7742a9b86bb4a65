using Microsoft.ML;
using Microsoft.ML.Runtime;
using PixMix.MLNet.Training;

namespace PixMix.MLNet.Tests.Training;

public class CatalogEnvironmentTests
{
    [Fact]
    public void MLNetStillExposesTheCatalogsEnvironmentWhereTheLibraryReadsIt()
    {
        var context = new MLContext(seed: 1);
        var trainers = context.MulticlassClassification.Trainers;
        var internalCatalog = trainers.GetType().GetInterfaces().SingleOrDefault(i => i.Name == CatalogEnvironment.InterfaceName);
        Assert.True(internalCatalog is not null,
            $"ML.NET's MulticlassClassificationTrainers no longer implements {CatalogEnvironment.InterfaceName}: CatalogEnvironment must find the context's environment another way, or the image classifier logs nothing.");
        var property = internalCatalog!.GetProperty(CatalogEnvironment.PropertyName);
        Assert.True(property is not null && typeof(IHostEnvironment).IsAssignableFrom(property.PropertyType),
            $"ML.NET's {CatalogEnvironment.InterfaceName} no longer has an IHostEnvironment '{CatalogEnvironment.PropertyName}' property.");
        Assert.NotNull(CatalogEnvironment.Of(trainers));
    }

    [Fact]
    public void TheEnvironmentFoundFeedsThatContextsLogAndNoOther()
    {
        var context = new MLContext(seed: 1);
        var other = new MLContext(seed: 1);
        var messages = new List<string>();
        var others = new List<string>();
        context.Log += (_, e) => { if (e.Source == "probe") lock (messages) messages.Add(e.Message); };
        other.Log += (_, e) => { if (e.Source == "probe") lock (others) others.Add(e.Message); };

        var environment = CatalogEnvironment.Of(context.MulticlassClassification.Trainers)!;
        using (var channel = environment.Start("probe"))
            channel.Info(MessageSensitivity.None, "reached");

        lock (messages) Assert.Contains(messages, m => m.EndsWith("] reached", StringComparison.Ordinal));
        lock (others) Assert.Empty(others);
    }

    [Fact]
    public void AnObjectThatIsNoCatalogHasNoEnvironment()
    {
        Assert.Null(CatalogEnvironment.Of(new object()));
        Assert.Throws<ArgumentNullException>(() => CatalogEnvironment.Of(null!));
    }
}
