namespace Graphport.ExportDB.Tests;

/// <summary>Case names as theory rows, so each case is its own test in the runner's list.</summary>
public static class CaseData
{
    public static TheoryData<string> All => Names(_ => true);

    public static TheoryData<string> Supported => Names(c => c.Support == SupportLevel.Supported);

    public static TheoryData<string> NotSupportedYet => Names(c => c.Support == SupportLevel.NotSupportedYet);

    public static TheoryData<string> WithRejectedInputs => Names(c => c.Support == SupportLevel.Supported && c.RejectedInputs is not null);

    private static TheoryData<string> Names(Func<ExportDbCase, bool> filter)
    {
        var data = new TheoryData<string>();
        foreach (var c in ExportDb.Cases.Where(filter)) data.Add(c.Name);
        return data;
    }
}
