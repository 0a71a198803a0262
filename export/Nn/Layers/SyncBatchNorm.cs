namespace Graphport;

/// <summary>
/// torch.nn.SyncBatchNorm in one process: batch normalization over dim 1 of any (N, C, ...) input, with BatchNorm's
/// parameters, buffers and state-dict names, so a model trained with synchronized statistics loads and exports as
/// it runs on one device (statistics across processes are a training concern a served program never has).
/// </summary>
public sealed class SyncBatchNorm(long numFeatures, double eps = 1e-5, double momentum = 0.1) : BatchNormLayer("SyncBatchNorm", numFeatures, eps, momentum)
{
    private protected override void CheckInputDim(Tensor x)
    {
        if (x.Ndim < 2) throw new ArgumentException($"SyncBatchNorm expected at least 2D input (got {x.Ndim}D input)");
    }
}
