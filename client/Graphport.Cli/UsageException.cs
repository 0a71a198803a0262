namespace Graphport.Cli;

/// <summary>The command line asked for something that does not exist; the CLI prints the message and exits with 2.</summary>
public sealed class UsageException(string message) : Exception(message);
