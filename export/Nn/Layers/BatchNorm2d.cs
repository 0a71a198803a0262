namespace Graphport;

/// <summary>
/// Batch normalization over the channel dim of NCHW input (torch.nn.BatchNorm2d). In eval mode it uses the
/// running statistics (exported as _native_batch_norm_legit_no_training); in training mode it updates them,
/// which export records as buffer mutations.
/// </summary>
public sealed class BatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1) : BatchNormLayer("BatchNorm2d", numFeatures, eps, momentum)
{
    private protected override void CheckInputDim(Tensor x)
    {
        if (x.Ndim != 4) throw new ArgumentException($"BatchNorm2d expected 4D input (N, C, H, W), got {x.Ndim}D input of shape {x.Shape}.");
    }
}
