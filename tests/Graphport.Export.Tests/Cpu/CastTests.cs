using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

public class CastTests
{
    private static Array Convert(Array src, DType to)
    {
        var dst = Cast.Allocate(to, src.LongLength);
        Cast.Convert(src, StridedLayout.Contiguous(src.LongLength), dst);
        return dst;
    }

    [Fact]
    public void Float_to_integers_truncates_toward_zero_and_narrow_types_wrap_through_int64()
    {
        float[] x = [2.7f, -2.7f, 0.5f, -0.5f, 255.9f, -1f, 300f];
        Assert.Equal(new long[] { 2, -2, 0, 0, 255, -1, 300 }, (long[])Convert(x, DType.Int64));
        Assert.Equal(new int[] { 2, -2, 0, 0, 255, -1, 300 }, (int[])Convert(x, DType.Int32));
        Assert.Equal(new byte[] { 2, 254, 0, 0, 255, 255, 44 }, (byte[])Convert(x, DType.UInt8));
        Assert.Equal(new sbyte[] { 2, -2, 0, 0, -1, -1, 44 }, (sbyte[])Convert(x, DType.Int8));
    }

    [Fact]
    public void Float_to_narrow_integers_past_int32_s_range_still_wraps_through_int64()
    {
        // float32 converts through int32 when every value fits (the fast path); one value past int32's range sends its
        // chunk through int64, so the results are those of the wrap torch defines either way.
        var random = new Random(9);
        var x = Enumerable.Range(0, 5000).Select(_ => (float)(random.NextDouble() * 600 - 300)).ToArray();
        x[4100] = 3e9f;       // past int32, in the second chunk
        x[10] = -5e9f;        // past int32, in the first
        var expectedBytes = x.Select(v => unchecked((byte)(long)v)).ToArray();
        var expectedSbytes = x.Select(v => unchecked((sbyte)(long)v)).ToArray();
        Assert.Equal(expectedBytes, (byte[])Convert(x, DType.UInt8));
        Assert.Equal(expectedSbytes, (sbyte[])Convert(x, DType.Int8));
        var inRange = x.Select(v => Math.Clamp(v, -1e9f, 1e9f)).ToArray();
        Assert.Equal(inRange.Select(v => (int)v).ToArray(), (int[])Convert(inRange, DType.Int32));
    }

    [Fact]
    public void Anything_to_bool_is_nonzero_and_bool_to_number_is_zero_or_one()
    {
        Assert.Equal(new[] { false, true, true, false, true }, (bool[])Convert(new float[] { 0f, -0.1f, float.NaN, -0f, 3f }, DType.Bool));
        Assert.Equal(new[] { true, false, true }, (bool[])Convert(new long[] { -5, 0, 1 }, DType.Bool));
        Assert.Equal(new[] { 1.0, 0.0, 1.0 }, (double[])Convert(new[] { true, false, true }, DType.Float64));
        Assert.Equal(new long[] { 1, 0 }, (long[])Convert(new[] { true, false }, DType.Int64));
        Assert.Equal(new[] { true, false }, (bool[])Convert(new[] { true, false }, DType.Bool));
    }

    [Fact]
    public void BFloat16_round_trips_through_float_with_round_to_nearest_even_for_long_inputs()
    {
        var rng = new Random(5);
        var x = CpuTestData.Floats(rng, 1000, -1e4, 1e4);
        x[0] = float.NaN;
        x[1] = float.PositiveInfinity;
        var bf = (BFloat16[])Convert(x, DType.BFloat16);
        for (int i = 0; i < x.Length; i++) Assert.Equal(((BFloat16)x[i]).Bits, bf[i].Bits);
        var back = (float[])Convert(bf, DType.Float32);
        for (int i = 0; i < x.Length; i++) Assert.Equal((float)bf[i], back[i]);
        var viaDouble = (BFloat16[])Convert(x.Select(v => (double)v).ToArray(), DType.BFloat16);
        for (int i = 0; i < x.Length; i++) Assert.Equal(bf[i].Bits, viaDouble[i].Bits);
    }

    [Fact]
    public void Every_supported_pair_of_types_converts_small_integers_exactly()
    {
        long[] values = [0, 1, 2, 7, 100];
        foreach (DType from in Enum.GetValues<DType>())
            foreach (DType to in Enum.GetValues<DType>())
            {
                var src = Convert(values, from);
                var dst = Convert(src, to);
                var roundTrip = (long[])Convert(dst, DType.Int64);
                var expected = to == DType.Bool || from == DType.Bool ? values.Select(v => v != 0 ? 1L : 0L).ToArray() : values;
                Assert.True(expected.SequenceEqual(roundTrip), $"{from} -> {to}: got [{string.Join(", ", roundTrip)}]");
            }
    }

    [Fact]
    public void Strided_sources_are_read_through_their_layout()
    {
        var data = new double[] { 1.5, 2.5, 3.5, 4.5, 5.5, 6.5 };
        var t = StridedLayout.Contiguous(2, 3).Transpose(0, 1);
        var dst = new int[6];
        Cast.Convert(data, t, dst);
        Assert.Equal(new[] { 1, 4, 2, 5, 3, 6 }, dst);
        var half = new Half[6];
        Cast.Convert(data, t, half);
        Assert.Equal(new[] { 1.5, 4.5, 2.5, 5.5, 3.5, 6.5 }, half.Select(h => (double)h).ToArray());
    }

    [Fact]
    public void Convert_rejects_unsupported_element_types_and_short_destinations()
    {
        var ex = Assert.Throws<ArgumentException>(() => Cast.Convert(new decimal[2], StridedLayout.Contiguous(2), new float[2]));
        Assert.Contains("src", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Cast.Convert(new float[4], StridedLayout.Contiguous(4), new double[3]));
        Assert.Contains("dst", ex2.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(129)]
    [InlineData(9000)]
    public void Conversions_among_float32_int32_int64_and_8_bit_integers_give_the_scalar_casts_numbers_at_any_length(int length)
    {
        // The vector loops cover whole vectors and a scalar tail; lengths that leave a tail of every size check both.
        var random = new Random(length);
        var floats = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 1000 - 500)).ToArray();
        var ints = Enumerable.Range(0, length).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();
        var longs = Enumerable.Range(0, length).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        var bytes = Enumerable.Range(0, length).Select(_ => (byte)random.Next(256)).ToArray();
        var sbytes = bytes.Select(b => unchecked((sbyte)b)).ToArray();

        Assert.Equal(floats.Select(v => (int)v), (int[])Convert(floats, DType.Int32));
        Assert.Equal(floats.Select(v => unchecked((byte)(long)v)), (byte[])Convert(floats, DType.UInt8));
        Assert.Equal(floats.Select(v => unchecked((sbyte)(long)v)), (sbyte[])Convert(floats, DType.Int8));
        Assert.Equal(ints.Select(v => (float)v), (float[])Convert(ints, DType.Float32));
        Assert.Equal(ints.Select(v => unchecked((byte)v)), (byte[])Convert(ints, DType.UInt8));
        Assert.Equal(ints.Select(v => unchecked((sbyte)v)), (sbyte[])Convert(ints, DType.Int8));
        Assert.Equal(longs.Select(v => unchecked((int)v)), (int[])Convert(longs, DType.Int32));
        Assert.Equal(bytes.Select(v => (int)v), (int[])Convert(bytes, DType.Int32));
        Assert.Equal(bytes.Select(v => (float)v), (float[])Convert(bytes, DType.Float32));
        Assert.Equal(sbytes.Select(v => (int)v), (int[])Convert(sbytes, DType.Int32));
        Assert.Equal(sbytes.Select(v => (float)v), (float[])Convert(sbytes, DType.Float32));
        Assert.Equal(bytes.Select(v => unchecked((sbyte)v)), (sbyte[])Convert(bytes, DType.Int8));
        Assert.Equal(sbytes.Select(v => unchecked((byte)v)), (byte[])Convert(sbytes, DType.UInt8));
    }

    [Fact]
    public void Float32_past_int32_s_range_wraps_to_int32_through_int64_wherever_it_sits()
    {
        // Whole vectors and the tail: the out-of-range value sits in each in turn.
        foreach (int at in new[] { 3, 70 })
        {
            var x = Enumerable.Range(0, 75).Select(i => (float)i).ToArray();
            x[at] = 3e9f;
            x[at + 1] = float.NaN;
            x[at + 2] = -3e9f;
            Assert.Equal(x.Select(v => unchecked((int)(long)v)), (int[])Convert(x, DType.Int32));
        }
    }
}
