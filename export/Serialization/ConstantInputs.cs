using System.Text;
using Graphport.Graphs;

namespace Graphport.Serialization;

/// <summary>
/// torch's graphs take every leaf of the inputs' pytree, the non-tensor ones too: an argument export specialized to
/// its example value (None for an optional tensor left out, an int, a string) is a graph input of its own, written
/// as the constant (<c>{"as_none": true}</c>) with a <c>constant_input</c> spec, and <c>ep.module()</c> passes the
/// caller's value there. Graphport graphs have no placeholders for such leaves (the call signature keeps them as
/// constant leaves), so without these inputs torch's module counts one input more than its graph takes ("Unexpected
/// number of inputs (expected 1, got 2)"). Graphport's reader leaves constant inputs out again.
/// </summary>
internal static class ConstantInputs
{
    /// <summary>
    /// The program's input specs with a constant input spec for each constant leaf of the call signature, placed
    /// among the user inputs in pytree leaf order; the program's own specs when it has no constant leaves, or when
    /// its user inputs are not the trailing specs one per tensor leaf (then nothing can be placed).
    /// </summary>
    public static IReadOnlyList<InputSpec> Interleave(ExportedProgram program)
    {
        var specs = program.GraphSignature.InputSpecs;
        var call = program.CallSignature;
        var leaves = new List<(string Name, TreeSpec Leaf)>();
        for (int i = 0; i < call.InputTrees.Count; i++)
            Leaves(call.InputTrees[i], i < call.ArgumentNames.Count ? call.ArgumentNames[i] : $"arg{i}", leaves);
        if (!leaves.Any(l => l.Leaf is ConstantLeaf c && SignatureJson.IsConstantValue(c.Value))) return specs;

        int firstUser = specs.Count;
        while (firstUser > 0 && specs[firstUser - 1].Kind == InputKind.UserInput) firstUser--;
        var userSpecs = specs.Skip(firstUser).ToList();
        if (specs.Take(firstUser).Any(s => s.Kind == InputKind.UserInput) || userSpecs.Count != leaves.Count(l => l.Leaf is TensorLeaf))
            return specs;

        var taken = program.Graph.Nodes.Select(n => n.Name).Concat(specs.Select(s => s.Arg.Name)).ToHashSet(StringComparer.Ordinal);
        var result = specs.Take(firstUser).ToList();
        int user = 0;
        foreach (var (name, leaf) in leaves)
        {
            switch (leaf)
            {
                case TensorLeaf:
                    result.Add(userSpecs[user++]);
                    break;
                case ConstantLeaf c when SignatureJson.IsConstantValue(c.Value):
                    result.Add(new InputSpec(InputKind.UserInput, new ConstantArgument(Unique(name, taken), c.Value), null));
                    break;
            }
        }
        return result;
    }

    /// <summary>The leaves in torch's flattening order, each named after its argument and path (torch names placeholders so: <c>kwargs_a</c>, <c>pair_0</c>).</summary>
    private static void Leaves(TreeSpec spec, string name, List<(string, TreeSpec)> leaves)
    {
        switch (spec)
        {
            case SequenceNode s:
                for (int i = 0; i < s.Children.Count; i++) Leaves(s.Children[i], $"{name}_{i}", leaves);
                break;
            case MappingNode m:
                for (int i = 0; i < m.Children.Count; i++) Leaves(m.Children[i], $"{name}_{m.Keys[i]}", leaves);
                break;
            default:
                leaves.Add((name, spec));
                break;
        }
    }

    /// <summary>A Python identifier, not a keyword or builtin and not yet taken in the graph.</summary>
    private static string Unique(string name, HashSet<string> taken)
    {
        var sb = new StringBuilder();
        foreach (char ch in name) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch == '_' ? ch : '_');
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0])) sb.Insert(0, '_');
        string baseName = sb.ToString();
        if (PythonNames.IsReserved(baseName)) baseName += "_1";
        string candidate = baseName;
        for (int i = 1; !taken.Add(candidate); i++) candidate = $"{baseName}_{i}";
        return candidate;
    }
}
