namespace Graphport.Cpu;

/// <summary>Argument checks shared by the linear-algebra routines: only malformed dimensions throw, never the numbers.</summary>
internal static class LinearAlgebraChecks
{
    /// <summary>Throws unless a span of <paramref name="length"/> can hold <paramref name="rows"/>×<paramref name="cols"/> elements.</summary>
    public static void RequireCapacity(int length, long rows, long cols, string name)
    {
        if (rows < 0 || cols < 0) throw new ArgumentException($"{name}: negative dimension {rows}×{cols}.", name);
        if (length < rows * cols)
            throw new ArgumentException($"{name} holds {length} elements, fewer than the {rows}×{cols} it must hold.", name);
    }
}
