namespace PixMix.MLNet.Onnx;

/// <summary>Pixel layout of an ONNX image classifier's input tensor.</summary>
public enum OnnxInputLayout
{
    /// <summary>[batch, channels, height, width], as PyTorch and this project export.</summary>
    Nchw,

    /// <summary>[batch, height, width, channels], as Keras and TensorFlow export.</summary>
    Nhwc,
}
