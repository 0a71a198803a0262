using F = Graphport.Functional;

namespace Graphport.Zoo;

/// <summary>
/// 50 Linear layers of width 256 with a ReLU between consecutive layers; input [batch, 256]. Parameters are
/// layers.0.weight ... layers.49.bias, the same names bench/torch/export_time.py's Mlp50 has.
/// </summary>
public sealed class Mlp50 : Module<Tensor, Tensor>
{
    public const int Depth = 50;
    public const long Width = 256;

    private readonly ModuleList layers = new(Enumerable.Range(0, Depth).Select(_ => (Module)new Linear(Width, Width)));

    public override Tensor Forward(Tensor x)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            x = ((Linear)layers[i]).Call(x);
            // No activation after the last layer: the output is the MLP's logits.
            if (i < layers.Count - 1) x = F.Relu(x);
        }
        return x;
    }
}
