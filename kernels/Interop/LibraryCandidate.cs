namespace Graphport.Kernels.Interop;

/// <summary>
/// One place to try loading a library from: a bare file name (the system loader's own search: LD_LIBRARY_PATH,
/// the ld.so cache, ...) or a full path, with where the path came from for error messages.
/// </summary>
public sealed record LibraryCandidate(string Path, string Origin)
{
    public bool IsBareName => !System.IO.Path.IsPathRooted(Path);

    public override string ToString() => IsBareName ? $"{Path} (system loader path)" : $"{Path} ({Origin})";
}
