namespace PixMix.MLNet.Training;

/// <summary>Arithmetic precision of the training step's forward pass (see <see cref="ImageClassifierOptions.Precision"/>).</summary>
public enum TrainingPrecision
{
    /// <summary>Everything in float32.</summary>
    Fp32,
    /// <summary>
    /// LibTorch autocast to bfloat16: the forward pass runs the operators on autocast's lower-precision list (convolutions,
    /// matrix products) in bfloat16 and keeps the rest (batch norm statistics, softmax, the loss) in float32; weights,
    /// gradients and the optimiser stay float32. No loss scaling (bfloat16 has float32's exponent range). CPU and CUDA.
    /// </summary>
    Bf16,
    /// <summary>
    /// LibTorch autocast to float16 with dynamic loss scaling (the gradient-scaler algorithm: scale 65536, halved on a step
    /// whose gradients are not finite, which is then skipped, doubled after 2000 good steps). CUDA only.
    /// </summary>
    Fp16,
}
