namespace Graphport.Graphs;

/// <summary>An argument a load-time rewrite needs (VmapLowering, ComplexLowering), or an error naming the node and argument.</summary>
internal static class NodeOperands
{
    public static Node Tensor(Node node, int index, string where) =>
        node.Args.Length > index && node.Args[index] is Node n ? n : throw new InvalidDataException($"{where}: {node.Name} takes a tensor as argument {index}.");

    public static long Integer(Node node, int index, string where) =>
        node.Args.Length > index && node.Args[index] is long l ? l : throw new InvalidDataException($"{where}: {node.Name} takes a constant integer as argument {index}.");
}
