using static Graphport.ExportDB.ExportDbTags;
using static Graphport.Torch;

namespace Graphport.ExportDB.Cases;

// <example>
public sealed partial class FnWithKwargs : Module<Tensor, (Tensor, Tensor), Tensor[], Tensor, Dictionary<string, Tensor>, Tensor>
{
    // Python's positional, tuple, *args, keyword-only and **kwargs parameters, as C# has them: a tuple, an
    // array for the variable part (an override cannot add `params`; Forward's signature comes from the base),
    // and a dictionary for named extras. The last two example inputs are passed by name.
    public override Tensor Forward(Tensor pos0, (Tensor, Tensor) tuple0, Tensor[] myargs, Tensor mykw0, Dictionary<string, Tensor> mykwargs)
    {
        var output = pos0 * tuple0.Item1 * tuple0.Item2;
        foreach (var arg in myargs)
            output *= arg;
        output *= mykw0;
        return output * mykwargs["input0"] * mykwargs["input1"];
    }
}
// </example>

public sealed partial class FnWithKwargs : IExportDbExample
{
    public static ExportDbCase Case { get; } = new(
        Name: "fn_with_kwargs",
        Description: "Forward takes a tuple, an array and a dictionary, and the last two example inputs are given by parameter " +
            "name; export binds keywords to parameters and flattens every container into its tensors, so this is supported.",
        Tags: [PythonDataStructure],
        Support: SupportLevel.Supported,
        Model: () => new FnWithKwargs(),
        ExampleArgs: () => [Randn(4), (Randn(4), Randn(4)), new[] { Randn(4), Randn(4) }])
    {
        ExampleKwargs = () => new()
        {
            ["mykw0"] = Randn(4),
            ["mykwargs"] = new Dictionary<string, Tensor> { ["input0"] = Randn(4), ["input1"] = Randn(4) },
        },
    };
}
