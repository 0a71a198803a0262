namespace Graphport.Tutorial;

/// <summary>One runnable section of the tutorial.</summary>
public sealed record TutorialSection(string Key, string Title, Action Run);

public static class TutorialSections
{
    public static IReadOnlyList<TutorialSection> All { get; } =
    [
        new("basic-usage", "Basic Usage", BasicUsage.Run),
        new("graph-breaks", "Graph Breaks", GraphBreaks.Run),
        new("non-strict", "Non-Strict Export", NonStrictExport.Run),
        new("control-flow", "Control Flow Ops", ControlFlowOps.Run),
        new("dynamic-shapes", "Constraints/Dynamic Shapes", DynamicShapesSection.Run),
        new("custom-ops", "Custom Ops", CustomOps.Run),
        new("decompositions", "Decompositions", DecompositionsSection.Run),
        new("exportdb", "ExportDB", ExportDbSection.Run),
        new("running", "Running the Exported Program", RunningTheProgram.Run),
    ];

    /// <summary>Prints an exception as the tutorial's tb.print_exc() would: type and message.</summary>
    public static void PrintError(Exception e) => Console.WriteLine($"{e.GetType().FullName}: {e.Message}");
}
