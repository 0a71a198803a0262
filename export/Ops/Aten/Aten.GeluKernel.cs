using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport;

/// <summary>gelu's CPU kernel: the exact (erf) or the tanh form, as approximate says.</summary>
internal static partial class Aten
{
    private static readonly KernelFunction GeluErf = PointwiseKernels.Unary(UnaryOp.Gelu);

    private static readonly KernelFunction GeluTanh = PointwiseKernels.Unary(UnaryOp.GeluTanh);

    /// <summary>
    /// gelu(+inf) is +inf and gelu(x) is x for large x, as torch's own CPU kernel and its CUDA kernel give. torch's
    /// CPU build hands contiguous float32/bfloat16 tensors to oneDNN instead, which returns NaN for +inf and
    /// overflows above float.MaxValue / 2; that depends on the CPU and the tensor's layout, so it is not copied
    /// (PyTorchAgreementTests accepts that one difference).
    /// </summary>
    private static object? GeluKernel(object?[] a) => (string)a[1]! == "tanh" ? GeluTanh(a) : GeluErf(a);
}
