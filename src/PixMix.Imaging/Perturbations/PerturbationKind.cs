namespace PixMix.Imaging.Perturbations;

/// <summary>
/// The perturbations of the CIFAR-10-P / ImageNet-P consistency benchmark (Hendrycks and Dietterich, 2019): the ten of
/// the benchmark and the four held out for validation (speckle noise, Gaussian blur, snow, shear).
/// </summary>
public enum PerturbationKind
{
    /// <summary>gaussian_noise: 31 frames, frame 0 clean, then independent N(0, 0.02) noise of the clean image.</summary>
    GaussianNoise,
    /// <summary>shot_noise: 31 frames, frame 0 clean, then independent Poisson(700 x) / 700 of the clean image.</summary>
    ShotNoise,
    /// <summary>motion_blur: 21 frames of a motion blur (radius 6, sigma 1.8) turning from -180 to 0 degrees.</summary>
    MotionBlur,
    /// <summary>zoom_blur: 31 frames, the running mean of zooms 1, 1.004, ..., 1.12.</summary>
    ZoomBlur,
    /// <summary>snow (validation): 31 frames of one snow layer blurred along an angle turning from -150 to -30 degrees.</summary>
    Snow,
    /// <summary>spatter: 31 frames of one liquid layer smeared down the image a little more each frame.</summary>
    Spatter,
    /// <summary>brightness: 31 frames of an HSV value shift from -0.225 to 0.225.</summary>
    Brightness,
    /// <summary>translate: 16 frames of a horizontal shift from -7 to 8 pixels.</summary>
    Translate,
    /// <summary>rotate: 31 frames of a rotation from -15 to 15 degrees.</summary>
    Rotate,
    /// <summary>tilt: 31 frames of a perspective tilt from -11.25 to 11.25 degrees about both axes.</summary>
    Tilt,
    /// <summary>scale: 31 frames of a zoom from 0.7 to 1.3.</summary>
    Scale,
    /// <summary>speckle_noise (validation): 31 frames, frame 0 clean, then x + x N(0, 0.05) of the clean image.</summary>
    SpeckleNoise,
    /// <summary>gaussian_blur (validation): 31 frames of a Gaussian blur of sigma 0.3 to 0.75.</summary>
    GaussianBlur,
    /// <summary>shear (validation): 31 frames of a shear from -15 to 15 degrees.</summary>
    Shear,
}
