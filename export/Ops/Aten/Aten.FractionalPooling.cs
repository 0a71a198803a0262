using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Fractional max pooling (Graham's pseudo-random overlapping windows): fractional_max_pool2d/3d take the window size,
/// the output size and one uniform sample per (sample, channel, spatial dim) that places the windows; each axis's
/// window starts are ⌊(i + u)·α⌋ − ⌊u·α⌋ with α = (in − kernel) / (out − 1), the last at in − kernel. The samples go
/// W then H in 2-D and D, H, W in 3-D, as ATen reads them. Kernel in export/Ops/Eager/PoolingIndexKernels.cs,
/// decomposition (gathers of each window) in BuiltinDecompositions.FractionalPooling.cs.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload FractionalMaxPool2d = Def("fractional_max_pool2d(Tensor self, int[2] kernel_size, int[2] output_size, Tensor random_samples) -> (Tensor, Tensor)",
        meta: a => FractionalMaxPoolMeta("fractional_max_pool2d", 2, a),
        kernel: a => PoolingIndexKernels.FractionalMaxPool(T0(a), Ls(a[1]), Ls(a[2]), Tn(a, 3)));

    public static readonly OpOverload FractionalMaxPool3d = Def("fractional_max_pool3d(Tensor self, int[3] kernel_size, int[3] output_size, Tensor random_samples) -> (Tensor, Tensor)",
        meta: a => FractionalMaxPoolMeta("fractional_max_pool3d", 3, a),
        kernel: a => PoolingIndexKernels.FractionalMaxPool(T0(a), Ls(a[1]), Ls(a[2]), Tn(a, 3)));

    /// <summary>Which sample places the windows of spatial axis <paramref name="axis"/> (ATen reads W first in 2-D).</summary>
    internal static int FractionalSampleOf(int rank, int axis) => rank == 2 ? 1 - axis : axis;

    private static TensorMeta[] FractionalMaxPoolMeta(string op, int rank, object?[] a)
    {
        var self = T0(a);
        var kernel = Ls(a[1]);
        var output = Ls(a[2]);
        var samples = Tn(a, 3);
        string[] axes = rank == 2 ? ["height", "width"] : ["time", "height", "width"];
        if (kernel.Length != rank) throw new ArgumentException($"{op}(): argument 'kernel_size' must contain {rank} elements, but got {kernel.Length}");
        if (output.Length != rank) throw new ArgumentException($"{op}(): argument 'output_size' must contain {rank} elements, but got {output.Length}");
        if (self.Ndim != rank + 1 && self.Ndim != rank + 2)
            throw new ArgumentException($"{op}(): Expected {rank + 1}D or {rank + 2}D tensor, but got: [{string.Join(", ", self.Shape)}]");
        if (!self.DType.IsFloatingPoint()) throw new NotSupportedException($"\"{op}\" not implemented for '{DTypeNames.Capitalized(self.DType)}'");
        for (int i = 1; i < self.Ndim; i++)
            if (self.Shape[i].AsConstant == 0)
                throw new ArgumentException($"{op}(): Expected input to have non-zero size for non-batch dimensions, but got [{string.Join(", ", self.Shape)}] with dimension {i} being empty");
        for (int i = 0; i < rank; i++)
        {
            long size = (long)self.Shape[self.Ndim - rank + i];
            if (kernel[i] <= 0 || output[i] <= 0) throw new ArgumentException($"{op}(): kernel_size and output_size must be positive, got kernel_size [{string.Join(", ", kernel)}] and output_size [{string.Join(", ", output)}]");
            // ATen lets a 2-D pool's windows reach the input's last element, a 3-D pool's stop short of it.
            bool fits = rank == 2 ? output[i] + kernel[i] - 1 <= size : output[i] + kernel[i] - 1 < size;
            if (!fits) throw new ArgumentException($"{op}{(rank == 3 ? "_out" : "")}(): pool {axes[i]} {kernel[i]} too large relative to input {axes[i]} {size}");
        }
        SymInt planes = self.Ndim == rank + 2 ? self.Shape[0] : 1;
        SymInt channels = self.Shape[self.Ndim - rank - 1];
        if (samples.Ndim != 3 || !samples.Shape[0].Equals(planes) || !samples.Shape[1].Equals(channels) || samples.Shape[2].AsConstant != rank)
            throw new ArgumentException($"{op}(): random_samples must be of shape [{planes}, {channels}, {rank}] (one sample per batch element, channel and spatial dim), but got [{string.Join(", ", samples.Shape)}]");
        if (samples.DType != self.DType)
            throw new ArgumentException($"{op}(): random_samples must have the input's dtype ({self.DType.TorchName()}), got {samples.DType.TorchName()}");
        SymInt[] shape = [.. self.Shape.Take(self.Ndim - rank), .. output.Select(o => (SymInt)o)];
        return [new TensorMeta(self.DType, shape), new TensorMeta(DType.Int64, shape)];
    }
}
