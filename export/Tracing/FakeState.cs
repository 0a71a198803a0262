using Graphport.Graphs;

namespace Graphport.Tracing;

/// <summary>
/// The traced side of a fake tensor: its tracer, the node that currently holds its value, symbolic strides,
/// and — for views — the base tensor and the view ops that lead from the base to it, so that a write to
/// either side can be replayed functionally (torch's functionalization).
/// </summary>
internal sealed class FakeState(Tracer tracer, Node node)
{
    public Tracer Tracer { get; } = tracer;

    /// <summary>The node computing this tensor's current value (replaced when the tensor is mutated).</summary>
    public Node Node { get; set; } = node;

    public SymInt[] Strides { get; set; } = [];

    /// <summary>Bumped on every mutation of a base, so its views know to regenerate.</summary>
    public int Version { get; set; }

    /// <summary>The root base when this tensor is a view; null for bases.</summary>
    public Tensor? ViewBase { get; set; }

    /// <summary>View ops applied to the base, in order, to obtain this tensor.</summary>
    public ViewStep[] ViewChain { get; set; } = [];

    /// <summary>The base's Version this view's node was computed from.</summary>
    public int BaseVersionSeen { get; set; }

    public bool IsContiguous(SymInt[] shape)
    {
        SymInt expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i].AsConstant == 1) continue;
            if (!Strides[i].Equals(expected)) return false;
            expected *= shape[i];
        }
        return true;
    }
}

/// <summary>
/// One view op in a chain: the op, its arguments other than the tensor being viewed (args[0]), and for ops that
/// return several views (split_with_sizes, unbind) which of them this is.
/// </summary>
internal sealed record ViewStep(Operators.OpOverload Op, object?[] Args, int OutputIndex = -1);
