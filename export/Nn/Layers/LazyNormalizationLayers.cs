namespace Graphport;

/// <summary>What the lazy batch and instance norms share: num_features is the input's channel dim (dim 1, or 0 unbatched).</summary>
public abstract class LazyNormalization<TLayer>(int unbatchedRank) : LazyLayer<TLayer> where TLayer : Module<Tensor, Tensor>
{
    protected override long InputSize(Tensor x)
    {
        if (x.Ndim < 2) throw new ArgumentException($"{GetType().Name} expects an input with a channel dim, got {x.Ndim}-D.");
        return x.Sizes[x.Ndim == unbatchedRank ? 0 : 1];
    }
}

/// <summary>torch.nn.LazyBatchNorm1d: a BatchNorm1d whose num_features is read from the first input.</summary>
public sealed class LazyBatchNorm1d(double eps = 1e-5, double momentum = 0.1) : LazyNormalization<BatchNorm1d>(-1)
{
    protected override BatchNorm1d Create(long inputSize) => new(inputSize, eps, momentum);
}

/// <summary>torch.nn.LazyBatchNorm2d: a BatchNorm2d whose num_features is read from the first input.</summary>
public sealed class LazyBatchNorm2d(double eps = 1e-5, double momentum = 0.1) : LazyNormalization<BatchNorm2d>(-1)
{
    protected override BatchNorm2d Create(long inputSize) => new(inputSize, eps, momentum);
}

/// <summary>torch.nn.LazyBatchNorm3d: a BatchNorm3d whose num_features is read from the first input.</summary>
public sealed class LazyBatchNorm3d(double eps = 1e-5, double momentum = 0.1) : LazyNormalization<BatchNorm3d>(-1)
{
    protected override BatchNorm3d Create(long inputSize) => new(inputSize, eps, momentum);
}

/// <summary>torch.nn.LazyInstanceNorm1d: an InstanceNorm1d whose num_features is read from the first input.</summary>
public sealed class LazyInstanceNorm1d(double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true) : LazyNormalization<InstanceNorm1d>(2)
{
    protected override InstanceNorm1d Create(long inputSize) => new(inputSize, eps, momentum, affine, trackRunningStats);
}

/// <summary>torch.nn.LazyInstanceNorm2d: an InstanceNorm2d whose num_features is read from the first input.</summary>
public sealed class LazyInstanceNorm2d(double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true) : LazyNormalization<InstanceNorm2d>(3)
{
    protected override InstanceNorm2d Create(long inputSize) => new(inputSize, eps, momentum, affine, trackRunningStats);
}

/// <summary>torch.nn.LazyInstanceNorm3d: an InstanceNorm3d whose num_features is read from the first input.</summary>
public sealed class LazyInstanceNorm3d(double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true) : LazyNormalization<InstanceNorm3d>(4)
{
    protected override InstanceNorm3d Create(long inputSize) => new(inputSize, eps, momentum, affine, trackRunningStats);
}
