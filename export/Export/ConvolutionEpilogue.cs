using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// What a frozen module runs on a float32 convolution's output right after the kernel, in one pass over it: the add of
/// a residual computed before the convolution (ResNet's blocks add their input, or their downsampled input, to the
/// second convolution's batch-normed output) and the ReLU after it, or either alone. The add and ReLU nodes then hand
/// the convolution's output on (<see cref="HandOns"/>) instead of each allocating and writing a tensor of its own.
/// Only where nothing else reads the values between: the convolution's output (after its folded batch norm and
/// affine) has the add or ReLU as its only reader, and the add the ReLU.
/// </summary>
internal sealed record ConvolutionEpilogue(Node? Residual, bool Relu, IReadOnlyList<(Node Later, Node Before)> HandOns)
{
    private const string Add = "aten::add.Tensor";
    private const string ReluOp = "aten::relu";

    /// <param name="end">The node whose value is the convolution's output as the graph reads it (the convolution, or
    /// the last node of the batch norm and affine folded into it).</param>
    /// <param name="position">Each node's place in the graph's order: the residual must come before the convolution.</param>
    public static ConvolutionEpilogue? After(Node end, Node convolution, IReadOnlyDictionary<Node, int> position)
    {
        if (end.Value is not TensorMeta { DType: DType.Float32 } output) return null;
        var handOns = new List<(Node Later, Node Before)>();
        var current = end;
        Node? residual = null;
        if (current.Users is [{ Op.Name: Add } add] && add.Kwargs.Count == 0 && add.Args.Length == 2 && add.Value is TensorMeta sum && SameShape(sum, output))
        {
            var other = ReferenceEquals(add.Args[0], current) ? add.Args[1] : ReferenceEquals(add.Args[1], current) ? add.Args[0] : null;
            if (other is Node addend && !ReferenceEquals(addend, current) && position.TryGetValue(addend, out int at) && at < position[convolution]
                && addend.Value is TensorMeta { DType: DType.Float32 } addendMeta && SameShape(addendMeta, output))
            {
                residual = addend;
                handOns.Add((add, current));
                current = add;
            }
        }
        bool relu = current.Users is [{ Op.Name: ReluOp } reluNode] && reluNode.Kwargs.Count == 0 && reluNode.Args is [var input] && ReferenceEquals(input, current);
        if (relu) handOns.Add((current.Users[0], current));
        return residual is null && !relu ? null : new ConvolutionEpilogue(residual, relu, handOns);
    }

    private static bool SameShape(TensorMeta a, TensorMeta b) => a.Shape.AsSpan().SequenceEqual(b.Shape);
}
