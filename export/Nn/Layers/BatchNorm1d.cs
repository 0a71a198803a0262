namespace Graphport;

/// <summary>
/// Batch normalization over the channel dim of (N, C) or (N, C, L) input (torch.nn.BatchNorm1d): running statistics
/// in eval mode, updated (buffer mutations in the exported program) in training mode, as BatchNorm2d.
/// </summary>
public sealed class BatchNorm1d(long numFeatures, double eps = 1e-5, double momentum = 0.1) : BatchNormLayer("BatchNorm1d", numFeatures, eps, momentum)
{
    private protected override void CheckInputDim(Tensor x)
    {
        if (x.Ndim is not (2 or 3)) throw new ArgumentException($"BatchNorm1d expected 2D or 3D input (N, C) or (N, C, L), got {x.Ndim}D input of shape {x.Shape}.");
    }
}
