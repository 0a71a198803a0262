namespace Graphport.Cli;

/// <summary>Process exit codes, the usual shell convention: 2 for a command line that cannot be run.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
