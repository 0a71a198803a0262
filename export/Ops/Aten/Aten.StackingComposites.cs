using Graphport.Operators;

namespace Graphport;

/// <summary>
/// numpy-style joining and shaping, as torch's export records it: atleast_1d/2d/3d, hstack, vstack, dstack,
/// column_stack, tile, concat, concatenate; each a reshape and a cat or repeat.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload Atleast1d = Composite("atleast_1d(Tensor self) -> Tensor", Atleast1dBody);
    public static readonly OpOverload Atleast2d = Composite("atleast_2d(Tensor self) -> Tensor", Atleast2dBody);
    public static readonly OpOverload Atleast3d = Composite("atleast_3d(Tensor self) -> Tensor", Atleast3dBody);
    public static readonly OpOverload Hstack = Composite("hstack(Tensor[] tensors) -> Tensor", HstackBody);
    public static readonly OpOverload Vstack = Composite("vstack(Tensor[] tensors) -> Tensor", VstackBody);
    public static readonly OpOverload Dstack = Composite("dstack(Tensor[] tensors) -> Tensor", DstackBody);
    public static readonly OpOverload ColumnStack = Composite("column_stack(Tensor[] tensors) -> Tensor", ColumnStackBody);
    public static readonly OpOverload Tile = Composite("tile(Tensor self, SymInt[] dims) -> Tensor", TileBody);
    // torch.concat and torch.concatenate: cat by other names (PhiMoE's router concatenates its masks so).
    public static readonly OpOverload Concat = Composite("concat(Tensor[] tensors, int dim=0) -> Tensor", a => Call(Cat, a[0], a[1]));
    public static readonly OpOverload Concatenate = Composite("concatenate(Tensor[] tensors, int dim=0) -> Tensor", a => Call(Cat, a[0], a[1]));

    private static object? Atleast1dBody(object?[] a) => AtLeast1d(T0(a));

    private static object? Atleast2dBody(object?[] a) => AtLeast2d(T0(a));

    private static object? Atleast3dBody(object?[] a) => AtLeast3d(T0(a));

    private static Tensor AtLeast1d(Tensor t) => t.Ndim == 0 ? Call(Reshape, t, new SymInt[] { 1 }) : Call(Alias, t);

    // A vector becomes one row.
    private static Tensor AtLeast2d(Tensor t) => t.Ndim switch
    {
        0 => Call(Reshape, t, new SymInt[] { 1, 1 }),
        1 => Call(Unsqueeze, t, 0L),
        _ => Call(Alias, t),
    };

    // A vector becomes [1, n, 1] and a matrix [m, n, 1], as numpy's atleast_3d.
    private static Tensor AtLeast3d(Tensor t) => t.Ndim switch
    {
        0 => Call(Reshape, t, new SymInt[] { 1, 1, 1 }),
        1 => Call(Unsqueeze, Call(Unsqueeze, t, 0L), -1L),
        2 => Call(Unsqueeze, t, -1L),
        _ => Call(Alias, t),
    };

    private static Tensor[] NonEmpty(object? tensors, string op)
    {
        var list = (Tensor[])tensors!;
        if (list.Length == 0) throw new ArgumentException($"{op} expects a non-empty TensorList");
        return list;
    }

    // Along the first dim for vectors, the second otherwise.
    private static object? HstackBody(object?[] a)
    {
        var parts = NonEmpty(a[0], "hstack").Select(AtLeast1d).ToArray();
        return Call(Cat, parts, parts[0].Ndim == 1 ? 0L : 1L);
    }

    private static object? VstackBody(object?[] a) => Call(Cat, NonEmpty(a[0], "vstack").Select(AtLeast2d).ToArray(), 0L);

    private static object? DstackBody(object?[] a) => Call(Cat, NonEmpty(a[0], "dstack").Select(AtLeast3d).ToArray(), 2L);

    // Vectors (and scalars) as columns, joined along the second dim.
    private static object? ColumnStackBody(object?[] a) =>
        Call(Cat, NonEmpty(a[0], "column_stack").Select(t => t.Ndim <= 1 ? Call(Reshape, t, new SymInt[] { -1, 1 }) : t).ToArray(), 1L);

    // repeat with dims padded by leading ones to the tensor's rank (or the tensor given leading dims of one).
    private static object? TileBody(object?[] a)
    {
        var self = T0(a);
        var dims = Ss(a[1]);
        var repeats = dims.Length < self.Ndim ? [.. Enumerable.Repeat((SymInt)1, self.Ndim - dims.Length), .. dims] : dims;
        return Call(Repeat, self, repeats);
    }
}
