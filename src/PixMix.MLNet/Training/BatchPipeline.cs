using System.Threading.Channels;

namespace PixMix.MLNet.Training;

/// <summary>
/// The training data path. For each epoch it cursors the augmented view (<see cref="AugmentedDataView"/>, what
/// <c>mlContext.Data.Augment(data, epoch)</c> gives)
/// with <c>readers</c> cursors in parallel, reader k reading (and so augmenting) the rows whose index is k modulo the
/// reader count, into a window of rows; windows are shuffled by a permutation derived from (seed, epoch, window) and
/// cut into batches of pooled buffers handed to the training loop through a bounded channel. Every row lands in a
/// slot fixed by its index, so the batches are the same whatever the thread timing. Two windows are in flight: one
/// filled while the other is cut into batches.
/// </summary>
internal sealed class BatchPipeline : IDisposable
{
    private readonly IDataView _data;
    private readonly DataViewSchema.Column _features;
    private readonly DataViewSchema.Column _label;
    private readonly int _imageSize;
    private readonly int _classes;
    private readonly long _rows;
    private readonly int _batchSize;
    private readonly int _window;
    private readonly int _readers;
    private readonly bool _shuffle;
    private readonly int _seed;
    private readonly int _firstEpoch;
    private readonly int _endEpoch;
    private readonly Channel<RowWindow> _freeWindows;
    private readonly Channel<RowWindow> _filledWindows;
    private readonly Channel<TrainingBatch> _freeBatches;
    private readonly Channel<TrainingBatch> _batches;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _filler;
    private readonly Task _cutter;

    internal BatchPipeline(IDataView data, TrainingPlan plan, int firstEpoch, int endEpoch, int readers)
    {
        var options = plan.Options;
        int imageSize = plan.Spec.ImageSize;
        long rows = plan.Rows;
        _data = data; _features = plan.Features; _label = plan.Label;
        _imageSize = imageSize; _classes = plan.Classes.Count; _rows = rows;
        _batchSize = options.BatchSize;
        // A window is one float array: at most Array.MaxLength values.
        _window = (int)Math.Min(Math.Min(options.ShuffleWindow, rows), Array.MaxLength / imageSize);
        _readers = readers;
        _shuffle = options.Shuffle;
        _seed = options.Seed;
        _firstEpoch = firstEpoch; _endEpoch = endEpoch;

        _freeWindows = Channel.CreateBounded<RowWindow>(2);
        _filledWindows = Channel.CreateBounded<RowWindow>(2);
        for (int i = 0; i < 2; i++) _freeWindows.Writer.TryWrite(new RowWindow(_window, imageSize));
        int inFlight = options.PrefetchBatches + 2;
        _freeBatches = Channel.CreateBounded<TrainingBatch>(inFlight);
        for (int i = 0; i < inFlight; i++) _freeBatches.Writer.TryWrite(new TrainingBatch(_batchSize, imageSize));
        _batches = Channel.CreateBounded<TrainingBatch>(options.PrefetchBatches);

        var token = _stop.Token;
        _filler = Task.Run(() => Run(_filledWindows.Writer, () => Fill(token)), token);
        _cutter = Task.Run(() => Run(_batches.Writer, () => Cut(token)), token);
    }

    /// <summary>Batches per epoch: all rows in batches of the batch size; a last batch of a single row is dropped (BatchNorm needs two).</summary>
    internal static long BatchesPerEpoch(long rows, int batchSize) => rows / batchSize + (rows % batchSize >= 2 ? 1 : 0);

    /// <summary>The batches, in training order.</summary>
    internal ChannelReader<TrainingBatch> Batches => _batches.Reader;

    /// <summary>The next batch, which must be of <paramref name="epoch"/>; a reader's failure is rethrown as it was.</summary>
    internal TrainingBatch Next(int epoch, CancellationToken token)
    {
        TrainingBatch batch;
        try
        {
            var pending = Batches.ReadAsync(token);
            batch = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        catch (ChannelClosedException e)
        {
            throw new InvalidOperationException("The training data pipeline ended before the epoch did.", e);
        }
        if (batch.Epoch != epoch) throw new InvalidOperationException($"The data pipeline delivered epoch {batch.Epoch} while epoch {epoch} was expected.");
        return batch;
    }

    /// <summary>Gives a batch's buffers back for reuse.</summary>
    internal void Return(TrainingBatch batch) => _freeBatches.Writer.TryWrite(batch);

    private static async Task Run<T>(ChannelWriter<T> output, Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
        }
    }

    private async Task Fill(CancellationToken token)
    {
        for (int epoch = _firstEpoch; epoch < _endEpoch; epoch++)
        {
            var view = new AugmentedDataView(_data, epoch);
            var readers = new RowReader[_readers];
            try
            {
                for (int k = 0; k < _readers; k++) readers[k] = new RowReader(this, view, k);
                long window = 0;
                for (long start = 0; start < _rows; start += _window, window++)
                {
                    var buffer = await _freeWindows.Reader.ReadAsync(token).ConfigureAwait(false);
                    buffer.Count = (int)Math.Min(_window, _rows - start);
                    buffer.Epoch = epoch;
                    buffer.Index = window;
                    buffer.EndOfEpoch = start + buffer.Count >= _rows;
                    long first = start;
                    if (_readers == 1) readers[0].Fill(buffer, first);
                    else
                    {
                        try
                        {
                            Parallel.For(0, _readers, new ParallelOptions { MaxDegreeOfParallelism = _readers, CancellationToken = token },
                                k => readers[k].Fill(buffer, first));
                        }
                        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                        {
                            // Report the first reader's error as itself, as a single reader would.
                            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                        }
                    }
                    await _filledWindows.Writer.WriteAsync(buffer, token).ConfigureAwait(false);
                }
            }
            finally
            {
                foreach (var reader in readers) reader?.Dispose();
            }
        }
    }

    private async Task Cut(CancellationToken token)
    {
        var order = new int[_window];
        TrainingBatch? batch = null;
        long batchesLeft = 0;
        int epoch = -1;
        await foreach (var window in _filledWindows.Reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (window.Epoch != epoch) { epoch = window.Epoch; batchesLeft = BatchesPerEpoch(_rows, _batchSize); }
            var permutation = order.AsSpan(0, window.Count);
            if (_shuffle) ShuffleOrder.Permute(permutation, _seed, window.Epoch, window.Index);
            else for (int i = 0; i < permutation.Length; i++) permutation[i] = i;
            for (int i = 0; i < window.Count; i++)
            {
                if (batchesLeft == 0) break; // the epoch's last single row is dropped
                if (batch is null)
                {
                    batch = await _freeBatches.Reader.ReadAsync(token).ConfigureAwait(false);
                    batch.Count = 0; batch.Epoch = window.Epoch; batch.EndOfEpoch = false;
                }
                int row = order[i];
                window.Images.AsSpan(row * _imageSize, _imageSize).CopyTo(batch.Images.AsSpan(batch.Count * _imageSize, _imageSize));
                batch.Labels[batch.Count] = window.Labels[row];
                batch.Count++;
                bool lastRowsOfEpoch = window.EndOfEpoch && i == window.Count - 1;
                if (batch.Count == _batchSize || lastRowsOfEpoch)
                {
                    if (batch.Count >= 2 || batch.Count == _batchSize)
                    {
                        batchesLeft--;
                        batch.EndOfEpoch = batchesLeft == 0;
                        await _batches.Writer.WriteAsync(batch, token).ConfigureAwait(false);
                    }
                    else Return(batch);
                    batch = null;
                }
            }
            await _freeWindows.Writer.WriteAsync(window, token).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the pipeline and waits for its tasks.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        // Drain so that blocked writers see the cancellation promptly.
        try { Task.WaitAll([_filler, _cutter], TimeSpan.FromSeconds(30)); }
        catch (AggregateException) { }
        _stop.Dispose();
    }

    private sealed class RowWindow(int rows, int imageSize)
    {
        internal float[] Images { get; } = new float[(long)rows * imageSize];
        internal long[] Labels { get; } = new long[rows];
        internal int Count { get; set; }
        internal int Epoch { get; set; }
        internal long Index { get; set; }
        internal bool EndOfEpoch { get; set; }
    }

    /// <summary>One cursor over the epoch's rows, reading the rows whose index is its number modulo the reader count.</summary>
    private sealed class RowReader : IDisposable
    {
        private readonly BatchPipeline _owner;
        private readonly int _number;
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly Func<ulong> _label;
        private VBuffer<float> _row;

        internal RowReader(BatchPipeline owner, IDataView view, int number)
        {
            _owner = owner; _number = number;
            _cursor = view.GetRowCursor([view.Schema[owner._features.Index], view.Schema[owner._label.Index]]);
            _features = _cursor.GetGetter<VBuffer<float>>(view.Schema[owner._features.Index]);
            _label = FeatureColumn.KeyReader(_cursor, view.Schema[owner._label.Index]);
        }

        internal void Fill(RowWindow window, long start)
        {
            int readers = _owner._readers;
            long first = start + ((_number - start % readers) % readers + readers) % readers;
            for (long index = first; index < start + window.Count; index += readers)
            {
                while (_cursor.Position < index)
                {
                    if (!_cursor.MoveNext())
                        throw new InvalidOperationException($"The training data ended at row {_cursor.Position + 1}, but it was counted with {_owner._rows} rows.");
                }
                int slot = (int)(index - start);
                _features(ref _row);
                FeatureColumn.CopyTo(_row, window.Images.AsSpan(slot * _owner._imageSize, _owner._imageSize), _owner._features.Name);
                ulong key = _label();
                if (key == 0 || key > (ulong)_owner._classes)
                    throw new InvalidDataException($"Row {index}: label column '{_owner._label.Name}' has a missing or out-of-range key value ({key}); every training row needs a label.");
                window.Labels[slot] = (long)key - 1;
            }
        }

        public void Dispose() => _cursor.Dispose();
    }
}
