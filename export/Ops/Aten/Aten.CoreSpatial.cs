using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Core ATen spatial ops: reflection and replication padding (1-3 dims), grid_sampler_2d and col2im; plus the
/// non-core replication_pad1d, which F.pad(mode="replicate") produces for 3-D inputs and which decomposes to the
/// 2-D op.
/// </summary>
internal static partial class Aten
{
    private static TensorMeta PadMeta(string op, Tensor self, SymInt[] pad, int dims, bool reflect)
    {
        if (pad.Length != 2 * dims) throw new ArgumentException($"{op}: padding size is expected to be {2 * dims}, but got: {pad.Length}");
        if (self.Ndim != dims + 1 && self.Ndim != dims + 2)
            throw new ArgumentException($"{op}: Expected {dims + 1}D or {dims + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [{string.Join(", ", self.Shape)}]");
        var shape = self.Shape.AsArray().ToArray();
        for (int i = 0; i < dims; i++)
        {
            int d = self.Ndim - 1 - i;
            SymInt before = pad[2 * i], after = pad[2 * i + 1];
            // Reflection cannot reach past the opposite edge; zero padding needs no check (and no guard).
            if (reflect && (before.AsConstant is not 0 || after.AsConstant is not 0) && (before >= shape[d] || after >= shape[d]))
                throw new ArgumentException($"{op}: Padding size should be less than the corresponding input dimension, but got: padding ({before.Hint}, {after.Hint}) at dimension {d} of input [{string.Join(", ", self.Shape.Select(s => s.Hint))}]");
            if (!reflect && shape[d].AsConstant == 0 && (before.AsConstant is not 0 || after.AsConstant is not 0))
                throw new ArgumentException($"{op}: input tensor must have non-zero size in dimension {d} to be padded by replication");
            var size = shape[d] + before + after;
            if (size < 1)
                throw new ArgumentException($"{op}: input (size {shape[d].Hint}) is too small for padding ({before.Hint}, {after.Hint}): the output size would be {size.Hint}");
            shape[d] = size;
        }
        return new TensorMeta(self.DType, shape);
    }

    private static OpOverload PadOp(string schema, int dims, bool reflect, string tags = "core")
    {
        string op = schema[..schema.IndexOf('(')];
        return Def(schema,
            meta: NoBool(op, op, "Convert the input to uint8 and back (x.To(DType.UInt8)), or use constant_pad_nd, which takes bool.", a => PadMeta(op, T0(a), Ss(a[1]), dims, reflect)),
            kernel: a => SpatialKernels.PadByIndexMap(T0(a), Ls(a[1]), reflect ? SpatialKernels.Reflect : SpatialKernels.Replicate),
            tags);
    }

    public static readonly OpOverload ReflectionPad1d = PadOp("reflection_pad1d(Tensor self, SymInt[2] padding) -> Tensor", 1, reflect: true);
    public static readonly OpOverload ReflectionPad2d = PadOp("reflection_pad2d(Tensor self, SymInt[4] padding) -> Tensor", 2, reflect: true);
    public static readonly OpOverload ReflectionPad3d = PadOp("reflection_pad3d(Tensor self, SymInt[6] padding) -> Tensor", 3, reflect: true);
    public static readonly OpOverload ReplicationPad1d = PadOp("replication_pad1d(Tensor self, SymInt[2] padding) -> Tensor", 1, reflect: false, tags: "");
    public static readonly OpOverload ReplicationPad2d = PadOp("replication_pad2d(Tensor self, SymInt[4] padding) -> Tensor", 2, reflect: false);
    public static readonly OpOverload ReplicationPad3d = PadOp("replication_pad3d(Tensor self, SymInt[6] padding) -> Tensor", 3, reflect: false);

    public static readonly OpOverload GridSampler2d = Def("grid_sampler_2d(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners) -> Tensor", meta: a =>
    {
        Tensor input = T0(a), grid = Tn(a, 1);
        if (input.Ndim != 4 || grid.Ndim != 4)
            throw new ArgumentException($"grid_sampler(): expected 4D input and grid with same number of dimensions, but got input with sizes [{string.Join(", ", input.Shape)}] and grid with sizes [{string.Join(", ", grid.Shape)}]");
        if (!(input.Shape[0] == grid.Shape[0]))
            throw new ArgumentException($"grid_sampler(): expected grid and input to have same batch size, but got input with sizes [{string.Join(", ", input.Shape)}] and grid with sizes [{string.Join(", ", grid.Shape)}]");
        if (grid.Shape[3].AsConstant is long last && last != 2)
            throw new ArgumentException($"grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes [{string.Join(", ", grid.Shape)}]");
        if (input.DType != grid.DType)
            throw new ArgumentException($"grid_sampler(): expected input and grid to have same dtype, but input has {DTypeNames.Capitalized(input.DType)} and grid has {DTypeNames.Capitalized(grid.DType)}");
        if (L(a[2]) is < 0 or > 2) throw new ArgumentException($"grid_sampler(): interpolation_mode must be 0 (bilinear), 1 (nearest) or 2 (bicubic), got {L(a[2])}");
        if (L(a[3]) is < 0 or > 2) throw new ArgumentException($"grid_sampler(): padding_mode must be 0 (zeros), 1 (border) or 2 (reflection), got {L(a[3])}");
        return new TensorMeta(input.DType, [input.Shape[0], input.Shape[1], grid.Shape[1], grid.Shape[2]]);
    }, kernel: a =>
    {
        PoolingKernels.RequireFloat("grid_sampler_2d", T0(a));
        return SpatialKernels.GridSampler2d(T0(a), Tn(a, 1), L(a[2]), L(a[3]), B(a[4]));
    }, tags: "core");

    public static readonly OpOverload Col2Im = Def("col2im(Tensor self, SymInt[2] output_size, int[2] kernel_size, int[2] dilation, int[2] padding, int[2] stride) -> Tensor", meta: a =>
    {
        var self = T0(a);
        if (self.Ndim is not (2 or 3))
            throw new ArgumentException($"Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: [{string.Join(", ", self.Shape)}]");
        var size = Ss(a[1]);
        long[] k = Ls(a[2]), d = Ls(a[3]), p = Ls(a[4]), s = Ls(a[5]);
        for (int i = 0; i < 2; i++)
            if (k[i] <= 0 || d[i] <= 0 || s[i] <= 0 || p[i] < 0)
                throw new ArgumentException($"col2im: kernel_size, dilation and stride must be positive and padding non-negative, got kernel_size=[{string.Join(", ", k)}], dilation=[{string.Join(", ", d)}], padding=[{string.Join(", ", p)}], stride=[{string.Join(", ", s)}]");
        var rows = self.Shape[^2];
        if (!(rows % (k[0] * k[1]) == 0))
            throw new ArgumentException($"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)={rows.Hint} and kernel_size=({k[0]}, {k[1]})");
        var blocks = ((size[0] + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0] + 1) * ((size[1] + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1] + 1);
        if (!(blocks == self.Shape[^1]))
            throw new ArgumentException($"Given output_size=({size[0].Hint}, {size[1].Hint}), kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), expected size of input's dimension 2 to match the calculated number of sliding blocks {blocks.Hint}, but got input.size(2)={self.Shape[^1].Hint}.");
        var channels = rows / (k[0] * k[1]);
        SymInt[] shape = self.Ndim == 3 ? [self.Shape[0], channels, size[0], size[1]] : [channels, size[0], size[1]];
        return new TensorMeta(self.DType, shape);
    }, kernel: a =>
    {
        PoolingKernels.RequireFloat("col2im", T0(a));
        return SpatialKernels.Col2Im(T0(a), Ls(a[1]), Ls(a[2]), Ls(a[3]), Ls(a[4]), Ls(a[5]));
    }, tags: "core");
}
