namespace Graphport.Graphs;

/// <summary>A higher-order operator whose arguments include subgraphs (torch.ops.higher_order.cond / map_impl).</summary>
public sealed class HigherOrderTarget(string name)
{
    public string Name { get; } = name;

    public string Printed => $"torch.ops.higher_order.{Name}";

    public static readonly HigherOrderTarget Cond = new("cond");
    public static readonly HigherOrderTarget Map = new("map_impl");

    /// <summary>A region run with gradients on or off (torch's training IR: a <c>torch.no_grad()</c> block in the model);
    /// Graphport's programs compute no gradients, so the reader inlines it (<see cref="ModeWrapperInlining"/>).</summary>
    public static readonly HigherOrderTarget SetGradEnabled = new("wrap_with_set_grad_enabled");

    /// <summary>A region run under <c>torch.autocast</c>; inlined when the autocast is disabled (<see cref="ModeWrapperInlining"/>).</summary>
    public static readonly HigherOrderTarget Autocast = new("wrap_with_autocast");

    /// <summary>Runs the op on real tensors with the CPU interpreter (cond: the branch the predicate picks; map: the
    /// body once per leading slice): what a backend without a lowering for it does on the host.</summary>
    public object? Run(object?[] args) => HigherOrderRunner.Run(this, args);

    public override string ToString() => Printed;
}
