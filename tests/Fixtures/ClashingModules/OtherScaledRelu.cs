using Graphport;

namespace ClashingModules;

/// <summary>Another team's "scaled_relu": loaded beside UserModules, the name is ambiguous.</summary>
[GraphportModule("scaled_relu")]
public sealed class OtherScaledRelu : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Torch.Relu(x * 2);
}
