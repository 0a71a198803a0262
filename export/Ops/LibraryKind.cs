namespace Graphport;

/// <summary>What a <see cref="Library"/> may do (torch.library.Library kinds).</summary>
public enum LibraryKind
{
    /// <summary>Owns a namespace: defines new operators in it.</summary>
    Def,

    /// <summary>Adds implementations to operators defined elsewhere.</summary>
    Impl,

    /// <summary>Defines more operators in a namespace another library owns.</summary>
    Fragment,
}
