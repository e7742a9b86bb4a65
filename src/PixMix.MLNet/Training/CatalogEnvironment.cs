using System.Reflection;
using Microsoft.ML.Runtime;

namespace PixMix.MLNet.Training;

/// <summary>
/// The host environment behind an ML.NET catalog: the environment of the <c>MLContext</c> the catalog belongs to, whose
/// channels feed that context's <c>Log</c>. ML.NET offers no public way from a catalog to its context; the catalogs
/// implement the internal interface <c>IInternalCatalog</c>, whose <c>Environment</c> property is the context's
/// environment. This is the one place that reads it; a test fails when ML.NET changes it.
/// </summary>
internal static class CatalogEnvironment
{
    internal const string InterfaceName = "IInternalCatalog";
    internal const string PropertyName = "Environment";

    /// <summary>The environment of <paramref name="catalog"/>'s context, or null where ML.NET no longer exposes it this way.</summary>
    internal static IHostEnvironment? Of(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var property = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.Name == InterfaceName)?.GetProperty(PropertyName);
        try
        {
            return property?.GetValue(catalog) as IHostEnvironment;
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }
}
