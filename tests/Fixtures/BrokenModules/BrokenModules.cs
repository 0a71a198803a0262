using Graphport;

namespace BrokenModules;

/// <summary>No parameterless constructor: a silo cannot build it.</summary>
[GraphportModule("needs_width")]
public sealed class NeedsWidth(int width) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x * width;
}

/// <summary>Marked, but not a Module.</summary>
[GraphportModule("not_a_module")]
public sealed class NotAModule;

/// <summary>Two classes under one name.</summary>
[GraphportModule("twice")]
public sealed class TwiceFirst : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x + 1;
}

[GraphportModule("twice")]
public sealed class TwiceSecond : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => x + 2;
}

/// <summary>A library whose initializer fails: the aten namespace belongs to the built-in operators.</summary>
public static class BrokenOps
{
    [GraphportOperators]
    public static readonly Library Library = new("aten", LibraryKind.Def);
}
