using System.Numerics.Tensors;

namespace Graphport.Cpu;

public static partial class Pointwise
{
    /// <summary>
    /// output = x + x·s[image, channel] over [N, C, H, W] in one pass, each plane multiplied and added while it is in
    /// the core's cache; each element rounds as the mul and add ops round it. <paramref name="scale"/> holds N·C
    /// numbers, or C shared by every image.
    /// </summary>
    public static void ChannelScaledResidual(float[] x, long[] shape, float[] scale, float[] output)
    {
        const string k = "Pointwise.ChannelScaledResidual";
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(output);
        if (shape.Length != 4)
            throw new ArgumentException($"{k}: x has shape {ShapeMath.Format(shape)}; expected [N, C, H, W]", nameof(shape));
        long planes = shape[0] * shape[1], plane = shape[2] * shape[3];
        ShapeMath.CheckLength(x.Length, planes * plane, k, nameof(x));
        ShapeMath.CheckLength(output.Length, planes * plane, k, nameof(output));
        if (scale.Length != planes && scale.Length != shape[1])
            throw new ArgumentException($"{k}: {scale.Length} scales; expected one per image and channel ({planes}) or per channel ({shape[1]})", nameof(scale));
        CpuParallel.For(planes, 2.0 * plane, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                var source = x.AsSpan((int)(p * plane), (int)plane);
                var target = output.AsSpan((int)(p * plane), (int)plane);
                TensorPrimitives.Multiply(source, scale[scale.Length == planes ? p : p % shape[1]], target);
                TensorPrimitives.Add(source, target, target);
            }
        });
    }
}
