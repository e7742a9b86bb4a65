namespace PixMix.MLNet.TorchSupport;

/// <summary>
/// Stochastic gradient descent with momentum, Nesterov momentum and weight decay (the update rule of PyTorch's
/// <c>torch.optim.SGD</c> with dampening 0, as TorchSharp's SGD applies it) over all parameters at once.
/// </summary>
/// <remarks>
/// <para>
/// Every parameter and its gradient are views into two flat buffers (in the parameter's own layout, contiguous or
/// channels-last), so zeroing the gradients is one operation and a step is five element-wise operations over the whole
/// network, where a per-parameter optimiser issues five per parameter (about 580 for WideResNet-40-4, each a kernel
/// launch on a GPU). This is what PyTorch's multi-tensor ("foreach") SGD achieves on CUDA; TorchSharp 0.107 has no
/// foreach operators. The gradients stay views because autograd accumulates into a gradient that is already defined
/// (in place, as backward runs without grad mode), so they must never be set to null: <see cref="ZeroGrad"/> zeroes
/// the buffer instead.
/// </para>
/// <para>
/// Per element the operations are TorchSharp's: <c>d = g + wd·p</c>; <c>b = d</c> on the first step, then
/// <c>b = m·b + d</c>; <c>d = d + m·b</c> (Nesterov) or <c>d = b</c>; <c>p = p − lr·d</c>.
/// </para>
/// <para>
/// The buffers' layout is fixed when the optimiser is made (channels-last parameters are channels-last views). Code
/// that replaces a parameter's storage (<c>set_</c>, as <see cref="MemoryFormat.Convert"/> does for a checkpoint) must
/// call <see cref="Rebind"/> afterwards so that the parameter is a view of the buffer again.
/// </para>
/// </remarks>
internal sealed class FlatSgd : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _valueViews;
    private readonly Tensor[] _gradViews;
    private readonly Tensor _values;
    private readonly Tensor _grads;
    private Tensor? _momentumBuffer;

    /// <param name="parameters">The parameters, all of one element type and on one device.</param>
    /// <param name="momentum">Momentum factor, 0 for none.</param>
    /// <param name="weightDecay">L2 penalty added to the gradients.</param>
    /// <param name="nesterov">Nesterov momentum (needs a momentum).</param>
    internal FlatSgd(IEnumerable<Parameter> parameters, double momentum, double weightDecay, bool nesterov)
    {
        _parameters = [.. parameters];
        if (_parameters.Length == 0) throw new ArgumentException("FlatSgd needs at least one parameter.", nameof(parameters));
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "must be >= 0");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "must be >= 0");
        if (nesterov && momentum <= 0) throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        Momentum = momentum; WeightDecay = weightDecay; Nesterov = nesterov;

        var first = _parameters[0];
        if (_parameters.Any(p => p.dtype != first.dtype || p.device.type != first.device.type || p.device.index != first.device.index))
            throw new ArgumentException("FlatSgd needs parameters of one element type on one device.", nameof(parameters));
        long total = _parameters.Sum(p => p.numel());
        _values = empty([total], first.dtype, first.device);
        _grads = zeros([total], first.dtype, first.device);
        _valueViews = new Tensor[_parameters.Length];
        _gradViews = new Tensor[_parameters.Length];
        long offset = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            _valueViews[i] = ViewLike(_values, offset, p);
            _gradViews[i] = SliceOf(_grads, i);
            offset += p.numel();
        }
        // Copies the values into the buffer and makes the parameters and gradients its views.
        Rebind();
    }

    internal double Momentum { get; }
    internal double WeightDecay { get; }
    internal bool Nesterov { get; }

    /// <summary>All gradients, as one flat tensor (for the loss scaler's unscale and check).</summary>
    internal Tensor Gradients => _grads;

    /// <summary>The parameters, in the order of their slices in the buffers.</summary>
    internal IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Whether momentum has been accumulated (after the first step, or restored from a checkpoint).</summary>
    internal bool HasMomentum => _momentumBuffer is not null;

    /// <summary>
    /// Makes every parameter a view of the value buffer again and its gradient a view of the gradient buffer, copying
    /// the values of a parameter whose storage was replaced since (its layout may differ: the values are copied element
    /// by element, and the parameter takes the buffer's layout, fixed when this optimiser was made, back). A parameter
    /// that still is its view is left as it is: LibTorch's copy_ returns at once when source and destination are the same data.
    /// </summary>
    internal void Rebind()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            _valueViews[i].copy_(p);
            p.set_(_valueViews[i]);
            p.grad = _gradViews[i];
        }
    }

    /// <summary>Sets every gradient to zero (one operation; the gradients stay views of the buffer).</summary>
    internal void ZeroGrad() => _grads.zero_();

    /// <summary>One update of all parameters with learning rate <paramref name="learningRate"/>.</summary>
    internal void Step(double learningRate)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var d = WeightDecay != 0 ? _grads.add(_values, alpha: WeightDecay) : _grads;
        if (Momentum != 0)
        {
            if (_momentumBuffer is null)
                _momentumBuffer = d.clone().DetachFromDisposeScope();
            else
                _momentumBuffer.mul_(Momentum).add_(d);
            d = Nesterov ? d.add(_momentumBuffer, alpha: Momentum) : _momentumBuffer;
        }
        _values.add_(d, alpha: -learningRate);
    }

    /// <summary>The momentum of parameter <paramref name="index"/> (a view in the parameter's layout; null before the first step).</summary>
    internal Tensor? MomentumOf(int index) => _momentumBuffer is null ? null : SliceOf(_momentumBuffer, index);

    /// <summary>
    /// Writes the momentum for a training checkpoint: whether there is any, the element count, then one flat tensor of
    /// every parameter's momentum in parameter order, each in its logical (contiguous) order, so the state does not
    /// depend on the layout the run trained in (a channels-last run may be resumed contiguous and the other way round).
    /// </summary>
    internal void SaveState(BinaryWriter writer)
    {
        writer.Write(_momentumBuffer is not null);
        writer.Write(_values.numel());
        if (_momentumBuffer is null) return;
        using var scope = NewDisposeScope();
        cat([.. Enumerable.Range(0, _parameters.Length).Select(i => SliceOf(_momentumBuffer, i).reshape(-1))]).Save(writer);
    }

    /// <summary>Reads what <see cref="SaveState"/> wrote; <paramref name="source"/> names it in errors.</summary>
    internal void LoadState(BinaryReader reader, string source)
    {
        bool has = reader.ReadBoolean();
        long count = reader.ReadInt64();
        if (count != _values.numel())
            throw new InvalidDataException($"'{source}': the optimiser state holds {count} values; this network has {_values.numel()} parameters.");
        if (!has) { SetMomentum(null); return; }
        using var logical = empty([count], _values.dtype);
        logical.Load(reader);
        long offset = 0;
        var perParameter = new Tensor?[_parameters.Length];
        try
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                long n = _parameters[i].numel();
                using var slice = logical.narrow(0, offset, n);
                perParameter[i] = slice.view(_parameters[i].shape);
                offset += n;
            }
            LoadPerParameterMomentum(perParameter, source);
        }
        finally
        {
            foreach (var t in perParameter) t?.Dispose();
        }
    }

    /// <summary>
    /// Takes the momentum of a per-parameter optimiser (one tensor or null per parameter, in <see cref="Parameters"/>
    /// order): all null means no momentum yet.
    /// </summary>
    internal void LoadPerParameterMomentum(IReadOnlyList<Tensor?> buffers, string source)
    {
        if (buffers.Count != _parameters.Length)
            throw new InvalidDataException($"'{source}': the optimiser state has {buffers.Count} parameters; this network has {_parameters.Length}.");
        if (buffers.All(b => b is null)) { SetMomentum(null); return; }
        var flat = zeros([_values.numel()], _values.dtype, _values.device);
        using var noGrad = no_grad();
        for (int i = 0; i < buffers.Count; i++)
        {
            var b = buffers[i] ?? throw new InvalidDataException($"'{source}': the optimiser state has momentum for some parameters but not for parameter {i}.");
            if (!b.shape.SequenceEqual(_parameters[i].shape))
                throw new InvalidDataException($"'{source}': the momentum of parameter {i} has shape [{string.Join(", ", b.shape)}]; the parameter has [{string.Join(", ", _parameters[i].shape)}].");
            using var view = SliceOf(flat, i);
            view.copy_(b);
        }
        SetMomentum(flat);
    }

    public void Dispose()
    {
        // The parameters keep their values in storage of their own (in their layout); the gradients are released.
        using (no_grad())
        {
            foreach (var p in _parameters)
            {
                if (p.IsInvalid) continue;
                p.grad = null;
                using var own = p.clone();
                p.set_(own);
            }
        }
        foreach (var t in _valueViews) t.Dispose();
        foreach (var t in _gradViews) t.Dispose();
        _values.Dispose(); _grads.Dispose(); _momentumBuffer?.Dispose();
    }

    private void SetMomentum(Tensor? flat)
    {
        _momentumBuffer?.Dispose();
        _momentumBuffer = flat;
    }

    /// <summary>A view of <paramref name="flat"/> from <paramref name="offset"/> with the sizes and layout of <paramref name="like"/> (its element count).</summary>
    private static Tensor ViewLike(Tensor flat, long offset, Tensor like)
    {
        using var slice = flat.narrow(0, offset, like.numel());
        if (like.dim() == 4 && !like.is_contiguous() && MemoryFormat.IsChannelsLast(like))
        {
            var s = like.shape;
            using var nhwc = slice.view(s[0], s[2], s[3], s[1]);
            return nhwc.permute(0, 3, 1, 2);
        }
        return slice.view(like.shape);
    }

    /// <summary>Parameter <paramref name="index"/>'s slice of a buffer shaped like the value buffer, in the layout of its value view.</summary>
    private Tensor SliceOf(Tensor flat, int index)
    {
        var view = _valueViews[index];
        return flat.as_strided(view.shape, view.stride(), view.storage_offset());
    }
}
