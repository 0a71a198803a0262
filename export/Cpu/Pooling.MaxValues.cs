using System.Numerics;
using System.Runtime.InteropServices;

namespace Graphport.Cpu;

public static partial class Pooling
{
    /// <summary>
    /// 2-D max pooling without the indices (what a program that reads only max_pool2d_with_indices' values needs): the
    /// same windows, checks and output as <see cref="MaxPool2d{T}"/>'s values. Float planes without dilation take the
    /// maximum down each input column of a window row, then across each output's columns, both with vector max
    /// instructions and no branch on the data (the indexed pool branches on every compare); a plane
    /// holding a NaN is computed again by the direct loop, so a NaN in a window is its maximum, as in torch. Equal
    /// values are one value, except that of +0 and −0 either may be returned.
    /// </summary>
    public static Dense<T> MaxPool2dValues<T>(T[] input, long[] inputShape, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, (int H, int W) dilation, bool ceilMode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || dilation != (1, 1)) return MaxPool2d(input, inputShape, kernel, stride, padding, dilation, ceilMode).Output;
        var (planes, h, w, oh, ow) = MaxPoolGeometry(input, inputShape, kernel, stride, padding, dilation, ceilMode);
        var output = RunBuffers.Allocate<T>(planes * oh * ow, clear: false);
        int H = (int)h, W = (int)w, OH = (int)oh, OW = (int)ow;
        CpuParallel.For(planes, (double)OH * OW * kernel.H * kernel.W, (p0, p1) =>
        {
            var scratch = new ColumnScratch(W, OW, kernel, stride, padding);
            for (long p = p0; p < p1; p++)
            {
                var src = MemoryMarshal.Cast<T, float>(input.AsSpan((int)(p * H * W), H * W));
                var dst = MemoryMarshal.Cast<T, float>(output.AsSpan((int)(p * OH * OW), OH * OW));
                if (!MaxValuesByColumns(src, H, W, OH, OW, kernel, stride, padding, dst, scratch))
                    MaxValuesDirect(src, H, W, OH, OW, kernel, stride, padding, dst);
            }
        });
        return new Dense<T>(output, OutShape(inputShape, oh, ow));
    }

    // One plane: per output row, the column maxima of its window's input rows (whole rows, vector max) into a row with
    // −inf margins for the padding, split into its stride phases, so that the maximum over an output's kW columns is
    // kW vector loads (tap j of output x is phase j mod sW at x + j div sW), eight or sixteen outputs at a time.
    // Returns false when the plane holds a NaN (the vector max instruction does not carry NaNs through), for the
    // caller to redo it directly.
    private static bool MaxValuesByColumns(ReadOnlySpan<float> src, int H, int W, int OH, int OW, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, Span<float> output, ColumnScratch scratch)
    {
        int lanes = Vector<float>.Count, sw = stride.W, phaseLength = scratch.PhaseLength;
        var numbers = Vector<int>.AllBitsSet;
        bool scalarNumbers = true;
        var columns = scratch.Columns.AsSpan(padding.W, W);
        var phases = scratch.Phases;
        for (int y = 0; y < OH; y++)
        {
            int ih0 = Math.Max(y * stride.H - padding.H, 0), ih1 = Math.Min(y * stride.H - padding.H + kernel.H, H);
            src.Slice(ih0 * W, W).CopyTo(columns);
            ref float column = ref MemoryMarshal.GetReference(columns);
            for (int r = ih0; r < ih1; r++)
            {
                var row = src.Slice(r * W, W);
                ref float element = ref MemoryMarshal.GetReference(row);
                int c = 0;
                // Whole vectors of the row (W of them, as the slices were checked to hold): loads and stores without
                // a span and a bounds check each, which cost the pool more than its compares.
                if (r == ih0)
                    for (; c <= W - lanes; c += lanes)
                    {
                        var v = Vector.LoadUnsafe(ref element, (nuint)c);
                        numbers &= Vector.Equals(v, v);
                    }
                else
                    for (; c <= W - lanes; c += lanes)
                    {
                        var v = Vector.LoadUnsafe(ref element, (nuint)c);
                        numbers &= Vector.Equals(v, v);
                        Vector.MaxNative(v, Vector.LoadUnsafe(ref column, (nuint)c)).StoreUnsafe(ref column, (nuint)c);
                    }
                for (; c < W; c++)
                {
                    scalarNumbers &= !float.IsNaN(row[c]);
                    columns[c] = float.MaxNative(columns[c], row[c]);
                }
            }
            // Stride 1 reads the margined row itself; wider strides split it into phases first (stride 2 with vector shuffles).
            if (sw == 2)
                PairInterleave.Split(scratch.Columns, phases.AsSpan(0, phaseLength), phases.AsSpan(phaseLength, phaseLength));
            else if (sw > 2)
            {
                var all = scratch.Columns;
                for (int a = 0; a < sw; a++)
                {
                    var phase = phases.AsSpan(a * phaseLength, phaseLength);
                    for (int i = 0, j = a; i < phase.Length; i++, j += sw) phase[i] = all[j];
                }
            }
            var source = sw > 1 ? phases : scratch.Columns;
            var taps = scratch.TapOffsets;
            var outRow = output.Slice(y * OW, OW);
            int x = 0;
            // The scratch rows reach a vector past the last tap of the last output (ColumnScratch), so these loads stay in them.
            ref float first = ref MemoryMarshal.GetArrayDataReference(source);
            ref float outFirst = ref MemoryMarshal.GetReference(outRow);
            for (; x <= OW - lanes; x += lanes)
            {
                var max = Vector.LoadUnsafe(ref first, (nuint)x);
                for (int j = 1; j < taps.Length; j++) max = Vector.MaxNative(max, Vector.LoadUnsafe(ref first, (nuint)(taps[j] + x)));
                max.StoreUnsafe(ref outFirst, (nuint)x);
            }
            for (; x < OW; x++)
            {
                float max = source[x];
                for (int j = 1; j < taps.Length; j++) max = float.MaxNative(max, source[taps[j] + x]);
                outRow[x] = max;
            }
        }
        return scalarNumbers && Vector.EqualsAll(numbers, Vector<int>.AllBitsSet);
    }

    /// <summary>
    /// One task's rows for <see cref="MaxValuesByColumns"/>: the column maxima with −inf margins (left: the padding;
    /// right: up to the last window's end and a vector's width past it), and its stride phases.
    /// </summary>
    private sealed class ColumnScratch
    {
        public ColumnScratch(int w, int ow, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
        {
            int lanes = Vector<float>.Count;
            // Tap j of output x reads margined column x·sW + j; the vector loop reads up to a vector's width further.
            PhaseLength = ow + (kernel.W - 1) / stride.W + lanes;
            Columns = new float[Math.Max(padding.W + w, PhaseLength * stride.W) + lanes];
            Columns.AsSpan().Fill(float.NegativeInfinity);
            Phases = stride.W > 1 ? new float[PhaseLength * stride.W] : [];
            TapOffsets = [.. Enumerable.Range(0, kernel.W).Select(j => j % stride.W * PhaseLength + j / stride.W)];
        }

        /// <summary>Where tap j of output 0 is read: phase j mod sW, at j div sW.</summary>
        public int[] TapOffsets { get; }

        public float[] Columns { get; }

        public float[] Phases { get; }

        public int PhaseLength { get; }
    }

    // One plane window by window, a NaN winning as in torch.
    private static void MaxValuesDirect(ReadOnlySpan<float> src, int H, int W, int OH, int OW, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, Span<float> output)
    {
        for (int y = 0; y < OH; y++)
        {
            int ih0 = Math.Max(y * stride.H - padding.H, 0), ih1 = Math.Min(y * stride.H - padding.H + kernel.H, H);
            for (int x = 0; x < OW; x++)
            {
                int iw0 = Math.Max(x * stride.W - padding.W, 0), iw1 = Math.Min(x * stride.W - padding.W + kernel.W, W);
                float max = float.NegativeInfinity;
                for (int ih = ih0; ih < ih1; ih++)
                    for (int iw = iw0; iw < iw1; iw++)
                    {
                        float v = src[ih * W + iw];
                        if (v > max || float.IsNaN(v)) max = v;
                    }
                output[y * OW + x] = max;
            }
        }
    }
}
