using Graphport.Operators;

namespace Graphport.Tracing;

/// <summary>
/// Writes a view's new value back into the tensor it was viewed from, functionally: select becomes
/// select_scatter, slice becomes slice_scatter, permutations are undone, reshapes reshape back.
/// </summary>
internal static class ViewInverse
{
    public static Tensor Scatter(Tracer tracer, ViewStep step, Tensor baseValue, Tensor newValue)
    {
        var a = step.Args;
        object?[] Args(params object?[] xs) => xs;
        string name = step.Op.OpName;
        switch (name)
        {
            case "select":
                return Call(tracer, Aten.SelectScatter, Args(baseValue, newValue, a[0], a[1]));
            case "slice":
                return Call(tracer, Aten.SliceScatter, Args(baseValue, newValue, a[0], a[1], a[2], a[3]));
            case "diagonal":
                return Call(tracer, Aten.DiagonalScatter, Args(baseValue, newValue, a[0], a[1], a[2]));
            case "as_strided":
                return Call(tracer, Aten.AsStridedScatter, Args(baseValue, newValue, a[0], a[1], a[2]));
            case "t":
                return Call(tracer, Aten.T, Args(newValue));
            case "transpose":
                return Call(tracer, Aten.Transpose, Args(newValue, a[0], a[1]));
            case "permute":
                var dims = (SymInt[])a[0]!;
                int rank = dims.Length;
                var inverse = new SymInt[rank];
                for (int i = 0; i < rank; i++)
                {
                    int d = (int)(long)dims[i];
                    inverse[d < 0 ? d + rank : d] = i;
                }
                return Call(tracer, Aten.Permute, Args(newValue, inverse));
            case "alias":
            case "detach":
                return newValue;
            case "split_with_sizes":
            {
                // Output i is the slice [start_i, start_i + size_i) along dim.
                var sizes = (SymInt[])a[0]!;
                long dim = a.Length > 1 && a[1] is SymInt d ? (long)d : a.Length > 1 && a[1] is long l ? l : 0;
                SymInt start = 0;
                for (int i = 0; i < step.OutputIndex; i++) start += sizes[i];
                return Call(tracer, Aten.SliceScatter, Args(baseValue, newValue, dim, start, start + sizes[step.OutputIndex], 1L));
            }
            case "unbind":
                return Call(tracer, Aten.SelectScatter, Args(baseValue, newValue, a[0], (long)step.OutputIndex));
            case "expand":
                throw new ExportException(
                    "A write through an expanded (broadcast) view cannot be replayed: several elements of the view share one memory location. Clone the tensor before writing to it.");
            default:
                // view, _unsafe_view, unsqueeze, squeeze, reshape-like: the element order is unchanged, so reshape back.
                return Call(tracer, Aten.View, Args(newValue, baseValue.Shape.AsArray()));
        }
    }

    private static Tensor Call(Tracer tracer, OpOverload op, object?[] args) =>
        (Tensor)tracer.CallForInverse(op, op.BindArgs(args))!;
}
