namespace Graphport;

/// <summary>
/// Batch normalization over the channel dim of (N, C, D, H, W) input (torch.nn.BatchNorm3d): running statistics in
/// eval mode, batch statistics (and updated running ones) in training mode, as BatchNorm2d.
/// </summary>
public sealed class BatchNorm3d(long numFeatures, double eps = 1e-5, double momentum = 0.1) : BatchNormLayer("BatchNorm3d", numFeatures, eps, momentum)
{
    private protected override void CheckInputDim(Tensor x)
    {
        if (x.Ndim != 5) throw new ArgumentException($"BatchNorm3d expected 5D input (N, C, D, H, W), got {x.Ndim}D input of shape {x.Shape}.");
    }
}
