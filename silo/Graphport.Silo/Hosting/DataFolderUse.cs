namespace Graphport.Silo;

/// <summary>How a localhost silo with local-folder storage holds its data folder (see <see cref="DataFolderLease"/>).</summary>
public enum DataFolderUse
{
    /// <summary>A standing silo (`graphport silo`): a cluster of one, so no other silo may run on the folder while it does.</summary>
    Exclusive,

    /// <summary>An embedded silo of one command: other commands' embedded silos may use the folder at the same time.</summary>
    Shared,
}
