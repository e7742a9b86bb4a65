using PixMix.MLNet.Onnx;

namespace PixMix.Cli.Commands;

/// <summary>pixmix export-onnx: a model file's image classifier as an ONNX model (opset 17) with its input contract.</summary>
internal static class ExportOnnxCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = CliOptions.RequiredPath("--model", "The model file (from 'train' or 'import-pytorch').");
        var output = CliOptions.RequiredPath("--output", "The ONNX file to write.");
        var json = CliOptions.Json();
        var cmd = new Command("export-onnx", "Export a model file's image classifier as ONNX (opset 17, any batch size): RGB input resized to the model's size, values byte / 255; the crop and normalization are in the graph; outputs logits, probabilities and predicted_label; the class names and recipe in its metadata.")
        {
            model, output, json,
        };
        cmd.SetAction(parse =>
        {
            string path = CliOptions.ExistingFile("--model", parse.GetValue(model)!);
            string outPath = CliOptions.OutputFile("--output", parse.GetValue(output)!, path);
            var context = new MLContext(seed: 1);
            var loaded = context.Model.LoadPixMixModel(path, out _);
            OnnxImageContract contract;
            try
            {
                try { context.Model.ExportOnnx(loaded, outPath); }
                catch (ArgumentException e) { throw new InvalidDataException($"Model file '{path}': {e.Message}", e); }
                contract = OnnxImageContract.FromFile(outPath);
            }
            finally
            {
                foreach (var part in ChainSteps.Flatten(loaded)) (part as IDisposable)?.Dispose();
            }
            var full = Path.GetFullPath(outPath);
            CliOutput.Result(stdout, parse.GetValue(json), new
            {
                command = "export-onnx", model = Path.GetFullPath(path), output = full, architecture = contract.Architecture,
                inputSize = contract.InputSize, mean = contract.Mean, std = contract.Std, classNames = contract.ClassNames,
                bytes = new FileInfo(full).Length,
            }, $"Exported {contract.Architecture} ({contract.ClassNames?.Count} classes, input 3x{contract.InputSize}x{contract.InputSize}) from {path} to {full}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
