using System.Runtime.CompilerServices;

namespace Graphport.ExportDB;

/// <summary>
/// One ExportDB entry: a small module that exercises one language or library feature, the inputs to export it
/// with, and whether export supports it. Inputs are factories so that every run gets fresh tensors: a case
/// that writes into its inputs must not change what the next run sees.
/// </summary>
/// <param name="Name">snake_case, as torch names its examples (cond_operands).</param>
/// <param name="Description">One or two sentences: the feature, and what export does with it.</param>
/// <param name="Tags">Categories from <see cref="ExportDbTags.Known"/>.</param>
/// <param name="Support">What export does today.</param>
/// <param name="Model">Creates the module to export.</param>
/// <param name="ExampleArgs">The positional example inputs.</param>
/// <param name="SourceFile">The case's file (filled in by the compiler); only its name is kept.</param>
public sealed record ExportDbCase(
    string Name,
    string Description,
    IReadOnlyList<string> Tags,
    SupportLevel Support,
    Func<Module> Model,
    Func<object?[]> ExampleArgs,
    [CallerFilePath] string SourceFile = "")
{
    /// <summary>Example inputs passed by parameter name (torch's example_kwargs).</summary>
    public Func<Dictionary<string, object?>>? ExampleKwargs { get; init; }

    /// <summary>Which input dimensions are dynamic; null exports every size as a constant.</summary>
    public Func<DynamicShapes>? DynamicShapes { get; init; }

    /// <summary>Strict export (the default) inspects the IL first; false traces whatever the code does.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// More inputs, each a complete positional argument list for Forward, that the exported program must accept
    /// and answer like the eager module: they show the program is general, not specialized to the example.
    /// </summary>
    public Func<IReadOnlyList<object?[]>>? ExtraInputs { get; init; }

    /// <summary>
    /// Inputs the program was not exported for (a size outside the range its guards allow, a specialized shape),
    /// each a complete positional argument list: the exported module must refuse them rather than compute
    /// something the eager module would not.
    /// </summary>
    public Func<IReadOnlyList<object?[]>>? RejectedInputs { get; init; }

    /// <summary>For a supported rewrite, the name of the unsupported case it fixes.</summary>
    public string? RewriteOf { get; init; }

    /// <summary>The case file's name ("CondOperands.cs"): the key of its embedded source.</summary>
    public string SourceFileName => Path.GetFileName(SourceFile.Replace('\\', '/'));
}
