using System.Collections;
using TorchSharp.PyBridge;

namespace PixMix.MLNet.PyTorch;

/// <summary>
/// Imports checkpoints saved by PyTorch's <c>torch.save</c> (zip format, PyTorch 1.6 and later): the PixMix reference's
/// <c>.pth.tar</c> files (a dict with <c>state_dict</c>, DataParallel-prefixed, plus epoch, best_acc and optimizer)
/// or a bare state_dict, into this library's networks, whose parameter names match the reference's and torchvision's.
/// </summary>
public static class PyTorchImport
{
    private const string ModulePrefix = "module.";

    /// <summary>
    /// Reads the state_dict and metadata of a PyTorch checkpoint. The file is inspected first, without constructing
    /// anything: its pickle may name only an ordered dict, the tensor rebuild functions and the numeric storage types
    /// (anything else, such as <c>os.system</c>, is refused naming it, and nothing runs); each storage must be at most
    /// 2 GiB, held by its zip entry, compressed at most 100x, and all storages together at most 4 GiB.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable checkpoint, or is refused by the checks above.</exception>
    public static PyTorchCheckpoint ReadCheckpoint(string path)
    {
        var scan = Inspect(path);
        scan.CheckTotal(PyTorchCheckpointScan.DefaultMaxTotalBytes, "a checkpoint read without a network description");
        return ReadCheckpoint(path, scan);
    }

    private static PyTorchCheckpointScan Inspect(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"PyTorch checkpoint '{path}' not found.", path);
        PixMix.Imaging.FileKinds.RequireRegularInput(path, "PyTorch checkpoint");
        return PyTorchCheckpointScan.Read(path);
    }

    private static PyTorchCheckpoint ReadCheckpoint(string path, PyTorchCheckpointScan scan)
    {
        Hashtable root;
        try
        {
            using var stream = File.OpenRead(path);
            root = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (NotImplementedException e)
        {
            // The inspection has already refused legacy files and unknown storage types; what is left is the
            // unpickler's own refusal (for example a whole model saved instead of its state_dict).
            throw new InvalidDataException($"PyTorch checkpoint '{path}' cannot be read: {(string.IsNullOrEmpty(e.Message) ? "the unpickler does not support its content" : e.Message)}", e);
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
        _ = scan;
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
            CheckFinite(key, value, $"PyTorch {source}");
        }
        using var noGrad = no_grad();
        foreach (var (key, target) in targets)
            if (stateDict.TryGetValue(key, out var value)) target.copy_(value);
    }

    /// <summary>Refuses NaN or infinite values in any floating-point parameter or buffer of <paramref name="module"/>, naming the tensor.</summary>
    internal static void CheckFinite(nn.Module module, string source)
    {
        foreach (var (key, tensor) in module.state_dict()) CheckFinite(key, tensor, source);
    }

    private static void CheckFinite(string key, Tensor tensor, string source)
    {
        if (!tensor.is_floating_point() || tensor.numel() == 0) return;
        using var scope = NewDisposeScope();
        if (!isfinite(tensor).all().ToBoolean())
            throw new InvalidDataException($"{source}: tensor '{key}' holds NaN or infinite values; refused.");
    }

    /// <summary>
    /// Loads a PyTorch checkpoint as a fitted image classifier (for example one of the PixMix paper's released
    /// WideResNet-40-4 CIFAR checkpoints, or a torchvision ResNet's state_dict).
    /// </summary>
    public static ImageClassificationTransformer LoadImageClassifier(MLContext context, string path, PyTorchImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= new PyTorchImportOptions();
        // Everything is checked before the unpickler allocates: the pickle's globals, each storage against its entry,
        // the network description (the same bounds as loading a model file), and the storages' total against what
        // that network needs.
        var scan = Inspect(path);
        int classes = options.ClassNames?.Count ?? options.ClassCount;
        var spec = new ImageModelSpec(options.Architecture, options.Depth, options.Widen, options.Dropout, Math.Max(classes, 2),
            options.ImageChannels, options.ImageHeight, options.ImageWidth);
        spec.Validate();
        if (classes == 0)
        {
            var fcWeight = scan.StateTensors.FirstOrDefault(t => t.Key is "fc.weight" or "module.fc.weight").Value;
            if (fcWeight is null)
                throw new InvalidDataException($"PyTorch checkpoint '{path}' has no 'fc.weight' tensor to take the class count from " +
                    $"({scan.StateTensors.Count} tensors found); give the class count or the class names.");
            if (fcWeight.Shape.Length != 2)
                throw new InvalidDataException($"PyTorch checkpoint '{path}': 'fc.weight' has shape {fcWeight.ShapeText}; a linear layer's weight has 2 dimensions (classes, features).");
            if (fcWeight.Shape[0] > ImageModelSpec.MaxClasses)
                throw new InvalidDataException($"PyTorch checkpoint '{path}': 'fc.weight' has {fcWeight.Shape[0]:N0} rows (classes); at most {ImageModelSpec.MaxClasses:N0} classes are allowed.");
            classes = (int)fcWeight.Shape[0];
            spec = spec with { Classes = classes };
            spec.ValidateFrom($"PyTorch checkpoint '{path}'");
        }
        double expected = spec.EstimateStateElements();
        if (scan.StateElements > expected * 1.01 + 1024)
            throw new InvalidDataException($"PyTorch checkpoint '{path}' has {scan.StateElements:N0} values in its state_dict; the {spec.Describe()} network has {expected:N0}. " +
                "Check the architecture, depth and widen options.");
        // The state dict (up to 8 bytes a value) plus an optimizer state of up to twice as much, and a little slack.
        long bound = (long)Math.Min(PyTorchCheckpointScan.MaxStorageBytes * 64.0, expected * 8 * 3 + (16 << 20));
        scan.CheckTotal(bound, $"the {spec.Describe()} network (with an optimizer state)");
        using var checkpoint = ReadCheckpoint(path, scan);
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
