namespace Graphport.Graphs;

/// <summary>A higher-order operator whose arguments include subgraphs (torch.ops.higher_order.cond / map_impl).</summary>
public sealed class HigherOrderTarget(string name)
{
    public string Name { get; } = name;

    public string Printed => $"torch.ops.higher_order.{Name}";

    public static readonly HigherOrderTarget Cond = new("cond");
    public static readonly HigherOrderTarget Map = new("map_impl");

    public override string ToString() => Printed;
}
