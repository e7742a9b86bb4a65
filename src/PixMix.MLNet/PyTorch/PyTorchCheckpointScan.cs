using System.IO.Compression;
using System.Text;

namespace PixMix.MLNet.PyTorch;

/// <summary>
/// Inspects a PyTorch checkpoint (a zip of <c>data.pkl</c> and <c>data/&lt;key&gt;</c> storage entries) without
/// constructing anything: it runs the pickle's opcodes on a stack of plain descriptions, so that every global the
/// pickle names is checked against an allow-list (an ordered dict, the tensor and parameter rebuild functions and the
/// numeric storage types), every storage's declared size is checked against the zip entry holding it and against the
/// caps, and every tensor's shape is known, all before the unpickler allocates a byte.
/// </summary>
internal sealed class PyTorchCheckpointScan
{
    /// <summary>The largest <c>data.pkl</c> read: 64 MiB (the tensors live in other entries; a state dict's pickle is small).</summary>
    internal const long MaxPickleBytes = 64L << 20;

    /// <summary>The largest single storage: 2 GiB (also the unpickler's own limit).</summary>
    internal const long MaxStorageBytes = int.MaxValue;

    /// <summary>The largest ratio of a deflated entry's declared size to its compressed size.</summary>
    internal const long MaxCompressionRatio = 100;

    /// <summary>The default bound on all storages together when no network is given: 4 GiB.</summary>
    internal const long DefaultMaxTotalBytes = 4L << 30;

    private static readonly Dictionary<string, int> StorageTypes = new(StringComparer.Ordinal)
    {
        ["DoubleStorage"] = 8, ["FloatStorage"] = 4, ["HalfStorage"] = 2, ["BFloat16Storage"] = 2, ["LongStorage"] = 8,
        ["IntStorage"] = 4, ["ShortStorage"] = 2, ["CharStorage"] = 1, ["ByteStorage"] = 1, ["BoolStorage"] = 1,
    };

    private static readonly HashSet<string> AllowedGlobals = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict", "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
    };

    private PyTorchCheckpointScan(string path, IReadOnlyDictionary<string, Storage> storages, IReadOnlyDictionary<string, TensorInfo> stateTensors)
    {
        Path = path; Storages = storages; StateTensors = stateTensors;
    }

    /// <summary>The file inspected.</summary>
    internal string Path { get; }
    /// <summary>The storages the pickle refers to, by archive key.</summary>
    internal IReadOnlyDictionary<string, Storage> Storages { get; }
    /// <summary>The tensors of the state dict (the root dict, or its <c>state_dict</c> entry; any <c>module.</c> prefix kept), by name.</summary>
    internal IReadOnlyDictionary<string, TensorInfo> StateTensors { get; }
    /// <summary>The bytes of all storages.</summary>
    internal long TotalBytes => Storages.Values.Sum(s => s.Bytes);
    /// <summary>The values of the state dict's tensors.</summary>
    internal double StateElements => StateTensors.Values.Sum(t => t.Elements);

    /// <summary>A storage: its type (<c>FloatStorage</c>), key, element count and bytes.</summary>
    internal sealed record Storage(string Type, string Key, long Elements, long Bytes);

    /// <summary>A tensor: its storage and shape.</summary>
    internal sealed record TensorInfo(Storage Storage, long[] Shape)
    {
        public double Elements => Shape.Aggregate(1.0, (a, b) => a * b);
        public string ShapeText => "[" + string.Join(", ", Shape) + "]";
    }

    /// <summary>Refuses the checkpoint when its storages hold more than <paramref name="maxBytes"/> bytes.</summary>
    internal void CheckTotal(long maxBytes, string what)
    {
        long total = TotalBytes;
        if (total > maxBytes)
            throw new InvalidDataException($"PyTorch checkpoint '{Path}' declares {total:N0} bytes of tensor storage; {what} needs at most {maxBytes:N0}.");
    }

    /// <summary>Inspects <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a zip checkpoint, names a global outside the allow-list, or declares sizes beyond the caps.</exception>
    internal static PyTorchCheckpointScan Read(string path)
    {
        byte[] signature = new byte[4];
        int got;
        using (var probe = File.OpenRead(path)) got = probe.ReadAtLeast(signature, 4, throwOnEndOfStream: false);
        if (got < 4 || signature[0] != (byte)'P' || signature[1] != (byte)'K')
        {
            bool legacy = got >= 2 && signature[0] == 0x80 && signature[1] <= 5;
            throw new InvalidDataException(legacy
                ? $"PyTorch checkpoint '{path}' is in the legacy format of torch.save before PyTorch 1.6 (a bare pickle); re-save it with a newer PyTorch."
                : $"'{path}' is not a PyTorch checkpoint: expected a zip archive written by torch.save (PyTorch 1.6 or later).");
        }
        ZipArchive archive;
        try { archive = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}' is not a PyTorch checkpoint: its zip archive cannot be read: {e.Message}", e); }
        using (archive)
        {
            var pickleEntry = archive.Entries.FirstOrDefault(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
                ?? throw new InvalidDataException($"'{path}' is not a PyTorch checkpoint: its zip archive has no data.pkl entry.");
            CheckEntry(path, pickleEntry, MaxPickleBytes);
            byte[] pickle = new byte[pickleEntry.Length];
            using (var stream = pickleEntry.Open())
            {
                int read = stream.ReadAtLeast(pickle, pickle.Length, throwOnEndOfStream: false);
                if (read != pickle.Length) throw new InvalidDataException($"PyTorch checkpoint '{path}': entry '{pickleEntry.FullName}' is truncated.");
            }
            var machine = new Machine(path);
            object? root = machine.Run(pickle);

            string prefix = pickleEntry.FullName[..^"data.pkl".Length];
            foreach (var storage in machine.Storages.Values)
            {
                string name = prefix + "data/" + storage.Key;
                var entry = archive.GetEntry(name)
                    ?? throw new InvalidDataException($"PyTorch checkpoint '{path}': the storage '{storage.Key}' ({storage.Type}) has no entry '{name}'.");
                CheckEntry(path, entry, MaxStorageBytes);
                if (entry.Length < storage.Bytes)
                    throw new InvalidDataException($"PyTorch checkpoint '{path}': the storage '{storage.Key}' declares {storage.Elements:N0} elements ({storage.Bytes:N0} bytes) but its entry '{name}' holds {entry.Length:N0} bytes.");
            }
            var state = root is Dict dict && dict.Get("state_dict") is Dict inner ? inner : root as Dict;
            var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
            if (state is not null)
                foreach (var (key, value) in state.Items)
                    if (key is string name && value is TensorInfo tensor) tensors[name] = tensor;
            return new PyTorchCheckpointScan(path, machine.Storages, tensors);
        }
    }

    private static void CheckEntry(string path, ZipArchiveEntry entry, long cap)
    {
        if (entry.Length > cap)
            throw new InvalidDataException($"PyTorch checkpoint '{path}': entry '{entry.FullName}' declares {entry.Length:N0} bytes; at most {cap:N0} are read.");
        if (entry.Length > 0 && entry.CompressedLength < entry.Length && entry.Length > MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
            throw new InvalidDataException($"PyTorch checkpoint '{path}': entry '{entry.FullName}' is compressed {entry.Length / (double)Math.Max(1, entry.CompressedLength):0}x " +
                $"({entry.CompressedLength:N0} bytes declaring {entry.Length:N0}); at most {MaxCompressionRatio}x is accepted.");
    }

    private sealed class Mark
    {
        public static readonly Mark Instance = new();
    }

    private sealed record Global(string Module, string Name)
    {
        public string FullName => Module + "." + Name;
    }

    private sealed class Dict
    {
        public List<(object? Key, object? Value)> Items { get; } = [];
        public object? Get(string key) => Items.LastOrDefault(i => i.Key is string k && k == key).Value;
    }

    /// <summary>Anything else (a number that is no integer, bytes, a list, an object): known to exist, never built.</summary>
    private sealed class Opaque
    {
        public static readonly Opaque Instance = new();
    }

    /// <summary>The pickle virtual machine, on descriptions instead of objects.</summary>
    private sealed class Machine(string path)
    {
        private readonly List<object?> _stack = [];
        private readonly List<int> _marks = [];
        private readonly Dictionary<long, object?> _memo = [];
        public Dictionary<string, Storage> Storages { get; } = new(StringComparer.Ordinal);

        private InvalidDataException Fail(string message) => new($"PyTorch checkpoint '{path}': data.pkl {message}");

        public object? Run(byte[] code)
        {
            int pos = 0;
            ReadOnlySpan<byte> Take(int count)
            {
                if (count < 0 || pos + count > code.Length) throw Fail("is truncated.");
                var span = code.AsSpan(pos, count);
                pos += count;
                return span;
            }
            string Line()
            {
                int end = Array.IndexOf(code, (byte)'\n', pos);
                if (end < 0) throw Fail("is truncated (a text argument has no end).");
                string text = Encoding.UTF8.GetString(code, pos, end - pos);
                pos = end + 1;
                return text;
            }
            int Length(int size)
            {
                var bytes = Take(size);
                long n = size switch { 1 => bytes[0], 4 => BitConverter.ToUInt32(bytes), _ => BitConverter.ToInt64(bytes) };
                if (n < 0 || n > code.Length - pos) throw Fail("is truncated (an argument runs past its end).");
                return (int)n;
            }
            while (true)
            {
                if (pos >= code.Length) throw Fail("ends without a STOP opcode.");
                byte op = code[pos++];
                switch (op)
                {
                    case 0x80: Take(1); break; // PROTO
                    case 0x95: Take(8); break; // FRAME
                    case (byte)'.': return _stack.Count == 1 ? _stack[0] : throw Fail("leaves no single result.");
                    case (byte)'(': _marks.Add(_stack.Count); break;
                    case (byte)')': Push(new List<object?>()); break;
                    case (byte)'t': Push(PopMark()); break;
                    case 0x85: Push(PopN(1)); break;
                    case 0x86: Push(PopN(2)); break;
                    case 0x87: Push(PopN(3)); break;
                    case (byte)']': Push(Opaque.Instance); break;
                    case (byte)'l': PopMark(); Push(Opaque.Instance); break;
                    case (byte)'a': Pop(); break;
                    case (byte)'e': PopMark(); break;
                    case 0x8f: Push(Opaque.Instance); break; // EMPTY_SET
                    case 0x90: PopMark(); break; // ADDITEMS
                    case 0x91: PopMark(); Push(Opaque.Instance); break; // FROZENSET
                    case (byte)'}': Push(new Dict()); break;
                    case (byte)'d': { var items = PopMark(); var d = new Dict(); AddPairs(d, items); Push(d); break; }
                    case (byte)'s': { var v = Pop(); var k = Pop(); if (Top() is Dict d) d.Items.Add((k, v)); break; }
                    case (byte)'u': { var items = PopMark(); if (Top() is Dict d) AddPairs(d, items); break; }
                    case (byte)'N': Push(null); break;
                    case 0x88: case 0x89: Push(Opaque.Instance); break; // NEWTRUE, NEWFALSE
                    case (byte)'J': Push((long)BitConverter.ToInt32(Take(4))); break;
                    case (byte)'K': Push((long)Take(1)[0]); break;
                    case (byte)'M': Push((long)BitConverter.ToUInt16(Take(2))); break;
                    case 0x8a: Push(LongValue(Take(Length(1)))); break;
                    case 0x8b: Push(LongValue(Take(Length(4)))); break;
                    case (byte)'I': case (byte)'L':
                    {
                        string text = Line().TrimEnd('L');
                        Push(long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : Opaque.Instance);
                        break;
                    }
                    case (byte)'G': Take(8); Push(Opaque.Instance); break;
                    case (byte)'F': Line(); Push(Opaque.Instance); break;
                    case (byte)'X': Push(Encoding.UTF8.GetString(Take(Length(4)))); break;
                    case 0x8c: Push(Encoding.UTF8.GetString(Take(Length(1)))); break;
                    case 0x8d: Push(Encoding.UTF8.GetString(Take(Length(8)))); break;
                    case (byte)'V': Push(Line()); break;
                    case (byte)'T': Push(Encoding.Latin1.GetString(Take(Length(4)))); break;
                    case (byte)'U': Push(Encoding.Latin1.GetString(Take(Length(1)))); break;
                    case (byte)'S': Push(Line().Trim('\'', '"')); break;
                    case (byte)'B': Take(Length(4)); Push(Opaque.Instance); break;
                    case (byte)'C': Take(Length(1)); Push(Opaque.Instance); break;
                    case 0x8e: Take(Length(8)); Push(Opaque.Instance); break;
                    case (byte)'c': { string module = Line(), name = Line(); Push(CheckGlobal(module, name)); break; }
                    case 0x93:
                    {
                        object? name = Pop(), module = Pop();
                        if (module is not string m || name is not string n) throw Fail("has a STACK_GLOBAL whose module and name are not text; refused.");
                        Push(CheckGlobal(m, n));
                        break;
                    }
                    case (byte)'i': { string module = Line(), name = Line(); CheckGlobal(module, name); PopMark(); Push(Opaque.Instance); break; }
                    case (byte)'o': { var items = PopMark(); if (items.Count == 0 || items[0] is not Global) throw Fail("has an OBJ opcode without a class; refused."); Push(Opaque.Instance); break; }
                    case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(callable, args)); break; }
                    case 0x81: { Pop(); var cls = Pop(); if (cls is not Global) throw Fail("has a NEWOBJ opcode without a class; refused."); Push(Opaque.Instance); break; }
                    case 0x92: { Pop(); Pop(); var cls = Pop(); if (cls is not Global) throw Fail("has a NEWOBJ_EX opcode without a class; refused."); Push(Opaque.Instance); break; }
                    case (byte)'b': Pop(); if (_stack.Count == 0) throw Fail("has a BUILD opcode on an empty stack."); break;
                    case (byte)'Q': Push(PersistentStorage(Pop())); break;
                    case (byte)'P': throw Fail("uses a text persistent id (PERSID), which torch.save never writes; refused.");
                    case (byte)'q': _memo[Take(1)[0]] = Top(); break;
                    case (byte)'r': _memo[BitConverter.ToUInt32(Take(4))] = Top(); break;
                    case (byte)'p': _memo[ParseIndex(Line())] = Top(); break;
                    case 0x94: _memo[_memo.Count] = Top(); break;
                    case (byte)'h': Push(Recall(Take(1)[0])); break;
                    case (byte)'j': Push(Recall(BitConverter.ToUInt32(Take(4)))); break;
                    case (byte)'g': Push(Recall(ParseIndex(Line()))); break;
                    case (byte)'0': Pop(); break;
                    case (byte)'1': PopMark(); break;
                    case (byte)'2': Push(Top()); break;
                    default:
                        throw Fail($"uses the pickle opcode 0x{op:x2} at byte {pos - 1}, which a state dict does not need; refused.");
                }
                if (_stack.Count > 1_000_000) throw Fail("nests deeper than 1,000,000 values; refused.");
            }
        }

        private long ParseIndex(string text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : throw Fail("has a malformed memo index.");

        private static object LongValue(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length == 0) return 0L;
            if (bytes.Length > 8) return Opaque.Instance;
            long v = 0;
            for (int i = bytes.Length - 1; i >= 0; i--) v = (v << 8) | bytes[i];
            int shift = 64 - 8 * bytes.Length;
            return shift == 0 ? v : (v << shift) >> shift;
        }

        private object? Recall(long index) => _memo.TryGetValue(index, out var value) ? value : throw Fail($"recalls memo {index}, which was never stored.");

        private Global CheckGlobal(string module, string name)
        {
            string full = module + "." + name;
            if (AllowedGlobals.Contains(full) || (module == "torch" && StorageTypes.ContainsKey(name))) return new Global(module, name);
            if (module == "torch" && name.EndsWith("Storage", StringComparison.Ordinal))
                throw Fail($"uses the storage type '{full}', which is not supported (supported: {string.Join(", ", StorageTypes.Keys.Select(k => "torch." + k))}).");
            throw Fail($"names the global '{full}', which a state dict does not need; refused without running it " +
                "(allowed: collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and the torch.*Storage types).");
        }

        private object? Reduce(object? callable, object? args)
        {
            if (callable is not Global g) throw Fail("calls something that is not an allowed global; refused.");
            var list = args as List<object?>;
            switch (g.FullName)
            {
                case "collections.OrderedDict":
                    return new Dict();
                case "torch._utils._rebuild_parameter":
                    return list is { Count: > 0 } ? list[0] : Opaque.Instance;
                case "torch._utils._rebuild_tensor":
                case "torch._utils._rebuild_tensor_v2":
                {
                    if (list is null || list.Count < 4 || list[0] is not Storage storage || list[1] is not long offset || list[2] is not List<object?> shape)
                        throw Fail($"calls {g.FullName} with arguments that are not (storage, offset, shape, stride, ...).");
                    var dims = new long[shape.Count];
                    double elements = 1;
                    for (int i = 0; i < dims.Length; i++)
                    {
                        if (shape[i] is not long d || d < 0) throw Fail($"has a tensor of storage '{storage.Key}' with a shape that is not a list of sizes.");
                        dims[i] = d;
                        elements *= d;
                    }
                    if (offset < 0 || elements + offset > storage.Elements)
                        throw Fail($"has a tensor of shape [{string.Join(", ", dims)}] (offset {offset}) that needs more than the {storage.Elements:N0} elements of its storage '{storage.Key}'; refused.");
                    return new TensorInfo(storage, dims);
                }
                default:
                    throw Fail($"calls '{g.FullName}', which is not a function; refused.");
            }
        }

        private Storage PersistentStorage(object? pid)
        {
            if (pid is not List<object?> { Count: 5 } t || t[0] is not "storage")
                throw Fail("has a persistent id that is not a torch.save storage reference ('storage', type, key, location, size); refused.");
            if (t[1] is not Global { Module: "torch" } type || !StorageTypes.TryGetValue(type.Name, out int elementSize))
                throw Fail($"has a storage of type '{(t[1] as Global)?.FullName ?? "(not a type)"}', which is not supported.");
            if (t[2] is not string key || t[4] is not long elements || elements < 0)
                throw Fail("has a storage reference without a key or an element count.");
            if (elements > MaxStorageBytes / elementSize)
                throw Fail($"declares a storage '{key}' of {elements:N0} {type.Name} elements ({(double)elements * elementSize:N0} bytes); at most {MaxStorageBytes:N0} bytes per storage are read.");
            var storage = new Storage(type.Name, key, elements, elements * elementSize);
            if (Storages.TryGetValue(key, out var seen))
            {
                if (seen != storage) throw Fail($"declares the storage '{key}' twice with different types or sizes.");
                return seen;
            }
            Storages[key] = storage;
            return storage;
        }

        private void AddPairs(Dict dict, List<object?> items)
        {
            if (items.Count % 2 != 0) throw Fail("has a dict with an odd number of keys and values.");
            for (int i = 0; i < items.Count; i += 2) dict.Items.Add((items[i], items[i + 1]));
        }

        private void Push(object? value) => _stack.Add(value);

        private object? Top() => _stack.Count > 0 && (_marks.Count == 0 || _marks[^1] < _stack.Count) ? _stack[^1] : throw Fail("reads an empty stack.");

        private object? Pop()
        {
            var value = Top();
            _stack.RemoveAt(_stack.Count - 1);
            return value;
        }

        private List<object?> PopN(int n)
        {
            var items = new List<object?>(n);
            for (int i = 0; i < n; i++) items.Insert(0, Pop());
            return items;
        }

        private List<object?> PopMark()
        {
            if (_marks.Count == 0) throw Fail("closes a mark it never opened.");
            int at = _marks[^1];
            _marks.RemoveAt(_marks.Count - 1);
            var items = _stack.GetRange(at, _stack.Count - at);
            _stack.RemoveRange(at, _stack.Count - at);
            return items;
        }
    }
}
