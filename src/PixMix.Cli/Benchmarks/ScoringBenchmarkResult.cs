namespace PixMix.Cli.Benchmarks;

/// <summary>The result of <see cref="ScoringBenchmark.Run"/>: the setting shared by every network, and each network's measurements.</summary>
/// <param name="Benchmark">"score".</param>
/// <param name="Device">The CPU (model name and logical cores).</param>
/// <param name="Threads">Intra-op threads of both engines (TorchSharp's <c>set_num_threads</c>, ONNX Runtime's <c>IntraOpNumThreads</c>).</param>
/// <param name="BatchSize">Images per scored batch.</param>
/// <param name="ImageSize">Image width and height.</param>
/// <param name="Warmup">Untimed batches per engine before the timed ones.</param>
/// <param name="Repetitions">Timed batches per engine (the engines alternate).</param>
/// <param name="Seed">Seed of the networks' weights and BatchNorm statistics.</param>
/// <param name="Data">The images scored.</param>
/// <param name="TorchSharpVersion">TorchSharp's version.</param>
/// <param name="OnnxRuntimeVersion">ONNX Runtime's native version.</param>
/// <param name="OnnxRuntimeSession">The session's settings.</param>
/// <param name="Models">One entry per network.</param>
public sealed record ScoringBenchmarkResult(string Benchmark, string Device, int Threads, int BatchSize, int ImageSize, int Warmup, int Repetitions,
    int Seed, string Data, string TorchSharpVersion, string OnnxRuntimeVersion, string OnnxRuntimeSession, IReadOnlyList<ScoringModelResult> Models);
