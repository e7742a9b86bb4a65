using System.Collections;
using System.Globalization;
using Microsoft.ML;
using PixMix.MLNet.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PixMix.MLNet.Training;

/// <summary>
/// Imports checkpoints saved by PyTorch's <c>torch.save</c> (zip format, PyTorch 1.6 and later): the PixMix reference's
/// <c>.pth.tar</c> files (a dict with <c>state_dict</c>, DataParallel-prefixed, plus epoch, best_acc and optimizer)
/// or a bare state_dict, into this library's networks, whose parameter names match the reference's and torchvision's.
/// </summary>
public static class PyTorchImport
{
    private const string ModulePrefix = "module.";

    /// <summary>Reads the state_dict and metadata of a PyTorch checkpoint.</summary>
    public static PyTorchCheckpoint ReadCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"PyTorch checkpoint '{path}' not found.", path);
        Hashtable root;
        try
        {
            using var stream = File.OpenRead(path);
            root = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (NotImplementedException e)
        {
            throw new InvalidDataException($"PyTorch checkpoint '{path}' cannot be read: {e.Message} " +
                "Files from torch.save before PyTorch 1.6 (legacy format) must be re-saved with a newer PyTorch.", e);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidCastException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{path}' is not a PyTorch checkpoint that can be read: {e.Message}", e);
        }

        Hashtable stateTable = root["state_dict"] is Hashtable inner ? inner : root;
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        bool prefixed = stateTable.Count > 0;
        foreach (DictionaryEntry entry in stateTable)
            if (entry.Key is not string key || !key.StartsWith(ModulePrefix, StringComparison.Ordinal)) prefixed = false;
        foreach (DictionaryEntry entry in stateTable)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor) continue;
            state[prefixed ? key[ModulePrefix.Length..] : key] = tensor;
        }
        if (state.Count == 0)
            throw new InvalidDataException($"PyTorch checkpoint '{path}' holds no tensors: expected a state_dict or a dict with a 'state_dict' entry.");
        bool wrapped = !ReferenceEquals(stateTable, root);
        return new PyTorchCheckpoint(path, state,
            wrapped ? AsLong(root["epoch"]) : null,
            wrapped ? AsDouble(root["best_acc"]) : null,
            prefixed, wrapped && root["optimizer"] is not null);
    }

    /// <summary>
    /// Copies <paramref name="stateDict"/> into <paramref name="module"/>'s parameters and buffers. Every parameter and
    /// buffer must be present with the same shape, and every tensor of the checkpoint must be used (BatchNorm's
    /// <c>num_batches_tracked</c> may be absent on either side); otherwise an <see cref="InvalidDataException"/> names the
    /// missing or unexpected keys, or the key with its expected and found shapes.
    /// </summary>
    public static void LoadStateDict(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        var targets = module.state_dict();
        static bool Optional(string key) => key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
        var missing = targets.Keys.Where(k => !stateDict.ContainsKey(k) && !Optional(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !targets.ContainsKey(k) && !Optional(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            missing.Sort(StringComparer.Ordinal);
            unexpected.Sort(StringComparer.Ordinal);
            string List(List<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys.Take(12)) + (keys.Count > 12 ? $", ... ({keys.Count} in all)" : "");
            throw new InvalidDataException($"PyTorch {source} does not match the {module.GetName()} network: missing keys: {List(missing)}; unexpected keys: {List(unexpected)}. " +
                "Check the architecture, depth and widen options.");
        }
        foreach (var (key, target) in targets)
        {
            if (!stateDict.TryGetValue(key, out var value)) continue;
            if (!target.shape.SequenceEqual(value.shape))
                throw new InvalidDataException($"PyTorch {source}: shape mismatch for '{key}': the network expects [{string.Join(", ", target.shape)}], the checkpoint has [{string.Join(", ", value.shape)}].");
        }
        using var noGrad = no_grad();
        foreach (var (key, target) in targets)
            if (stateDict.TryGetValue(key, out var value)) target.copy_(value);
    }

    /// <summary>
    /// Loads a PyTorch checkpoint as a fitted image classifier (for example one of the PixMix paper's released
    /// WideResNet-40-4 CIFAR checkpoints, or a torchvision ResNet's state_dict).
    /// </summary>
    public static ImageClassificationTransformer LoadImageClassifier(MLContext context, string path, PyTorchImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= new PyTorchImportOptions();
        using var checkpoint = ReadCheckpoint(path);
        int classes = options.ClassNames?.Count ?? options.ClassCount;
        if (classes == 0 && checkpoint.StateDict.TryGetValue("fc.weight", out var fc)) classes = (int)fc.shape[0];
        var spec = new ImageModelSpec(options.Architecture, options.Depth, options.Widen, options.Dropout, classes,
            options.ImageChannels, options.ImageHeight, options.ImageWidth);
        spec.Validate();
        var network = spec.CreateModule();
        LoadStateDict(network, checkpoint.StateDict, $"checkpoint '{path}'");
        var device = DeviceSelection.Resolve(options.Device);
        network.to(device);
        var labels = ClassLabels.Create(classes, "Text",
            options.ClassNames?.ToArray() ?? Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
        return new ImageClassificationTransformer(new NetworkRunner(network, spec, device), options.FeatureColumnName, labels,
            Math.Max(1, options.EvaluationBatchSize), null);
    }

    private static long? AsLong(object? value) => value switch
    {
        int i => i,
        long l => l,
        Tensor t => t.ToInt64(),
        _ => null,
    };

    private static double? AsDouble(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        Tensor t => t.ToDouble(),
        _ => null,
    };
}
