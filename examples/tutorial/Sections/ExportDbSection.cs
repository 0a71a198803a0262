using System.Text;
using Graphport.ExportDB;

namespace Graphport.Tutorial;

public static class ExportDbSection
{
    public static void Run()
    {
        // ExportDB: small programs, one feature each, with what export does with them. `graphport exportdb list`
        // lists them; here is the case the seed looks at, cond_predicate.
        var report = CaseReport.Create(ExportDb.Run(ExportDb.Get("cond_predicate")));
        var sb = new StringBuilder();
        ExportDbDocs.AppendCase(sb, report);
        Console.WriteLine(sb.ToString().TrimEnd());
        Console.WriteLine();
        Console.WriteLine($"{ExportDb.Cases.Count} cases, {ExportDb.Cases.Count(c => c.Support == SupportLevel.Supported)} supported; tags: {string.Join(", ", ExportDbTags.Known)}");
    }
}
