namespace Graphport.Cli.Tests;

/// <summary>How the command line is understood: help, unknown words, unknown options.</summary>
public class DispatcherTests
{
    [Fact]
    public void Help_lists_every_command_and_succeeds()
    {
        var run = CliRun.Of("help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("graphport exportdb list [--tag TAG] [--json]", run.Out);
        Assert.Contains("graphport exportdb show NAME [--json]", run.Out);
        Assert.Contains("graphport exportdb docs [--write]", run.Out);
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        var run = CliRun.Of();
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No command given.", run.Error);
    }

    [Fact]
    public void An_unknown_command_exits_with_2_and_names_the_valid_ones()
    {
        var run = CliRun.Of("frobnicate");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown command 'frobnicate'. Valid commands: bench, compile, decompose, export, exportdb, import, invoke, ops, profile, programs, silo, zoo.", run.Error);
    }

    [Fact]
    public void An_unknown_subcommand_lists_the_subcommands_of_its_group()
    {
        var run = CliRun.Of("exportdb", "lst");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown command 'exportdb lst'. Valid 'exportdb' commands: docs, list, show.", run.Error);
    }

    [Fact]
    public void A_group_without_a_subcommand_asks_for_one()
    {
        var run = CliRun.Of("exportdb");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'exportdb' needs a subcommand", run.Error);
    }

    [Fact]
    public void An_unknown_option_exits_with_2_and_names_the_command_options()
    {
        var run = CliRun.Of("exportdb", "list", "--verbose");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown option --verbose. Options: --json, --tag.", run.Error);
        Assert.Contains("Usage: graphport exportdb list [--tag TAG] [--json]", run.Error);
    }

    [Fact]
    public void An_option_missing_its_value_is_a_usage_error()
    {
        var run = CliRun.Of("exportdb", "list", "--tag");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--tag needs a value.", run.Error);
    }

    [Fact]
    public void Help_after_a_command_shows_its_usage()
    {
        var run = CliRun.Of("exportdb", "show", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: graphport exportdb show NAME [--json]", run.Out);
    }
}
