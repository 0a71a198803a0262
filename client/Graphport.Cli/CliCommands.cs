using Graphport.Cli.Commands;

namespace Graphport.Cli;

/// <summary>Every command the CLI offers; a new command is one class plus one line here.</summary>
public static class CliCommands
{
    public static IReadOnlyList<ICommand> All { get; } =
    [
        new ExportDbListCommand(),
        new ExportDbShowCommand(),
        new ExportDbDocsCommand(),
        new OpsCoverageCommand(),
        new CompileCommand(),
        new ProfileCommand(),
        new BenchCommand(),
        new ZooExportCommand(),
        new ExportCommand(),
        new ImportOnnxCommand(),
        new DecomposeCommand(),
        new InvokeCommand(),
        new ProgramsListCommand(),
        new ProgramsShowCommand(),
        new ProgramsSaveCommand(),
        new ProgramsUploadCommand(),
        new SiloCommand(),
    ];

    public static CommandDispatcher Dispatcher { get; } = new(All);
}
