using Graphport;
using UserModuleHelpers;
using static Graphport.Torch;

namespace UserModules;

/// <summary>relu(x * 3) + 1 over rows of 4: the scale comes from UserModuleHelpers, the relu from the custom operator.</summary>
[GraphportModule(Name, Description = "relu(x * 3) + 1 through user_ops::relu_plus_one")]
public sealed class ScaledRelu : Module<Tensor, Tensor>
{
    public const string Name = "scaled_relu";

    private readonly Parameter scale = new(Full([4], Scales.Default));

    public override Tensor Forward(Tensor x) => Ops[UserOps.ReluPlusOne].CallTensor(x * scale);
}
