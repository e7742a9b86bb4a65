namespace PixMix.Imaging.Fractals;

/// <summary>The families of pictures the fractal generator draws.</summary>
public enum FractalKind
{
    /// <summary>A random iterated function system (2-5 contractive affine maps) rendered by the chaos game with log-density tone mapping.</summary>
    IteratedFunctionSystem,
    /// <summary>A Julia set z -> z^2 + c, c near the Mandelbrot boundary, with smooth escape-time colouring.</summary>
    Julia,
    /// <summary>A zoom into the Mandelbrot set's boundary with smooth escape-time colouring.</summary>
    Mandelbrot,
}
