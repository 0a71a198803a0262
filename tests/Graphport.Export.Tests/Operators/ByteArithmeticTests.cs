namespace Graphport.Tests.Operators;

/// <summary>
/// uint8 and int8 tensors through bitwise ops, add, sub, mul, maximum and minimum (computed in bytes): each result is
/// the definition's — the exact integer result wrapped into the dtype, as torch's 8-bit arithmetic wraps — on random
/// tensors, against tensors and numbers (a number outside the dtype's range meets it wrapped, -3 as 253 for uint8),
/// contiguous and transposed.
/// </summary>
public class ByteArithmeticTests
{
    public static TheoryData<string> Ops => new() { "and", "or", "xor", "add", "sub", "mul", "max", "min" };

    private static long Apply(string op, long x, long y) => op switch
    {
        "and" => x & y,
        "or" => x | y,
        "xor" => x ^ y,
        "add" => x + y,
        "sub" => x - y,
        "mul" => x * y,
        "max" => Math.Max(x, y),
        _ => Math.Min(x, y),
    };

    private static Tensor Call(string op, Tensor x, object y) => op switch
    {
        "and" => y is Tensor t ? Aten.Call(Aten.BitwiseAnd, x, t) : Aten.Call(Aten.BitwiseAndScalar, x, y),
        "or" => y is Tensor t ? Aten.Call(Aten.BitwiseOr, x, t) : Aten.Call(Aten.BitwiseOrScalar, x, y),
        "xor" => y is Tensor t ? Aten.Call(Aten.BitwiseXor, x, t) : Aten.Call(Aten.BitwiseXorScalar, x, y),
        "add" => Aten.Call(Aten.Add, x, y),
        "sub" => Aten.Call(Aten.Sub, x, y),
        "mul" => Aten.Call(Aten.Mul, x, y),
        "max" => Aten.Call(Aten.Maximum, x, (Tensor)y),
        _ => Aten.Call(Aten.Minimum, x, (Tensor)y),
    };

    private static long Wrap(long v, DType dtype) => dtype == DType.UInt8 ? (byte)v : (sbyte)v;

    [Theory]
    [MemberData(nameof(Ops))]
    public void Byte_results_are_the_wrapped_exact_results(string op)
    {
        var random = new Random(op.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        foreach (var dtype in new[] { DType.UInt8, DType.Int8 })
        {
            var (low, high) = dtype == DType.UInt8 ? (0, 256) : (-128, 128);
            long[] xs = [.. Enumerable.Range(0, 6 * 7).Select(_ => (long)random.Next(low, high))];
            long[] ys = [.. Enumerable.Range(0, 6 * 7).Select(_ => (long)random.Next(low, high))];
            var x = Tensor.FromArray(xs, 6, 7).To(dtype);
            var y = Tensor.FromArray(ys, 6, 7).To(dtype);
            var result = Call(op, x, y);
            Assert.Equal(dtype, result.DType);
            Assert.Equal(xs.Zip(ys, (a, b) => Wrap(Apply(op, a, b), dtype)), result.ToArray<long>());
            // Transposed operands: the same definition element by element.
            var transposed = Call(op, x.Transpose(0, 1), y.Transpose(0, 1));
            var expectedT = Enumerable.Range(0, 7 * 6).Select(i => Wrap(Apply(op, xs[(i % 6) * 7 + i / 6], ys[(i % 6) * 7 + i / 6]), dtype));
            Assert.Equal(expectedT, transposed.Contiguous().ToArray<long>());
            if (op is "max" or "min") continue;
            foreach (long number in new long[] { 3, 128, -3, 300 })
            {
                var withNumber = Call(op, x, number);
                Assert.Equal(dtype, withNumber.DType);
                Assert.Equal(xs.Select(a => Wrap(Apply(op, a, Wrap(number, dtype)), dtype)), withNumber.ToArray<long>());
            }
        }
    }
}
