using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Ops that torch.export's training IR records and Graphport's tracer never does, so that torch-made .pt2 archives
/// load and run: item (torch's CompositeImplicit op over _local_scalar_dense, what x.item() records),
/// lift_fresh_copy (the copy of a tensor constant created inside forward, a clone), detach_ (a no-op here: there is
/// no autograd; torch's run_decompositions drops it too) and _assert_tensor_metadata (the check torch records before
/// x.to(dtype): a run-time assertion that stays in every dialect, as in torch).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Item = Composite("item(Tensor self) -> Scalar", a => Dispatcher.Invoke(LocalScalarDense, [T0(a)]));

    public static readonly OpOverload LiftFreshCopy = Composite("lift_fresh_copy(Tensor self) -> Tensor", a => Call(Clone, T0(a)));

    public static readonly OpOverload Detach_ = Composite("detach_(Tensor(a!) self) -> Tensor(a!)", a => T0(a));

    public static readonly OpOverload AssertTensorMetadata = Def(
        "_assert_tensor_metadata(Tensor a, SymInt[]? size=None, SymInt[]? stride=None, ScalarType? dtype=None, *, Device? device=None, Layout? layout=None) -> ()",
        meta: a =>
        {
            CheckTensorMetadata(T0(a), a[1] as SymInt[], null, a[3] as DType?);
            return Array.Empty<TensorMeta>();
        },
        kernel: a =>
        {
            CheckTensorMetadata(T0(a), a[1] as SymInt[], a[2] as SymInt[], a[3] as DType?);
            return Array.Empty<Tensor>();
        },
        tags: "side_effect");

    /// <summary>
    /// torch's checks, with its messages: the dtype, and the sizes and strides where given (strides of real tensors
    /// only, and sizes while tracing only where both are known numbers, so no guard is added).
    /// </summary>
    private static void CheckTensorMetadata(Tensor t, SymInt[]? size, SymInt[]? stride, DType? dtype)
    {
        if (dtype is { } d && t.DType != d)
            throw new ArgumentException($"Tensor dtype mismatch! Expected: {DTypeNames.Capitalized(d)}, Got: {DTypeNames.Capitalized(t.DType)}");
        if (size is not null)
        {
            bool differs = size.Length != t.Ndim || size.Zip(t.Shape).Any(p =>
                t.IsFake ? p.First.AsConstant is long x && p.Second.AsConstant is long y && x != y : (long)p.First != (long)p.Second);
            if (differs)
                throw new ArgumentException($"Tensor sizes mismatch! Expected: [{string.Join(", ", size.Select(s => s.ToString()))}], Got: [{string.Join(", ", t.Shape.Select(s => s.ToString()))}]");
        }
        if (stride is not null && !t.IsFake && !stride.Select(s => (long)s).SequenceEqual(t.Strides))
            throw new ArgumentException($"Tensor strides mismatch! Expected: [{string.Join(", ", stride.Select(s => s.ToString()))}], Got: [{string.Join(", ", t.Strides)}]");
    }
}
