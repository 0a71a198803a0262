using Graphport.Operators;

namespace Graphport.Tests.OpOracle;

/// <summary>
/// The smallest program containing one op: Forward takes the call's tensors (in argument order, list elements
/// included) and calls the op with the other arguments held fixed, so exporting it records exactly that op.
/// </summary>
internal sealed class SingleOpModule(OpOverload op, object?[] template) : Module<Tensor[], object?>
{
    /// <summary>The tensors of a call, in the order Forward expects them.</summary>
    public static Tensor[] TensorsOf(object?[] args) => args.SelectMany(a => a switch
    {
        Tensor t => [t],
        Tensor?[] list => list.OfType<Tensor>(),
        _ => Array.Empty<Tensor>(),
    }).ToArray();

    public override object? Forward(Tensor[] inputs)
    {
        int next = 0;
        var args = template.Select(a => a switch
        {
            Tensor => inputs[next++],
            Tensor?[] list => list.Select(t => t is null ? null : inputs[next++]).ToArray(),
            _ => a,
        }).ToArray();
        return op.Call(args);
    }
}
