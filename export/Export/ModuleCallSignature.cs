namespace Graphport;

/// <summary>How the exported program's flat inputs and outputs map back to Forward's arguments and result.</summary>
public sealed record ModuleCallSignature(IReadOnlyList<string> ArgumentNames, IReadOnlyList<TreeSpec> InputTrees, TreeSpec OutputTree);
