namespace Graphport.Graphs;

/// <summary>One entry of a node's module stack: the submodule's dotted path ("layer1.0.conv1") and its type.</summary>
public sealed record ModuleFrame(string Path, string TypeName);
