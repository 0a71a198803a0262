using Graphport.ExportDB;

namespace Graphport.Cli.Commands;

/// <summary>graphport exportdb docs: renders docs/exportdb.md from fresh runs; --write updates the file.</summary>
public sealed class ExportDbDocsCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["exportdb", "docs"];

    public string Arguments => "[--write]";

    public string Summary => $"Print the ExportDB page, or write it to {ExportDbDocs.RelativePath} with --write.";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "--write" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string>();

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        if (arguments.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{arguments.Positionals[0]}'.");
        string page = ExportDbDocs.Render();
        if (!arguments.Has("--write"))
        {
            context.Out.Write(page);
            return ExitCodes.Success;
        }
        if (RepositoryLocator.Find(context.WorkingDirectory) is not { } root)
        {
            context.Error.WriteLine($"Cannot find the repository (a folder with Cluster.sln) above {context.WorkingDirectory}; run from inside the checkout.");
            return ExitCodes.Failure;
        }
        string path = System.IO.Path.Combine(root, ExportDbDocs.RelativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, page);
        context.Out.WriteLine($"Wrote {ExportDbDocs.RelativePath} ({ExportDb.Cases.Count} cases).");
        return ExitCodes.Success;
    }
}
