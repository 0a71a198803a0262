namespace Graphport.ExportDB;

/// <summary>Whether export handles a case today (torch's SupportLevel).</summary>
public enum SupportLevel
{
    /// <summary>Export succeeds and the program computes what the eager module computes.</summary>
    Supported,

    /// <summary>Export rejects the program with an <see cref="ExportException"/> that says why.</summary>
    NotSupportedYet,
}
