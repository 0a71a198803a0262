namespace Graphport.Operators;

/// <summary>
/// Eager kernels of adaptive_max_pool3d and max_unpool2d/3d (Aten.PoolingIndices.cs), in double over dense copies:
/// both are gathers or scatters of single elements, so the precision is the input's own.
/// </summary>
internal static class PoolingIndexKernels
{
    /// <summary>
    /// The maximum over each adaptive window of every (D, H, W) volume and its index flat in that volume: window o
    /// covers [⌊o·in/out⌋, ⌈(o+1)·in/out⌉) on each axis; a NaN is the maximum, as in ATen, and ties keep the first.
    /// </summary>
    public static Tensor[] AdaptiveMaxPool3d(Tensor input, long[] size)
    {
        var x = Eager.Dense<double>(input);
        var sizes = input.Sizes;
        long d = sizes[^3], h = sizes[^2], w = sizes[^1];
        long od = size[0], oh = size[1], ow = size[2];
        long planes = sizes[..^3].Aggregate(1L, (p, s) => p * s);
        long outVolume = od * oh * ow, inVolume = d * h * w;
        var values = new double[planes * outVolume];
        var indices = new long[planes * outVolume];
        static long Start(long o, long input, long output) => o * input / output;
        static long End(long o, long input, long output) => ((o + 1) * input + output - 1) / output;
        for (long p = 0; p < planes; p++)
            for (long i = 0; i < od; i++)
                for (long j = 0; j < oh; j++)
                    for (long k = 0; k < ow; k++)
                    {
                        long best = Start(i, d, od) * h * w + Start(j, h, oh) * w + Start(k, w, ow);
                        double max = double.NegativeInfinity;
                        for (long z = Start(i, d, od); z < End(i, d, od); z++)
                            for (long y = Start(j, h, oh); y < End(j, h, oh); y++)
                                for (long c = Start(k, w, ow); c < End(k, w, ow); c++)
                                {
                                    long at = (z * h + y) * w + c;
                                    double v = x[p * inVolume + at];
                                    if (v > max || double.IsNaN(v))
                                    {
                                        max = v;
                                        best = at;
                                    }
                                }
                        long o = p * outVolume + (i * oh + j) * ow + k;
                        values[o] = max;
                        indices[o] = best;
                    }
        long[] outShape = [.. sizes[..^3], od, oh, ow];
        return [Eager.Wrap(values, outShape, input.DType), Eager.Wrap(indices, outShape, DType.Int64)];
    }

    /// <summary>
    /// Zeros of the output size with every pooled value written where its index points within its own plane (the
    /// last write wins when two indices agree, as on ATen's CPU); an index outside the plane fails naming it.
    /// </summary>
    public static Tensor MaxUnpool(Tensor self, Tensor indices, long[] outputSize)
    {
        var values = Eager.Dense<double>(self);
        var at = Eager.Dense<long>(indices);
        int rank = outputSize.Length;
        var sizes = self.Sizes;
        long planes = sizes[..^rank].Aggregate(1L, (p, s) => p * s);
        long inPlane = sizes[^rank..].Aggregate(1L, (p, s) => p * s);
        long outPlane = outputSize.Aggregate(1L, (p, s) => p * s);
        var output = new double[planes * outPlane];
        for (long p = 0; p < planes; p++)
            for (long i = 0; i < inPlane; i++)
            {
                long index = at[p * inPlane + i];
                if (index < 0 || index >= outPlane)
                    throw new IndexValueException($"Found an invalid max index: {index} (output volumes are of size {string.Join("x", outputSize)})");
                output[p * outPlane + index] = values[p * inPlane + i];
            }
        return Eager.Wrap(output, [.. sizes[..^rank], .. outputSize], self.DType);
    }

    /// <summary>
    /// fractional_max_pool2d/3d: per (sample, channel) plane, each axis's window starts from its uniform sample (in the
    /// input's precision, as ATen computes them), the maximum over each window and its index flat in the plane.
    /// </summary>
    public static Tensor[] FractionalMaxPool(Tensor input, long[] kernel, long[] output, Tensor samples)
    {
        int rank = kernel.Length;
        var x = Eager.Dense<double>(input);
        var u = Eager.Dense<double>(samples);
        var sizes = input.Sizes;
        var inputs = sizes[^rank..];
        long planes = sizes[..^rank].Aggregate(1L, (p, s) => p * s);
        long inVolume = inputs.Aggregate(1L, (p, s) => p * s), outVolume = output.Aggregate(1L, (p, s) => p * s);
        bool single = input.DType != DType.Float64;
        var values = new double[planes * outVolume];
        var indices = new long[planes * outVolume];
        var starts = new long[rank][];
        var tap = new long[rank];
        for (long p = 0; p < planes; p++)
        {
            for (int axis = 0; axis < rank; axis++)
                starts[axis] = FractionalStarts(u[p * rank + Aten.FractionalSampleOf(rank, axis)], inputs[axis], output[axis], kernel[axis], single);
            for (long o = 0; o < outVolume; o++)
            {
                // The output position's coordinates, last axis fastest.
                long rest = o, first = 0;
                var at = new long[rank];
                for (int axis = rank - 1; axis >= 0; axis--)
                {
                    at[axis] = starts[axis][rest % output[axis]];
                    rest /= output[axis];
                }
                for (int axis = 0; axis < rank; axis++) first = first * inputs[axis] + at[axis];
                double max = double.NegativeInfinity;
                long best = first;
                long taps = kernel.Aggregate(1L, (a, b) => a * b);
                for (long k = 0; k < taps; k++)
                {
                    long r = k, flat = 0;
                    for (int axis = rank - 1; axis >= 0; axis--)
                    {
                        tap[axis] = r % kernel[axis];
                        r /= kernel[axis];
                    }
                    for (int axis = 0; axis < rank; axis++) flat = flat * inputs[axis] + at[axis] + tap[axis];
                    double v = x[p * inVolume + flat];
                    if (v > max || double.IsNaN(v))
                    {
                        max = v;
                        best = flat;
                    }
                }
                values[p * outVolume + o] = max;
                indices[p * outVolume + o] = best;
            }
        }
        long[] outShape = [.. sizes[..^rank], .. output];
        return [Eager.Wrap(values, outShape, input.DType), Eager.Wrap(indices, outShape, DType.Int64)];
    }

    // ATen's generate_intervals, in float for float32 input (truncation boundaries depend on the precision).
    private static long[] FractionalStarts(double sample, long input, long output, long kernel, bool single)
    {
        var starts = new long[output];
        if (output > 1)
        {
            if (single)
            {
                float alpha = (float)(input - kernel) / (output - 1), u = (float)sample;
                for (long i = 0; i < output - 1; i++) starts[i] = (long)(int)((i + u) * alpha) - (int)(u * alpha);
            }
            else
            {
                double alpha = (double)(input - kernel) / (output - 1);
                for (long i = 0; i < output - 1; i++) starts[i] = (long)(int)((i + sample) * alpha) - (int)(sample * alpha);
            }
        }
        starts[output - 1] = input - kernel;
        return starts;
    }
}
