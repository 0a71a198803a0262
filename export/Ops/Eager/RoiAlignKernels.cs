namespace Graphport.Operators;

/// <summary>
/// torchvision::roi_align and roi_pool (Aten.Detection.cs): each region of interest cut into pooled_height ×
/// pooled_width bins. roi_align averages bilinear samples on a regular grid in each bin (sampling_ratio per axis, or
/// ⌈roi size / bins⌉ when it is 0 or less), samples outside the feature map counting as zeros; roi_pool takes the
/// maximum of the pixels each bin covers (rounded region corners, 0 for an empty bin) and its flat position; both as
/// torchvision's CPU kernels compute them.
/// </summary>
internal static class RoiAlignKernels
{
    public static Tensor RoiAlign(Tensor input, Tensor rois, double spatialScale, long pooledHeight, long pooledWidth, long samplingRatio, bool aligned)
    {
        var x = Eager.Dense<double>(input);
        var r = Eager.Dense<double>(rois);
        long channels = input.Sizes[1], height = input.Sizes[2], width = input.Sizes[3], batches = input.Sizes[0];
        long count = rois.Sizes[0];
        var output = new double[count * channels * pooledHeight * pooledWidth];
        double offset = aligned ? 0.5 : 0;
        for (long k = 0; k < count; k++)
        {
            long batch = (long)r[k * 5];
            if (batch < 0 || batch >= batches)
                throw new IndexValueException($"roi_align: region {k} names image {batch}, but the batch holds {batches} image(s) (indices 0 to {batches - 1}).");
            double startW = r[k * 5 + 1] * spatialScale - offset, startH = r[k * 5 + 2] * spatialScale - offset;
            double roiWidth = r[k * 5 + 3] * spatialScale - offset - startW, roiHeight = r[k * 5 + 4] * spatialScale - offset - startH;
            // Unaligned regions are at least one pixel, as in torchvision's legacy behaviour.
            if (!aligned)
            {
                roiWidth = Math.Max(roiWidth, 1);
                roiHeight = Math.Max(roiHeight, 1);
            }
            double binH = roiHeight / pooledHeight, binW = roiWidth / pooledWidth;
            long gridH = samplingRatio > 0 ? samplingRatio : (long)Math.Ceiling(roiHeight / pooledHeight);
            long gridW = samplingRatio > 0 ? samplingRatio : (long)Math.Ceiling(roiWidth / pooledWidth);
            double samples = Math.Max(gridH * gridW, 1);
            for (long c = 0; c < channels; c++)
            {
                long plane = (batch * channels + c) * height * width;
                for (long ph = 0; ph < pooledHeight; ph++)
                    for (long pw = 0; pw < pooledWidth; pw++)
                    {
                        double sum = 0;
                        for (long iy = 0; iy < gridH; iy++)
                        {
                            double y = startH + ph * binH + (iy + 0.5) * binH / gridH;
                            for (long ix = 0; ix < gridW; ix++)
                            {
                                double xx = startW + pw * binW + (ix + 0.5) * binW / gridW;
                                sum += Bilinear(x, plane, height, width, y, xx);
                            }
                        }
                        output[((k * channels + c) * pooledHeight + ph) * pooledWidth + pw] = sum / samples;
                    }
            }
        }
        return Eager.Wrap(output, [count, channels, pooledHeight, pooledWidth], input.DType);
    }

    public static Tensor[] RoiPool(Tensor input, Tensor rois, double spatialScale, long pooledHeight, long pooledWidth)
    {
        var x = Eager.Dense<double>(input);
        var r = Eager.Dense<double>(rois);
        long channels = input.Sizes[1], height = input.Sizes[2], width = input.Sizes[3], batches = input.Sizes[0];
        long count = rois.Sizes[0];
        var output = new double[count * channels * pooledHeight * pooledWidth];
        var argmax = new long[output.Length];
        static long Round(double v) => (long)Math.Round(v, MidpointRounding.AwayFromZero);
        for (long k = 0; k < count; k++)
        {
            long batch = (long)r[k * 5];
            if (batch < 0 || batch >= batches)
                throw new IndexValueException($"roi_pool: region {k} names image {batch}, but the batch holds {batches} image(s) (indices 0 to {batches - 1}).");
            long startW = Round(r[k * 5 + 1] * spatialScale), startH = Round(r[k * 5 + 2] * spatialScale);
            long endW = Round(r[k * 5 + 3] * spatialScale), endH = Round(r[k * 5 + 4] * spatialScale);
            double binH = (double)Math.Max(endH - startH + 1, 1) / pooledHeight, binW = (double)Math.Max(endW - startW + 1, 1) / pooledWidth;
            for (long ph = 0; ph < pooledHeight; ph++)
                for (long pw = 0; pw < pooledWidth; pw++)
                {
                    long h0 = Math.Clamp((long)Math.Floor(ph * binH) + startH, 0, height), h1 = Math.Clamp((long)Math.Ceiling((ph + 1) * binH) + startH, 0, height);
                    long w0 = Math.Clamp((long)Math.Floor(pw * binW) + startW, 0, width), w1 = Math.Clamp((long)Math.Ceiling((pw + 1) * binW) + startW, 0, width);
                    bool empty = h1 <= h0 || w1 <= w0;
                    for (long c = 0; c < channels; c++)
                    {
                        long plane = (batch * channels + c) * height * width;
                        double max = empty ? 0 : double.MinValue;
                        long at = -1;
                        for (long h = h0; h < h1; h++)
                            for (long w = w0; w < w1; w++)
                                if (x[plane + h * width + w] > max)
                                {
                                    max = x[plane + h * width + w];
                                    at = h * width + w;
                                }
                        long o = ((k * channels + c) * pooledHeight + ph) * pooledWidth + pw;
                        output[o] = max;
                        argmax[o] = at;
                    }
                }
        }
        long[] shape = [count, channels, pooledHeight, pooledWidth];
        return [Eager.Wrap(output, shape, input.DType), Eager.Wrap(argmax, shape, DType.Int64)];
    }

    // torchvision's bilinear_interpolate: zero beyond a pixel outside the map, edge pixels held at the border.
    private static double Bilinear(double[] x, long plane, long height, long width, double y, double xx)
    {
        if (y < -1.0 || y > height || xx < -1.0 || xx > width) return 0;
        y = Math.Max(y, 0);
        xx = Math.Max(xx, 0);
        long yLow = (long)y, xLow = (long)xx, yHigh, xHigh;
        if (yLow >= height - 1)
        {
            yHigh = yLow = height - 1;
            y = yLow;
        }
        else yHigh = yLow + 1;
        if (xLow >= width - 1)
        {
            xHigh = xLow = width - 1;
            xx = xLow;
        }
        else xHigh = xLow + 1;
        double ly = y - yLow, lx = xx - xLow, hy = 1 - ly, hx = 1 - lx;
        return hy * hx * x[plane + yLow * width + xLow] + hy * lx * x[plane + yLow * width + xHigh]
            + ly * hx * x[plane + yHigh * width + xLow] + ly * lx * x[plane + yHigh * width + xHigh];
    }
}
