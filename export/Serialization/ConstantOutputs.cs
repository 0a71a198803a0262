using System.Globalization;

namespace Graphport.Serialization;

/// <summary>
/// torch's graphs return every leaf of the result's pytree, the non-tensor ones too: an int, a float, a bool or None
/// that Forward returns is a constant graph output (<c>return (mul, 3, None)</c>), written as the constant
/// (<c>{"as_int": 3}</c>) both in the graph's outputs and in a <c>user_output</c> spec, in pytree leaf order among the
/// user outputs, and <c>ep.module()</c> rebuilds the result from the graph's outputs with the out_spec. Graphport
/// graphs return only tensors and sizes (the call signature keeps constants as constant leaves), so without these
/// outputs torch's module has fewer outputs than its out_spec has leaves. Graphport's reader leaves constant outputs
/// out again (<see cref="ProgramReader"/>).
/// </summary>
internal static class ConstantOutputs
{
    /// <summary>
    /// The program's output specs with a constant user-output spec for each constant leaf of the call signature's
    /// result, placed among the user outputs in pytree leaf order; the program's own specs when its result has no
    /// constant leaves, or when its user outputs are not the trailing specs one per tensor or size leaf.
    /// </summary>
    /// <exception cref="ExportException">The result holds a string (torch cannot read one back) or a NaN.</exception>
    public static IReadOnlyList<OutputSpec> Interleave(ExportedProgram program)
    {
        var specs = program.GraphSignature.OutputSpecs;
        var leaves = new List<(string Path, TreeSpec Leaf)>();
        Leaves(program.CallSignature.OutputTree, "", leaves);
        if (!leaves.Any(l => l.Leaf is ConstantLeaf)) return specs;
        foreach (var (path, leaf) in leaves)
            if (leaf is ConstantLeaf c) Check(path, c.Value);

        int firstUser = specs.Count;
        while (firstUser > 0 && specs[firstUser - 1].Kind == OutputKind.UserOutput) firstUser--;
        var userSpecs = specs.Skip(firstUser).ToList();
        if (specs.Take(firstUser).Any(s => s.Kind == OutputKind.UserOutput) || userSpecs.Count != leaves.Count(l => l.Leaf is not ConstantLeaf))
            return specs;

        var result = specs.Take(firstUser).ToList();
        int user = 0;
        foreach (var (_, leaf) in leaves)
        {
            result.Add(leaf is ConstantLeaf c
                ? new OutputSpec(OutputKind.UserOutput, new ConstantArgument("", c.Value is SymInt { IsSymbolic: false } s ? s.AsConstant!.Value : c.Value), null)
                : userSpecs[user++]);
        }
        return result;
    }

    /// <summary>
    /// The values torch writes as constant outputs and reads back: None, ints, floats (not NaN: torch.export's own
    /// check of the outputs compares them by equality) and bools. Strings torch writes but cannot read
    /// ("Unable to deserialize output node Argument(as_string=...)"), and the schema has no other constants.
    /// </summary>
    private static void Check(string path, object? value)
    {
        string where = path.Length == 0 ? "Forward's result" : $"the output {path}";
        switch (value)
        {
            case null or bool or long or int or SymInt { IsSymbolic: false }:
                return;
            case double d when !double.IsNaN(d):
                return;
            case double:
                throw new ExportException(
                    $"Cannot save the program: {where} is the constant NaN. torch.export checks a program's constant outputs by equality, and NaN equals " +
                    "nothing, so torch cannot load a program that returns it. Return it as a tensor (Torch.Tensor(double.NaN)) or leave it out of Forward's result.");
            case string s:
                throw new ExportException(
                    $"Cannot save the program: {where} is the string {Graphs.PythonRepr.Format(s, n => n.Name)}. torch writes a string a program returns as a constant graph " +
                    "output, but torch.export.load cannot read one back (\"Unable to deserialize output node Argument(as_string=...)\"), so no .pt2 archive " +
                    "holding it would load in PyTorch. Return the string outside the exported program (produce it in C# next to the call of ep.Module()), " +
                    "and keep Forward's result to tensors, sizes, numbers, bools and null.");
            default:
                throw new ExportException(
                    $"Cannot save the program: {where} is the constant {Convert.ToString(value, CultureInfo.InvariantCulture)} ({value.GetType().Name}), which a .pt2 " +
                    "archive cannot hold (a program's constant outputs are None, ints, floats and bools). Return it outside the exported program.");
        }
    }

    /// <summary>The leaves in torch's flattening order, each with its key path (<c>[1]</c>, <c>['scale']</c>).</summary>
    private static void Leaves(TreeSpec spec, string path, List<(string, TreeSpec)> leaves)
    {
        switch (spec)
        {
            case SequenceNode s:
                for (int i = 0; i < s.Children.Count; i++) Leaves(s.Children[i], $"{path}[{i}]", leaves);
                break;
            case MappingNode m:
                for (int i = 0; i < m.Children.Count; i++) Leaves(m.Children[i], $"{path}['{m.Keys[i]}']", leaves);
                break;
            default:
                leaves.Add((path, spec));
                break;
        }
    }
}
